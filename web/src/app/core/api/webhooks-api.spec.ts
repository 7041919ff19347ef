import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ApiRoutes, ErrorCode } from '@vidgen/contracts';
import { errorBody, testProviders } from '../../../testing/providers';
import { A_WEBHOOK_SECRET, aDelivery, aWebhook, WEBHOOK_ID } from '../../../testing/webhooks';
import { ApiError } from '../http/api-error';
import { WebhooksApi } from './webhooks-api';

describe('WebhooksApi', () => {
  let api: WebhooksApi;
  let httpTesting: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    api = TestBed.inject(WebhooksApi);
    httpTesting = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpTesting.verify());

  it('lists the endpoints', async () => {
    const listed = api.list();

    const req = httpTesting.expectOne(ApiRoutes.webhooks);
    expect(req.request.method).toBe('GET');
    req.flush({ items: [aWebhook()] });

    expect(await listed).toEqual([aWebhook()]);
  });

  it('creates an endpoint and hands back its signing secret', async () => {
    const created = api.create({
      url: 'https://hooks.example.com/vidgen',
      events: ['video.failed'],
    });

    const req = httpTesting.expectOne(ApiRoutes.webhooks);
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({
      url: 'https://hooks.example.com/vidgen',
      events: ['video.failed'],
    });
    req.flush(
      { webhook: aWebhook({ events: ['video.failed'] }), secret: A_WEBHOOK_SECRET },
      { status: 201, statusText: 'Created' },
    );

    expect(await created).toEqual({
      webhook: aWebhook({ events: ['video.failed'] }),
      secret: A_WEBHOOK_SECRET,
    });
  });

  it('updates an endpoint by its id', async () => {
    const updated = api.update(WEBHOOK_ID, { enabled: true });

    const req = httpTesting.expectOne(ApiRoutes.webhook(WEBHOOK_ID));
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ enabled: true });
    req.flush(aWebhook());

    expect(await updated).toEqual(aWebhook());
  });

  it('deletes an endpoint by its id', async () => {
    const deleted = api.delete(WEBHOOK_ID);

    const req = httpTesting.expectOne(ApiRoutes.webhook(WEBHOOK_ID));
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });

    await deleted;
  });

  it('sends a test event and hands back its delivery', async () => {
    const delivery = aDelivery({ eventType: 'webhook.test' });
    const sent = api.sendTest(WEBHOOK_ID);

    const req = httpTesting.expectOne(ApiRoutes.webhookTest(WEBHOOK_ID));
    expect(req.request.method).toBe('POST');
    req.flush({ delivery });

    expect(await sent).toEqual(delivery);
  });

  it('reads the deliveries a page at a time', async () => {
    const first = api.deliveries(WEBHOOK_ID);
    const firstReq = httpTesting.expectOne(ApiRoutes.webhookDeliveries(WEBHOOK_ID));
    expect(firstReq.request.method).toBe('GET');
    expect(firstReq.request.params.keys()).toEqual([]);
    firstReq.flush({ items: [aDelivery()], nextCursor: 'next-page' });
    expect(await first).toEqual({ items: [aDelivery()], nextCursor: 'next-page' });

    const second = api.deliveries(WEBHOOK_ID, 'next-page');
    const secondReq = httpTesting.expectOne(
      (r) => r.url === ApiRoutes.webhookDeliveries(WEBHOOK_ID),
    );
    expect(secondReq.request.params.get('cursor')).toBe('next-page');
    secondReq.flush({ items: [], nextCursor: null });
    expect(await second).toEqual({ items: [], nextCursor: null });
  });

  it("rejects with the API's field errors", async () => {
    const created = api.create({ url: 'http://127.0.0.1/hook', events: ['video.completed'] });

    httpTesting
      .expectOne(ApiRoutes.webhooks)
      .flush(
        errorBody(400, ErrorCode.ValidationFailed, 'Check the form.', [
          { field: 'url', message: 'Private and loopback addresses are not allowed.' },
        ]),
        { status: 400, statusText: 'Bad Request' },
      );

    const error = (await created.catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.details).toEqual([
      { field: 'url', message: 'Private and loopback addresses are not allowed.' },
    ]);
  });
});

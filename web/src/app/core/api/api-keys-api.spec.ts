import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ApiRoutes, ErrorCode } from '@vidgen/contracts';
import { A_SECRET, API_KEY_ID, anApiKey } from '../../../testing/api-keys';
import { errorBody, testProviders } from '../../../testing/providers';
import { ApiError } from '../http/api-error';
import { ApiKeysApi } from './api-keys-api';

describe('ApiKeysApi', () => {
  let api: ApiKeysApi;
  let httpTesting: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    api = TestBed.inject(ApiKeysApi);
    httpTesting = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpTesting.verify());

  it('lists the keys', async () => {
    const listed = api.list();

    const req = httpTesting.expectOne(ApiRoutes.apiKeys);
    expect(req.request.method).toBe('GET');
    req.flush({ items: [anApiKey()] });

    expect(await listed).toEqual([anApiKey()]);
  });

  it('creates a key and hands back its secret', async () => {
    const created = api.create({ name: 'CI', expiresAt: '2026-06-12T09:00:00.000Z' });

    const req = httpTesting.expectOne(ApiRoutes.apiKeys);
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ name: 'CI', expiresAt: '2026-06-12T09:00:00.000Z' });
    req.flush(
      { apiKey: anApiKey({ name: 'CI' }), secret: A_SECRET },
      { status: 201, statusText: 'Created' },
    );

    expect(await created).toEqual({ apiKey: anApiKey({ name: 'CI' }), secret: A_SECRET });
  });

  it('revokes a key by its id', async () => {
    const revoked = api.revoke(API_KEY_ID);

    const req = httpTesting.expectOne(ApiRoutes.apiKey(API_KEY_ID));
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });

    await revoked;
  });

  it("rejects with the API's field errors", async () => {
    const created = api.create({ name: '' });

    httpTesting
      .expectOne(ApiRoutes.apiKeys)
      .flush(
        errorBody(400, ErrorCode.ValidationFailed, 'Check the form.', [
          { field: 'name', message: 'Name is required.' },
        ]),
        { status: 400, statusText: 'Bad Request' },
      );

    const error = (await created.catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.details).toEqual([{ field: 'name', message: 'Name is required.' }]);
  });
});

import { formatDate } from '@angular/common';
import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ApiRoutes, WebhookDelivery } from '@vidgen/contracts';
import { alertText, getButton, queryButton, settle, textOf } from '../../../testing/dom';
import { testProviders } from '../../../testing/providers';
import { aDelivery, anAttempt, WEBHOOK_ID } from '../../../testing/webhooks';
import { WebhookDeliveries } from './webhook-deliveries';

describe('WebhookDeliveries', () => {
  let fixture: ComponentFixture<WebhookDeliveries>;
  let log: HTMLElement;
  let httpTesting: HttpTestingController;

  const route = ApiRoutes.webhookDeliveries(WEBHOOK_ID);
  const retrying = aDelivery({
    id: 'msg_retrying',
    eventType: 'video.failed',
    status: 'pending',
    attempts: [
      anAttempt({
        attempt: 1,
        statusCode: 500,
        durationMs: 87,
        error: 'The receiver answered HTTP 500.',
      }),
      anAttempt({
        attempt: 2,
        at: '2026-03-20T17:07:16.000Z',
        statusCode: null,
        durationMs: 10000,
        error: 'No answer within 10 seconds.',
      }),
    ],
    nextAttemptAt: '2026-03-20T17:37:16.000Z',
  });
  const delivered = aDelivery();

  /** As the page shows a date, with the narrow space before AM/PM as accessibleText reads it. */
  function medium(iso: string): string {
    return formatDate(iso, 'medium', 'en-US').replace(/\s+/g, ' ');
  }

  async function open() {
    fixture = TestBed.createComponent(WebhookDeliveries);
    fixture.componentRef.setInput('webhookId', WEBHOOK_ID);
    log = fixture.nativeElement as HTMLElement;
    await settle(fixture);
  }

  async function answer(items: WebhookDelivery[], nextCursor: string | null = null) {
    httpTesting.expectOne((r) => r.url === route).flush({ items, nextCursor });
    await settle(fixture);
  }

  function deliveries(): HTMLElement[] {
    return [...log.querySelectorAll<HTMLElement>('.delivery')];
  }

  /** Each try as read out: its summary, then what went wrong if anything. */
  function attempts(delivery: HTMLElement): string[][] {
    return [...delivery.querySelectorAll<HTMLElement>('.attempt')].map((a) =>
      [textOf(a, '.attempt-summary'), textOf(a, '.attempt-error')].filter(Boolean),
    );
  }

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    httpTesting = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpTesting.verify());

  it('shows each delivery with its status, its tries and the next one due', async () => {
    await open();
    await answer([retrying, delivered]);

    const [pending, succeeded] = deliveries();
    expect(textOf(pending, '.event')).toBe('video.failed');
    expect(textOf(pending, '.badge')).toBe('Pending');
    expect(textOf(pending, '.delivery-id')).toBe('ID msg_retrying');
    expect(attempts(pending)).toEqual([
      [
        `Attempt 1 · ${medium('2026-03-20T17:02:11.000Z')} · HTTP 500 · 87 ms`,
        'The receiver answered HTTP 500.',
      ],
      [
        `Attempt 2 · ${medium('2026-03-20T17:07:16.000Z')} · No answer · 10000 ms`,
        'No answer within 10 seconds.',
      ],
    ]);
    expect(textOf(pending, '.next-try')).toBe(`Next try ${medium('2026-03-20T17:37:16.000Z')}`);

    expect(textOf(succeeded, '.badge')).toBe('Succeeded');
    expect(attempts(succeeded)).toEqual([
      [`Attempt 1 · ${medium('2026-03-20T17:02:11.000Z')} · HTTP 200 · 42 ms`],
    ]);
    expect(succeeded.querySelector('.next-try')).toBeNull();
  });

  it('says when nothing was sent yet, or a delivery not tried yet', async () => {
    await open();
    await answer([]);
    expect(log.textContent).toContain('No deliveries yet. Send a test event to try the endpoint.');

    void fixture.componentInstance.refresh();
    await settle(fixture);
    await answer([
      aDelivery({ status: 'pending', attempts: [], nextAttemptAt: retrying.nextAttemptAt }),
    ]);
    expect(textOf(deliveries()[0], '.no-attempts')).toBe('Not tried yet.');
    expect(textOf(deliveries()[0], '.badge')).toBe('Pending');
  });

  it('loads older deliveries after the ones shown', async () => {
    await open();
    await answer([retrying], 'cursor-2');

    getButton(log, 'Load more').click();
    await settle(fixture);
    const req = httpTesting.expectOne((r) => r.url === route);
    expect(req.request.params.get('cursor')).toBe('cursor-2');
    req.flush({ items: [delivered], nextCursor: null });
    await settle(fixture);

    expect(deliveries().map((d) => textOf(d, '.delivery-id'))).toEqual([
      'ID msg_retrying',
      'ID msg_2Lx9kQ7bP1',
    ]);
    expect(queryButton(log, 'Load more')).toBeNull();
  });

  it('refreshes to the newest page, in place of what was shown', async () => {
    await open();
    await answer([delivered], 'cursor-2');

    getButton(log, 'Refresh').click();
    await settle(fixture);
    expect(getButton(log, 'Refresh').disabled).toBe(true);
    const req = httpTesting.expectOne((r) => r.url === route);
    expect(req.request.params.has('cursor')).toBe(false);
    req.flush({
      items: [{ ...retrying, status: 'failed', nextAttemptAt: null }],
      nextCursor: null,
    });
    await settle(fixture);

    expect(deliveries()).toHaveLength(1);
    expect(textOf(deliveries()[0], '.badge')).toBe('Failed');
    expect(deliveries()[0].querySelector('.next-try')).toBeNull();
  });

  it('says when the log cannot be loaded, and Refresh tries again', async () => {
    await open();
    httpTesting.expectOne((r) => r.url === route).error(new ProgressEvent('error'));
    await settle(fixture);

    expect(alertText(log)).toMatch(/Can't reach the server/);
    getButton(log, 'Refresh').click();
    await settle(fixture);
    await answer([delivered]);

    expect(alertText(log)).toBe('');
    expect(deliveries()).toHaveLength(1);
  });
});

import { Clipboard } from '@angular/cdk/clipboard';
import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ApiRoutes, ErrorCode, Webhook } from '@vidgen/contracts';
import {
  accessibleText,
  alertText,
  errorUnder,
  getButton,
  getByRole,
  getField,
  heading,
  queryButton,
  settle,
  textOf,
  typeInto,
} from '../../../testing/dom';
import { errorBody, testProviders } from '../../../testing/providers';
import { A_WEBHOOK_SECRET, aDelivery, aWebhook } from '../../../testing/webhooks';
import { WebhooksPage } from './webhooks-page';

describe('WebhooksPage', () => {
  let fixture: ComponentFixture<WebhooksPage>;
  let page: HTMLElement;
  let httpTesting: HttpTestingController;

  const working = aWebhook();
  const givenUp = aWebhook({
    id: '2b1c0d9e-8f7a-4b6c-9d5e-4f3a2b1c0d9e',
    url: 'https://old.example.org/hooks',
    events: ['video.failed'],
    enabled: false,
    disabledReason: 'Every delivery failed for 5 days (last: HTTP 502).',
  });

  function isDeliveries(webhook: Webhook) {
    return (req: { url: string }) => req.url === ApiRoutes.webhookDeliveries(webhook.id);
  }

  /** Answers each card's first request for its log with an empty one. */
  function flushEmptyLogs() {
    for (const req of httpTesting.match((r) => r.url.endsWith('/deliveries'))) {
      req.flush({ items: [], nextCursor: null });
    }
  }

  async function open(webhooks: Webhook[]) {
    fixture = TestBed.createComponent(WebhooksPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
    httpTesting.expectOne(ApiRoutes.webhooks).flush({ items: webhooks });
    await settle(fixture);
    flushEmptyLogs();
    await settle(fixture);
  }

  function cards(): HTMLElement[] {
    return [...page.querySelectorAll<HTMLElement>('app-webhook-card')];
  }

  function card(url: string): HTMLElement {
    const found = cards().find((c) => textOf(c, 'h3') === url);
    if (!found) throw new Error(`No endpoint ${url}`);
    return found;
  }

  function fact(root: HTMLElement, term: string): string {
    const dt = [...root.querySelectorAll('dt')].find((d) => accessibleText(d) === term);
    return dt?.nextElementSibling ? accessibleText(dt.nextElementSibling) : '';
  }

  function dialog(): HTMLElement {
    const element = document.querySelector<HTMLElement>('[role="dialog"]');
    if (!element) throw new Error('No dialog open');
    return element;
  }

  function snackBarText(): string {
    return document.querySelector('mat-snack-bar-container')?.textContent?.trim() ?? '';
  }

  function eventsError(root: ParentNode): string {
    return textOf(root, '.events-error');
  }

  async function click(element: HTMLElement) {
    element.click();
    await settle(fixture);
  }

  async function flush(req: TestRequest, body: object | null, status = 200) {
    req.flush(body, { status, statusText: 'Status' });
    await settle(fixture);
  }

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    httpTesting = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpTesting.verify());

  it('says what webhooks send, how they are signed and when they are given up on', async () => {
    await open([]);

    expect(heading(page)).toBe('Webhooks');
    const intro = textOf(page, '.intro');
    expect(intro).toContain('webhook-id, webhook-timestamp and webhook-signature');
    expect(intro).toContain('tried again for about a day');
    expect(intro).toContain('keeps failing for days is disabled');
    expect(page.textContent).toContain('No endpoints yet.');
  });

  it('lists each endpoint with its events and whether it is on', async () => {
    await open([working, aWebhook({ id: 'off', url: 'https://b.example.com', enabled: false })]);

    expect(cards()).toHaveLength(2);
    const shown = card(working.url);
    expect(fact(shown, 'Events')).toBe('video.completed, video.failed');
    expect(textOf(shown, '.badge')).toBe('Enabled');
    expect(textOf(card('https://b.example.com'), '.badge')).toBe('Turned off');
    expect(card('https://b.example.com').querySelector('.disabled-notice')).toBeNull();
  });

  it('says when the endpoints cannot be loaded, and tries again', async () => {
    fixture = TestBed.createComponent(WebhooksPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
    httpTesting.expectOne(ApiRoutes.webhooks).error(new ProgressEvent('error'));
    await settle(fixture);

    expect(alertText(page)).toMatch(/Can't reach the server/);
    await click(getButton(page, 'Try again'));
    httpTesting.expectOne(ApiRoutes.webhooks).flush({ items: [working] });
    await settle(fixture);
    flushEmptyLogs();
    await settle(fixture);

    expect(alertText(page)).toBe('');
    expect(cards()).toHaveLength(1);
  });

  describe('an endpoint the platform disabled', () => {
    beforeEach(() => open([givenUp]));

    it('says so, and why, above everything else about it', async () => {
      const shown = card(givenUp.url);

      expect(textOf(shown, '.badge')).toBe('Disabled by the platform');
      const notice = getByRole(shown, 'group', 'The platform disabled this endpoint');
      expect(accessibleText(notice)).toContain(givenUp.disabledReason);
      expect(accessibleText(notice)).toContain('Nothing is sent to it until you enable it again.');
    });

    it('can be enabled again, which clears the reason', async () => {
      await click(getButton(card(givenUp.url), 'Enable again'));

      const req = httpTesting.expectOne(ApiRoutes.webhook(givenUp.id));
      expect(req.request.method).toBe('PATCH');
      expect(req.request.body).toEqual({ enabled: true });
      await flush(req, { ...givenUp, enabled: true, disabledReason: null });

      const shown = card(givenUp.url);
      expect(textOf(shown, '.badge')).toBe('Enabled');
      expect(shown.querySelector('.disabled-notice')).toBeNull();
      expect(snackBarText()).toBe('Endpoint enabled');
    });

    it('stays disabled and says why when enabling fails', async () => {
      await click(getButton(card(givenUp.url), 'Enable again'));
      await flush(
        httpTesting.expectOne(ApiRoutes.webhook(givenUp.id)),
        errorBody(503, ErrorCode.ServiceUnavailable, 'Try again in a moment.'),
        503,
      );

      expect(alertText(card(givenUp.url))).toBe('Try again in a moment.');
      expect(textOf(card(givenUp.url), '.badge')).toBe('Disabled by the platform');
    });
  });

  describe('adding an endpoint', () => {
    beforeEach(() => open([working]));

    function form(): HTMLElement {
      return getElementByLabel(page, 'form', 'New endpoint');
    }

    async function add(url: string) {
      typeInto(getField(form(), 'Endpoint URL'), url);
      await click(getButton(form(), 'Add endpoint'));
    }

    it('sends the URL and the ticked events, then shows the secret once', async () => {
      const added = aWebhook({
        id: 'new',
        url: 'https://new.example.com/in',
        events: ['video.completed'],
      });
      await click(getField(form(), 'video.failed'));
      await add('  https://new.example.com/in ');

      const req = httpTesting.expectOne(ApiRoutes.webhooks);
      expect(req.request.method).toBe('POST');
      expect(req.request.body).toEqual({
        url: 'https://new.example.com/in',
        events: ['video.completed'],
      });
      await flush(req, { webhook: added, secret: A_WEBHOOK_SECRET }, 201);
      flushEmptyLogs();
      await settle(fixture);

      const box = getByRole(page, 'region', 'Signing secret of your new endpoint');
      expect(accessibleText(box)).toContain(A_WEBHOOK_SECRET);
      expect(accessibleText(box)).toContain('It will not be shown again.');
      expect(accessibleText(box)).toContain('webhook-signature');
      expect(document.activeElement).toBe(box);
      expect(cards().map((c) => textOf(c, 'h3'))).toEqual([added.url, working.url]);

      await click(getButton(box, 'Done'));

      expect(page.querySelector('[role="region"]')).toBeNull();
      expect(page.textContent).not.toContain(A_WEBHOOK_SECRET);
      const url = getField(form(), 'Endpoint URL');
      expect(url.value).toBe('');
      expect(errorUnder(form(), 'Endpoint URL')).toBe('');
      expect((getField(form(), 'video.failed') as HTMLInputElement).checked).toBe(true);
      expect(document.activeElement).toBe(url);
    });

    it('copies the secret to the clipboard and says so', async () => {
      const copy = jest.spyOn(TestBed.inject(Clipboard), 'copy').mockReturnValue(true);
      await add('https://new.example.com/in');
      await flush(httpTesting.expectOne(ApiRoutes.webhooks), {
        webhook: aWebhook({ id: 'new' }),
        secret: A_WEBHOOK_SECRET,
      });
      flushEmptyLogs();
      await settle(fixture);

      await click(getButton(page, 'Copy secret'));

      expect(copy).toHaveBeenCalledWith(A_WEBHOOK_SECRET);
      expect(snackBarText()).toBe('Secret copied');
    });

    it('asks for a whole URL and an event, and sends nothing without them', async () => {
      await add('   ');
      expect(errorUnder(form(), 'Endpoint URL')).toBe('Endpoint URL is required.');

      await add('example.com/hooks');
      expect(errorUnder(form(), 'Endpoint URL')).toBe(
        'Enter a whole address, starting with https://',
      );

      await click(getField(form(), 'video.completed'));
      await click(getField(form(), 'video.failed'));
      await add('https://new.example.com/in');
      expect(errorUnder(form(), 'Endpoint URL')).toBe('');
      expect(eventsError(form())).toBe('Choose at least one event.');
      httpTesting.expectNone(ApiRoutes.webhooks);
    });

    it("shows the API's field errors under their fields and keeps the form", async () => {
      await add('http://127.0.0.1:9000/in');
      await flush(
        httpTesting.expectOne(ApiRoutes.webhooks),
        errorBody(400, ErrorCode.ValidationFailed, 'Check the form.', [
          { field: 'url', message: 'Private, loopback and link-local addresses are refused.' },
          { field: 'events', message: 'Unknown event.' },
        ]),
        400,
      );

      expect(errorUnder(form(), 'Endpoint URL')).toBe(
        'Private, loopback and link-local addresses are refused.',
      );
      expect(eventsError(form())).toBe('Unknown event.');
      expect(alertText(form())).toBe('');
      expect(getField(form(), 'Endpoint URL').value).toBe('http://127.0.0.1:9000/in');
      expect(cards()).toHaveLength(1);
    });

    it('shows other failures in the alert', async () => {
      await add('https://new.example.com/in');
      httpTesting.expectOne(ApiRoutes.webhooks).error(new ProgressEvent('error'));
      await settle(fixture);

      expect(alertText(form())).toMatch(/Can't reach the server/);
    });
  });

  describe('editing an endpoint', () => {
    beforeEach(async () => {
      await open([working]);
      await click(getButton(card(working.url), 'Edit'));
    });

    function toggle(): HTMLButtonElement {
      return getElementByLabel(dialog(), '[role="switch"]', 'Enabled') as HTMLButtonElement;
    }

    it('sends only what changed and shows the endpoint as saved', async () => {
      expect(getField(dialog(), 'Endpoint URL').value).toBe(working.url);
      expect(toggle().getAttribute('aria-checked')).toBe('true');

      await click(getField(dialog(), 'video.completed'));
      await click(toggle());
      await click(getButton(dialog(), 'Save'));

      const req = httpTesting.expectOne(ApiRoutes.webhook(working.id));
      expect(req.request.method).toBe('PATCH');
      expect(req.request.body).toEqual({ events: ['video.failed'], enabled: false });
      await flush(req, { ...working, events: ['video.failed'], enabled: false });

      expect(document.querySelector('[role="dialog"]')).toBeNull();
      const shown = card(working.url);
      expect(fact(shown, 'Events')).toBe('video.failed');
      expect(textOf(shown, '.badge')).toBe('Turned off');
    });

    it('closes without asking the API when nothing changed', async () => {
      await click(getButton(dialog(), 'Save'));

      expect(document.querySelector('[role="dialog"]')).toBeNull();
      httpTesting.expectNone(ApiRoutes.webhook(working.id));
    });

    it("keeps the dialog open with the API's error under the URL", async () => {
      typeInto(getField(dialog(), 'Endpoint URL'), 'http://10.0.0.8/in');
      await click(getButton(dialog(), 'Save'));
      const req = httpTesting.expectOne(ApiRoutes.webhook(working.id));
      expect(req.request.body).toEqual({ url: 'http://10.0.0.8/in' });
      await flush(
        req,
        errorBody(400, ErrorCode.ValidationFailed, 'Check the form.', [
          { field: 'url', message: 'Private, loopback and link-local addresses are refused.' },
        ]),
        400,
      );

      expect(errorUnder(dialog(), 'Endpoint URL')).toBe(
        'Private, loopback and link-local addresses are refused.',
      );
      expect(textOf(card(working.url), 'h3')).toBe(working.url);
    });
  });

  describe('deleting an endpoint', () => {
    beforeEach(async () => {
      await open([working, givenUp]);
      await click(getButton(card(working.url), 'Delete'));
    });

    it('asks first, and Cancel keeps it', async () => {
      expect(accessibleText(dialog())).toContain('Delete endpoint?');
      expect(textOf(dialog(), 'p')).toBe(
        `No more events will be sent to ${working.url}, and its delivery log goes with it. This cannot be undone.`,
      );

      await click(getButton(dialog(), 'Cancel'));

      httpTesting.expectNone(ApiRoutes.webhook(working.id));
      expect(cards()).toHaveLength(2);
    });

    it('deletes once confirmed and takes it off the list', async () => {
      await click(getButton(dialog(), 'Delete endpoint'));

      const req = httpTesting.expectOne(ApiRoutes.webhook(working.id));
      expect(req.request.method).toBe('DELETE');
      await flush(req, null, 204);

      expect(cards().map((c) => textOf(c, 'h3'))).toEqual([givenUp.url]);
      expect(snackBarText()).toBe('Endpoint deleted');
    });

    it('takes one deleted elsewhere off the list too', async () => {
      await click(getButton(dialog(), 'Delete endpoint'));
      await flush(
        httpTesting.expectOne(ApiRoutes.webhook(working.id)),
        errorBody(404, ErrorCode.NotFound, 'Webhook not found.'),
        404,
      );

      expect(alertText(page)).toBe('');
      expect(cards()).toHaveLength(1);
    });
  });

  describe('sending a test event', () => {
    beforeEach(() => open([working]));

    it('shows its delivery at once, then the log as the server has it', async () => {
      const delivery = aDelivery({ id: 'msg_test', eventType: 'webhook.test' });
      await click(getButton(card(working.url), 'Send test event'));

      expect(queryButton(card(working.url), 'Edit')?.disabled).toBe(true);
      const req = httpTesting.expectOne(ApiRoutes.webhookTest(working.id));
      expect(req.request.method).toBe('POST');
      await flush(req, { delivery });

      expect(textOf(card(working.url), '.delivery')).toContain('webhook.test');
      expect(snackBarText()).toBe('Test event delivered');
      const older = aDelivery({ id: 'msg_older' });
      await flush(httpTesting.expectOne(isDeliveries(working)), {
        items: [delivery, older],
        nextCursor: null,
      });

      const shown = [...card(working.url).querySelectorAll('.delivery code.event')];
      expect(shown.map((e) => accessibleText(e))).toEqual(['webhook.test', 'video.completed']);
      expect(queryButton(card(working.url), 'Edit')?.disabled).toBe(false);
    });

    it('says why when the API refuses to send it', async () => {
      await click(getButton(card(working.url), 'Send test event'));
      await flush(
        httpTesting.expectOne(ApiRoutes.webhookTest(working.id)),
        errorBody(409, ErrorCode.InvalidState, 'Enable the endpoint first.'),
        409,
      );

      expect(alertText(card(working.url))).toBe('Enable the endpoint first.');
      httpTesting.expectNone(isDeliveries(working));
    });
  });
});

/** The element matching `selector` whose aria-label or <label> reads `label`. */
function getElementByLabel(root: ParentNode, selector: string, label: string): HTMLElement {
  const found = [...root.querySelectorAll<HTMLElement>(selector)].filter((element) => {
    if (element.getAttribute('aria-label') === label) return true;
    return [...((element as HTMLInputElement).labels ?? [])].some(
      (l) => accessibleText(l) === label,
    );
  });
  if (found.length !== 1)
    throw new Error(`Expected one ${selector} "${label}", found ${found.length}`);
  return found[0];
}

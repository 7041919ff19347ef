import { Clipboard } from '@angular/cdk/clipboard';
import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ApiKey, ApiRoutes, ErrorCode } from '@vidgen/contracts';
import { A_SECRET, anApiKey } from '../../../testing/api-keys';
import {
  accessibleText,
  alertText,
  chooseOption,
  errorUnder,
  getButton,
  getByRole,
  getField,
  getSelect,
  queryButton,
  settle,
  textOf,
  typeInto,
} from '../../../testing/dom';
import { errorBody, testProviders } from '../../../testing/providers';
import { ApiKeysSection } from './api-keys-section';

describe('ApiKeysSection', () => {
  let fixture: ComponentFixture<ApiKeysSection>;
  let section: HTMLElement;
  let httpTesting: HttpTestingController;

  const lastUsed = '2026-03-20T17:02:11.000Z';
  const expiredOn = '2026-01-31T23:59:59.999Z';
  const inUse = anApiKey({ lastUsedAt: lastUsed });
  const expired = anApiKey({
    id: 'f1d2c3b4-a596-4877-8899-aabbccddeeff',
    name: 'Old laptop',
    prefix: 'vg_Zx81pQ',
    lastUsedAt: null,
    expiresAt: expiredOn,
  });

  async function open(keys: ApiKey[]) {
    fixture = TestBed.createComponent(ApiKeysSection);
    section = fixture.nativeElement as HTMLElement;
    await settle(fixture);
    httpTesting.expectOne(ApiRoutes.apiKeys).flush({ items: keys });
    await settle(fixture);
  }

  function rows(): HTMLElement[] {
    return [...section.querySelectorAll<HTMLElement>('li')];
  }

  function row(name: string): HTMLElement {
    const found = rows().find((r) => textOf(r, '.key-name') === name);
    if (!found) throw new Error(`No key named ${name}`);
    return found;
  }

  function fact(root: HTMLElement, term: string): string {
    const dt = [...root.querySelectorAll('dt')].find((d) => accessibleText(d) === term);
    return dt?.nextElementSibling ? accessibleText(dt.nextElementSibling) : '';
  }

  function secretBox(): HTMLElement | null {
    return section.querySelector<HTMLElement>('[role="region"]');
  }

  function dialog(): HTMLElement {
    const element = document.querySelector<HTMLElement>('[role="dialog"]');
    if (!element) throw new Error('No dialog open');
    return element;
  }

  function snackBarText(): string {
    return document.querySelector('mat-snack-bar-container')?.textContent?.trim() ?? '';
  }

  async function click(button: HTMLButtonElement) {
    button.click();
    await settle(fixture);
  }

  function day(date: Date): string {
    return date.toLocaleDateString('en-US', { dateStyle: 'medium' });
  }

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    httpTesting = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpTesting.verify());

  it('says what a key may and may not do', async () => {
    await open([]);

    const intro = textOf(section, '.intro');
    expect(intro).toContain('OpenAI-compatible API at /v1');
    expect(intro).toContain('MCP server');
    expect(intro).toContain('cannot manage keys, change your password or delete your account');
    expect(section.textContent).toContain('No keys yet.');
  });

  it('lists each key by name and prefix, with its dates, marking the expired ones', async () => {
    await open([inUse, expired]);

    expect(rows()).toHaveLength(2);
    const used = row('Render farm');
    expect(accessibleText(used)).toContain('vg_7Qm2xK…');
    expect(fact(used, 'Created')).toBe(day(new Date(inUse.createdAt)));
    expect(fact(used, 'Last used')).toBe(day(new Date(lastUsed)));
    expect(fact(used, 'Expires')).toBe('Never');
    expect(used.querySelector('.badge')).toBeNull();

    const old = row('Old laptop');
    expect(fact(old, 'Last used')).toBe('Never');
    expect(fact(old, 'Expired')).toBe(day(new Date(expiredOn)));
    expect(textOf(old, '.badge')).toBe('Expired');
  });

  it('says when the keys cannot be loaded, and tries again', async () => {
    fixture = TestBed.createComponent(ApiKeysSection);
    section = fixture.nativeElement as HTMLElement;
    await settle(fixture);
    httpTesting.expectOne(ApiRoutes.apiKeys).error(new ProgressEvent('error'));
    await settle(fixture);

    expect(alertText(section)).toMatch(/Can't reach the server/);
    await click(getButton(section, 'Try again'));
    httpTesting.expectOne(ApiRoutes.apiKeys).flush({ items: [inUse] });
    await settle(fixture);

    expect(alertText(section)).toBe('');
    expect(rows()).toHaveLength(1);
  });

  describe('creating a key', () => {
    beforeEach(() => open([inUse]));

    async function createKey(name: string) {
      typeInto(getField(section, 'Key name'), name);
      await click(getButton(section, 'Create key'));
    }

    it('shows the secret once, with a warning, then only its prefix', async () => {
      const created = anApiKey({ id: 'new-key', name: 'CI', lastUsedAt: null });
      await createKey('  CI ');

      expect(queryButton(section, 'Create key')?.disabled).toBe(true);
      const req = httpTesting.expectOne(ApiRoutes.apiKeys);
      expect(req.request.method).toBe('POST');
      expect(req.request.body).toEqual({ name: 'CI' });
      req.flush({ apiKey: created, secret: A_SECRET }, { status: 201, statusText: 'Created' });
      await settle(fixture);

      const box = getByRole(section, 'region', 'Your new key “CI”');
      expect(accessibleText(box)).toContain(A_SECRET);
      expect(accessibleText(box)).toContain('It will not be shown again.');
      expect(document.activeElement).toBe(box);
      expect(rows().map((r) => textOf(r, '.key-name'))).toEqual(['CI', 'Render farm']);

      await click(getButton(box, 'Done'));

      expect(secretBox()).toBeNull();
      expect(section.textContent).not.toContain(A_SECRET);
      expect(accessibleText(row('CI'))).toContain('vg_7Qm2xK…');
      expect(getField(section, 'Key name').value).toBe('');
      expect(errorUnder(section, 'Key name')).toBe('');
      expect(document.activeElement).toBe(getField(section, 'Key name'));
    });

    it('copies the secret to the clipboard and says so', async () => {
      const copy = jest.spyOn(TestBed.inject(Clipboard), 'copy').mockReturnValue(true);
      await createKey('CI');
      httpTesting
        .expectOne(ApiRoutes.apiKeys)
        .flush({ apiKey: anApiKey({ id: 'new-key', name: 'CI' }), secret: A_SECRET });
      await settle(fixture);

      await click(getButton(section, 'Copy key'));

      expect(copy).toHaveBeenCalledWith(A_SECRET);
      expect(snackBarText()).toBe('Key copied');
    });

    it('says to copy the key by hand when the clipboard refuses', async () => {
      jest.spyOn(TestBed.inject(Clipboard), 'copy').mockReturnValue(false);
      await createKey('CI');
      httpTesting
        .expectOne(ApiRoutes.apiKeys)
        .flush({ apiKey: anApiKey({ id: 'new-key', name: 'CI' }), secret: A_SECRET });
      await settle(fixture);

      await click(getButton(section, 'Copy key'));

      expect(snackBarText()).toBe("Couldn't copy. Select the key and copy it yourself.");
    });

    it('asks for a name and sends nothing without one', async () => {
      await createKey('   ');

      expect(errorUnder(section, 'Key name')).toBe('Key name is required.');
      httpTesting.expectNone(ApiRoutes.apiKeys);
    });

    it('sends an expiry 30 days ahead', async () => {
      await chooseOption(fixture, section, 'Expires', 'In 30 days');
      const before = Date.now();
      await createKey('CI');

      const req = httpTesting.expectOne(ApiRoutes.apiKeys);
      const expiresAt = Date.parse(req.request.body.expiresAt);
      const thirtyDays = 30 * 24 * 60 * 60 * 1000;
      expect(expiresAt).toBeGreaterThanOrEqual(before + thirtyDays);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + thirtyDays);
      req.flush({ apiKey: anApiKey({ id: 'new-key' }), secret: A_SECRET });
      await settle(fixture);
    });

    it('sends the end of a chosen day, and refuses a day gone by', async () => {
      expect(() => getField(section, 'Expiry date')).toThrow();
      await chooseOption(fixture, section, 'Expires', 'On a date');
      await createKey('CI');

      expect(errorUnder(section, 'Expiry date')).toBe('Expiry date is required.');
      typeInto(getField(section, 'Expiry date'), '2020-01-31');
      await click(getButton(section, 'Create key'));
      expect(errorUnder(section, 'Expiry date')).toBe('Choose today or a later day.');
      httpTesting.expectNone(ApiRoutes.apiKeys);

      const year = new Date().getFullYear() + 1;
      typeInto(getField(section, 'Expiry date'), `${year}-06-30`);
      await click(getButton(section, 'Create key'));

      const req = httpTesting.expectOne(ApiRoutes.apiKeys);
      expect(req.request.body).toEqual({
        name: 'CI',
        expiresAt: new Date(year, 5, 30, 23, 59, 59, 999).toISOString(),
      });
      req.flush({ apiKey: anApiKey({ id: 'new-key' }), secret: A_SECRET });
      await settle(fixture);
    });

    it("shows the API's field errors under their fields and keeps the form", async () => {
      await createKey('CI');
      httpTesting.expectOne(ApiRoutes.apiKeys).flush(
        errorBody(400, ErrorCode.ValidationFailed, 'Check the form.', [
          { field: 'name', message: 'You already have a key with this name.' },
          { field: 'expiresAt', message: 'Keys live at most a year.' },
        ]),
        { status: 400, statusText: 'Bad Request' },
      );
      await settle(fixture);

      expect(errorUnder(section, 'Key name')).toBe('You already have a key with this name.');
      const expiryField = getSelect(section, 'Expires').closest('mat-form-field');
      expect(expiryField && textOf(expiryField, 'mat-error')).toBe('Keys live at most a year.');
      expect(secretBox()).toBeNull();
      expect(rows()).toHaveLength(1);
    });

    it('shows other failures in the alert', async () => {
      await createKey('CI');
      httpTesting.expectOne(ApiRoutes.apiKeys).error(new ProgressEvent('error'));
      await settle(fixture);

      expect(alertText(section)).toMatch(/Can't reach the server/);
      expect(getField(section, 'Key name').value).toBe('CI');
    });
  });

  describe('revoking a key', () => {
    beforeEach(async () => {
      await open([inUse, expired]);
      await click(getButton(row('Render farm'), 'Revoke Render farm'));
    });

    it('asks first, and Cancel keeps the key', async () => {
      expect(accessibleText(dialog())).toContain('Revoke API key?');
      expect(textOf(dialog(), 'p')).toBe(
        'Programs using “Render farm” (vg_7Qm2xK…) will be refused from now on. This cannot be undone.',
      );

      await click(getButton(dialog(), 'Cancel'));

      expect(document.querySelector('[role="dialog"]')).toBeNull();
      httpTesting.expectNone(ApiRoutes.apiKey(inUse.id));
      expect(rows()).toHaveLength(2);
    });

    it('revokes once confirmed and takes the key off the list', async () => {
      await click(getButton(dialog(), 'Revoke key'));

      expect(queryButton(section, 'Revoke Old laptop')?.disabled).toBe(true);
      const req = httpTesting.expectOne(ApiRoutes.apiKey(inUse.id));
      expect(req.request.method).toBe('DELETE');
      req.flush(null, { status: 204, statusText: 'No Content' });
      await settle(fixture);

      expect(rows().map((r) => textOf(r, '.key-name'))).toEqual(['Old laptop']);
      expect(snackBarText()).toBe('API key “Render farm” revoked');
    });

    it('keeps the key and says why when revoking fails', async () => {
      await click(getButton(dialog(), 'Revoke key'));
      httpTesting
        .expectOne(ApiRoutes.apiKey(inUse.id))
        .flush(errorBody(503, ErrorCode.ServiceUnavailable, 'Try again in a moment.'), {
          status: 503,
          statusText: 'Service Unavailable',
        });
      await settle(fixture);

      expect(alertText(section)).toBe('Try again in a moment.');
      expect(rows()).toHaveLength(2);
      expect(queryButton(section, 'Revoke Render farm')?.disabled).toBe(false);
    });

    it('takes a key revoked elsewhere off the list too', async () => {
      await click(getButton(dialog(), 'Revoke key'));
      httpTesting
        .expectOne(ApiRoutes.apiKey(inUse.id))
        .flush(errorBody(404, ErrorCode.NotFound, 'API key not found.'), {
          status: 404,
          statusText: 'Not Found',
        });
      await settle(fixture);

      expect(alertText(section)).toBe('');
      expect(rows()).toHaveLength(1);
    });
  });
});

import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApiRoutes, DISPLAY_NAME_MAX_LENGTH, ErrorCode } from '@vidgen/contracts';
import {
  alertText,
  errorUnder,
  getButton,
  getField,
  getLink,
  heading,
  settle,
  typeInto,
} from '../../../testing/dom';
import { aUser, errorBody, stubRoutes, testProviders } from '../../../testing/providers';
import { RegisterPage } from './register-page';

describe('RegisterPage', () => {
  let harness: RouterTestingHarness;
  let page: HTMLElement;
  let httpTesting: HttpTestingController;

  async function fillAndSubmit(values: { email: string; password: string; displayName?: string }) {
    typeInto(getField(page, 'Email'), values.email);
    typeInto(getField(page, 'Password'), values.password);
    if (values.displayName !== undefined)
      typeInto(getField(page, 'Display name'), values.displayName);
    getButton(page, 'Create account').click();
    await settle(harness.fixture);
  }

  function failWith(status: number, body: object) {
    httpTesting.expectOne(ApiRoutes.register).flush(body, { status, statusText: 'Error' });
    return settle(harness.fixture);
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: testProviders([{ path: 'register', component: RegisterPage }, ...stubRoutes]),
    });
    httpTesting = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/register', RegisterPage);
    page = harness.routeNativeElement as HTMLElement;
  });

  afterEach(() => httpTesting.verify());

  it('shows the form with a way back to logging in', () => {
    expect(heading(page)).toBe('Create your account');
    expect(getField(page, 'Display name')).toBeTruthy();
    expect(getLink(page, 'Log in instead').getAttribute('href')).toBe('/login');
  });

  it('explains bad input under each field and sends nothing', async () => {
    await fillAndSubmit({
      email: 'not-an-email',
      password: 'short',
      displayName: 'x'.repeat(DISPLAY_NAME_MAX_LENGTH + 1),
    });

    expect(errorUnder(page, 'Email')).toMatch(/valid email address/);
    expect(errorUnder(page, 'Password')).toBe('Use at least 8 characters.');
    expect(errorUnder(page, 'Display name')).toBe(
      `Use at most ${DISPLAY_NAME_MAX_LENGTH} characters.`,
    );
    httpTesting.expectNone(ApiRoutes.register);
  });

  it('creates the account and opens Create', async () => {
    await fillAndSubmit({
      email: ' ada@example.com ',
      password: 'correct horse',
      displayName: ' Ada ',
    });

    const req = httpTesting.expectOne(ApiRoutes.register);
    expect(req.request.body).toEqual({
      email: 'ada@example.com',
      password: 'correct horse',
      displayName: 'Ada',
    });
    req.flush(
      { user: aUser(), accessToken: 't', expiresIn: 1 },
      { status: 201, statusText: 'Created' },
    );
    await settle(harness.fixture);

    expect(TestBed.inject(Router).url).toBe('/create');
  });

  it('leaves out an empty display name', async () => {
    await fillAndSubmit({
      email: 'ada@example.com',
      password: 'correct horse',
      displayName: '  ',
    });

    const req = httpTesting.expectOne(ApiRoutes.register);
    expect(req.request.body).toEqual({
      email: 'ada@example.com',
      password: 'correct horse',
    });
    req.flush({ user: aUser(), accessToken: 't', expiresIn: 1 });
    await settle(harness.fixture);
  });

  it('shows a taken email under the Email field', async () => {
    await fillAndSubmit({
      email: 'ada@example.com',
      password: 'correct horse',
    });
    await failWith(409, errorBody(409, ErrorCode.EmailTaken, 'This email is already registered.'));

    expect(errorUnder(page, 'Email')).toBe('This email is already registered.');
    expect(alertText(page)).toBe('');
    expect(TestBed.inject(Router).url).toBe('/register');
  });

  it("puts the server's field errors under their fields", async () => {
    await fillAndSubmit({
      email: 'ada@example.com',
      password: 'correct horse',
    });
    await failWith(
      400,
      errorBody(400, ErrorCode.ValidationFailed, 'Check the highlighted fields.', [
        { field: 'password', message: 'Password is too common.' },
      ]),
    );

    expect(errorUnder(page, 'Password')).toBe('Password is too common.');
    expect(errorUnder(page, 'Email')).toBe('');
  });

  it('clears a server error once the field is edited', async () => {
    await fillAndSubmit({
      email: 'ada@example.com',
      password: 'correct horse',
    });
    await failWith(409, errorBody(409, ErrorCode.EmailTaken, 'This email is already registered.'));

    typeInto(getField(page, 'Email'), 'grace@example.com');
    await settle(harness.fixture);

    expect(errorUnder(page, 'Email')).toBe('');
  });

  it('shows other failures in the alert area', async () => {
    await fillAndSubmit({
      email: 'ada@example.com',
      password: 'correct horse',
    });
    await failWith(429, errorBody(429, ErrorCode.RateLimited, 'Too many requests.'));

    expect(alertText(page)).toBe('Too many requests.');
  });
});

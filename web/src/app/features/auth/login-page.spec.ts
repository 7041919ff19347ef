import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApiRoutes, ErrorCode } from '@vidgen/contracts';
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
import { AuthService } from '../../core/auth/auth.service';
import { LoginPage } from './login-page';

describe('LoginPage', () => {
  let harness: RouterTestingHarness;
  let page: HTMLElement;
  let httpTesting: HttpTestingController;

  async function open(url = '/login') {
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url, LoginPage);
    page = harness.routeNativeElement as HTMLElement;
    httpTesting = TestBed.inject(HttpTestingController);
  }

  async function logIn(email: string, password: string) {
    typeInto(getField(page, 'Email'), email);
    typeInto(getField(page, 'Password'), password);
    getButton(page, 'Log in').click();
    await settle(harness.fixture);
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: testProviders([{ path: 'login', component: LoginPage }, ...stubRoutes]),
    });
  });

  afterEach(() => httpTesting.verify());

  it('shows the form with a way to create an account', async () => {
    await open();

    expect(heading(page)).toBe('Log in');
    expect(getField(page, 'Email').type).toBe('email');
    expect(getField(page, 'Password').type).toBe('password');
    expect(getLink(page, 'Create an account').getAttribute('href')).toBe('/register');
  });

  it('says what is missing instead of sending an empty form', async () => {
    await open();

    getButton(page, 'Log in').click();
    await settle(harness.fixture);

    expect(errorUnder(page, 'Email')).toBe('Email is required.');
    expect(errorUnder(page, 'Password')).toBe('Password is required.');
    httpTesting.expectNone(ApiRoutes.login);
  });

  it('asks for a real email address', async () => {
    await open();

    await logIn('not-an-email', 'whatever');

    expect(errorUnder(page, 'Email')).toMatch(/valid email address/);
    httpTesting.expectNone(ApiRoutes.login);
  });

  it("shows the API's message when the email or password is wrong", async () => {
    await open();
    await logIn('ada@example.com', 'wrong');

    httpTesting
      .expectOne(ApiRoutes.login)
      .flush(errorBody(401, ErrorCode.InvalidCredentials, 'Email or password is incorrect.'), {
        status: 401,
        statusText: 'Unauthorized',
      });
    await settle(harness.fixture);

    expect(alertText(page)).toBe('Email or password is incorrect.');
    expect(TestBed.inject(Router).url).toBe('/login');
    expect(getButton(page, 'Log in').disabled).toBe(false);
  });

  it('disables the button and shows progress while the request runs', async () => {
    await open();
    await logIn('ada@example.com', 'correct horse');

    expect(getButton(page, 'Log in').disabled).toBe(true);
    expect(page.querySelector('mat-progress-bar')).not.toBeNull();

    httpTesting.expectOne(ApiRoutes.login).flush({ user: aUser(), accessToken: 't', expiresIn: 1 });
    await settle(harness.fixture);
  });

  it('tells how long to wait after too many attempts', async () => {
    await open();
    await logIn('ada@example.com', 'wrong');

    httpTesting
      .expectOne(ApiRoutes.login)
      .flush(errorBody(429, ErrorCode.TooManyFailedLogins, 'Too many failed logins.'), {
        status: 429,
        statusText: 'Too Many Requests',
        headers: { 'Retry-After': '60' },
      });
    await settle(harness.fixture);

    expect(alertText(page)).toBe('Too many failed logins. Try again in 60 seconds.');
  });

  it('goes back to the page that asked for a login', async () => {
    await open('/login?returnUrl=%2Fprofile%3Ffrom%3Dmail');
    await logIn('ada@example.com', 'correct horse');

    httpTesting.expectOne(ApiRoutes.login).flush({ user: aUser(), accessToken: 't', expiresIn: 1 });
    await settle(harness.fixture);

    expect(TestBed.inject(Router).url).toBe('/profile?from=mail');
    expect(TestBed.inject(AuthService).user()?.email).toBe('ada@example.com');
  });

  it('starts on Create after a plain login', async () => {
    await open();
    await logIn('ada@example.com', 'correct horse');

    httpTesting.expectOne(ApiRoutes.login).flush({ user: aUser(), accessToken: 't', expiresIn: 1 });
    await settle(harness.fixture);

    expect(TestBed.inject(Router).url).toBe('/create');
  });

  it('ignores a return address outside the app', async () => {
    await open('/login?returnUrl=https%3A%2F%2Fevil.example');
    await logIn('ada@example.com', 'correct horse');

    httpTesting.expectOne(ApiRoutes.login).flush({ user: aUser(), accessToken: 't', expiresIn: 1 });
    await settle(harness.fixture);

    expect(TestBed.inject(Router).url).toBe('/create');
  });
});

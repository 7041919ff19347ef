import { HttpClient } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ErrorCode } from '@vidgen/contracts';
import { firstValueFrom } from 'rxjs';
import { aUser, errorBody, testProviders } from '../../../testing/providers';
import { AuthService } from '../auth/auth.service';
import { ApiError } from './api-error';
import { expectsUnauthenticated } from './http-context';

describe('apiErrorInterceptor', () => {
  let http: HttpClient;
  let httpTesting: HttpTestingController;
  let auth: AuthService;
  let router: Router;

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: testProviders() });
    http = TestBed.inject(HttpClient);
    httpTesting = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthService);
    router = TestBed.inject(Router);
    auth.setUser(aUser());
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/profile?tab=stats');
  });

  afterEach(() => httpTesting.verify());

  async function failWith(status: number, body: object, context = {}) {
    const result = firstValueFrom(http.get('/api/users/me', context));
    httpTesting.expectOne('/api/users/me').flush(body, { status, statusText: 'Error' });
    return result.catch((error: unknown) => error);
  }

  it('on a 401, forgets the user and asks them to log in again, then come back', async () => {
    const error = await failWith(401, errorBody(401, ErrorCode.Unauthenticated, 'Log in.'));

    expect(error).toBeInstanceOf(ApiError);
    expect(auth.user()).toBeNull();
    await new Promise((resolve) => setTimeout(resolve));
    expect(router.url).toBe('/login?returnUrl=%2Fprofile%3Ftab%3Dstats');
  });

  it('leaves a 401 alone when the request expected it (login, session check)', async () => {
    const error = await failWith(
      401,
      errorBody(401, ErrorCode.InvalidCredentials, 'Email or password is incorrect.'),
      { context: expectsUnauthenticated() },
    );
    await new Promise((resolve) => setTimeout(resolve));

    expect((error as ApiError).code).toBe(ErrorCode.InvalidCredentials);
    expect(auth.user()).not.toBeNull();
    expect(router.url).toBe('/profile?tab=stats');
  });

  it('maps other errors to ApiError without touching the session', async () => {
    const error = (await failWith(
      400,
      errorBody(400, ErrorCode.ValidationFailed, 'Check the form.', [
        { field: 'displayName', message: 'Too long.' },
      ]),
    )) as ApiError;

    expect(error.code).toBe(ErrorCode.ValidationFailed);
    expect(error.details).toEqual([{ field: 'displayName', message: 'Too long.' }]);
    expect(auth.user()).not.toBeNull();
  });
});

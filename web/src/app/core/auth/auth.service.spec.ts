import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApiRoutes, ErrorCode } from '@vidgen/contracts';
import { aUser, errorBody, testProviders } from '../../../testing/providers';
import { ApiError } from '../http/api-error';
import { AuthService } from './auth.service';

describe('AuthService', () => {
  let auth: AuthService;
  let httpTesting: HttpTestingController;
  const user = aUser();

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    auth = TestBed.inject(AuthService);
    httpTesting = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpTesting.verify());

  it('starts logged out', () => {
    expect(auth.user()).toBeNull();
    expect(auth.isAuthenticated()).toBe(false);
  });

  it('logs in with the credentials and remembers the user, not the token', async () => {
    const setItem = jest.spyOn(Storage.prototype, 'setItem');
    const result = auth.login({
      email: 'ada@example.com',
      password: 'correct horse',
    });

    const req = httpTesting.expectOne(ApiRoutes.login);
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({
      email: 'ada@example.com',
      password: 'correct horse',
    });
    req.flush({ user, accessToken: 'secret-token', expiresIn: 3600 });

    await expect(result).resolves.toEqual(user);
    expect(auth.user()).toEqual(user);
    expect(auth.isAuthenticated()).toBe(true);
    expect(setItem).not.toHaveBeenCalled();
    setItem.mockRestore();
  });

  it('rejects a wrong password with the API message and stays logged out', async () => {
    const result = auth.login({ email: 'ada@example.com', password: 'nope' });
    httpTesting
      .expectOne(ApiRoutes.login)
      .flush(errorBody(401, ErrorCode.InvalidCredentials, 'Email or password is incorrect.'), {
        status: 401,
        statusText: 'Unauthorized',
      });

    await expect(result).rejects.toMatchObject({
      code: ErrorCode.InvalidCredentials,
      message: 'Email or password is incorrect.',
    });
    expect(auth.isAuthenticated()).toBe(false);
  });

  it('registers and is then logged in', async () => {
    const result = auth.register({
      email: 'ada@example.com',
      password: 'correct horse',
    });
    const req = httpTesting.expectOne(ApiRoutes.register);
    expect(req.request.method).toBe('POST');
    req.flush({ user, accessToken: 't', expiresIn: 3600 }, { status: 201, statusText: 'Created' });

    await result;
    expect(auth.user()).toEqual(user);
  });

  it('restores the session from the cookie', async () => {
    const result = auth.loadMe();
    httpTesting.expectOne(ApiRoutes.me).flush({ user });

    await expect(result).resolves.toEqual(user);
    expect(auth.isAuthenticated()).toBe(true);
  });

  it('treats a 401 from the session check as logged out, without redirecting', async () => {
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate');
    const result = auth.loadMe();
    httpTesting
      .expectOne(ApiRoutes.me)
      .flush(errorBody(401, ErrorCode.Unauthenticated, 'Log in first.'), {
        status: 401,
        statusText: 'Unauthorized',
      });

    await expect(result).resolves.toBeNull();
    expect(auth.isAuthenticated()).toBe(false);
    expect(navigate).not.toHaveBeenCalled();
  });

  describe('sessionEnded', () => {
    it('is false while the session holds, and keeps the user in step', async () => {
      const result = auth.sessionEnded();
      httpTesting.expectOne(ApiRoutes.me).flush({ user });

      await expect(result).resolves.toBe(false);
      expect(auth.user()).toEqual(user);
    });

    it('is true on a 401, which sends the person to log in like any other', async () => {
      await RouterTestingHarness.create('/profile');
      auth.setUser(user);
      const result = auth.sessionEnded();
      httpTesting
        .expectOne(ApiRoutes.me)
        .flush(errorBody(401, ErrorCode.Unauthenticated, 'Your session has ended.'), {
          status: 401,
          statusText: 'Unauthorized',
        });

      await expect(result).resolves.toBe(true);
      await new Promise((resolve) => setTimeout(resolve));
      expect(auth.user()).toBeNull();
      expect(TestBed.inject(Router).url).toBe('/login?returnUrl=%2Fprofile');
    });

    it('is false when the server cannot tell: unreachable or overloaded', async () => {
      auth.setUser(user);
      const unreachable = auth.sessionEnded();
      httpTesting.expectOne(ApiRoutes.me).error(new ProgressEvent('error'));
      const overloaded = auth.sessionEnded();
      httpTesting.expectOne(ApiRoutes.me).flush(null, { status: 502, statusText: 'Bad Gateway' });

      await expect(unreachable).resolves.toBe(false);
      await expect(overloaded).resolves.toBe(false);
      expect(auth.user()).toEqual(user);
    });
  });

  it('logs out on the server and locally, then shows the login page', async () => {
    const harness = await RouterTestingHarness.create('/profile');
    auth.setUser(user);

    const done = auth.logout();
    const req = httpTesting.expectOne(ApiRoutes.logout);
    expect(req.request.method).toBe('POST');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await done;

    expect(auth.user()).toBeNull();
    expect(TestBed.inject(Router).url).toBe('/login');
    expect(harness.routeNativeElement).toBeTruthy();
  });

  it('still logs out locally when the server cannot be reached', async () => {
    auth.setUser(user);
    const done = auth.logout();
    httpTesting.expectOne(ApiRoutes.logout).error(new ProgressEvent('error'));
    await done;

    expect(auth.user()).toBeNull();
  });

  it('exposes errors as ApiError', async () => {
    const result = auth.register({
      email: 'ada@example.com',
      password: 'correct horse',
    });
    httpTesting
      .expectOne(ApiRoutes.register)
      .flush(errorBody(409, ErrorCode.EmailTaken, 'That email is already registered.'), {
        status: 409,
        statusText: 'Conflict',
      });

    await expect(result).rejects.toBeInstanceOf(ApiError);
  });
});

import { ApiRoutes, CSRF_COOKIE, ErrorCode, SESSION_COOKIE } from '@vidgen/contracts';
import { Response } from 'supertest';
import { PasswordHasher } from '../src/users/password-hasher';
import { startApp, TestApp } from './support/app';
import { expectApiError } from './support/errors';
import {
  anonymous,
  isCleared,
  Session,
  sessionFrom,
  setCookie,
  withBearer,
  withCookies,
} from './support/http';
import { decodeJwt, signJwt, unsignedJwt } from './support/tokens';
import { createUser, logIn, uniquePassword } from './support/users';

// Known here (elsewhere the app generates its own) so that tests can forge otherwise-valid tokens.
const JWT_SECRET = 'e2e-secret-of-the-sessions-suite-0123456789';

let api: TestApp;

beforeAll(async () => {
  api = await startApp({ JWT_SECRET });
});

afterAll(() => api?.close());

const expectUnauthenticated = (response: Response) =>
  expectApiError(response, 401, ErrorCode.Unauthenticated);

describe('GET /api/auth/me', () => {
  it('knows the user from a Bearer token and from the session cookie alike', async () => {
    const alice = await createUser(api);

    const byBearer = await withBearer(api, alice).get(ApiRoutes.me);
    const byCookie = await withCookies(api, alice, { csrfToken: null }).get(ApiRoutes.me);

    expect(byBearer.status).toBe(200);
    expect(byBearer.body).toEqual({ user: alice.user });
    expect(byCookie.status).toBe(200);
    expect(byCookie.body).toEqual({ user: alice.user });
  });

  it('refuses a request without credentials: 401 UNAUTHENTICATED', async () => {
    expectUnauthenticated(await anonymous(api).get(ApiRoutes.me));
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['a truncated token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0'],
  ])('refuses %s as Bearer token or cookie: 401 UNAUTHENTICATED', async (_case, token) => {
    expectUnauthenticated(await withBearer(api, { accessToken: token }).get(ApiRoutes.me));
    expectUnauthenticated(
      await withCookies(api, {
        accessToken: token,
        cookies: { [SESSION_COOKIE]: token },
        csrfToken: '',
      }).get(ApiRoutes.me),
    );
  });

  it('refuses a token with valid claims signed with another secret, or not signed at all', async () => {
    const { accessToken } = await createUser(api);
    const claims = decodeJwt(accessToken);

    expectUnauthenticated(
      await withBearer(api, { accessToken: signJwt(claims, `${JWT_SECRET}-other`) }).get(
        ApiRoutes.me,
      ),
    );
    expectUnauthenticated(
      await withBearer(api, { accessToken: unsignedJwt(claims) }).get(ApiRoutes.me),
    );
    expect(
      (await withBearer(api, { accessToken: signJwt(claims, JWT_SECRET) }).get(ApiRoutes.me))
        .status,
    ).toBe(200);
  });

  it('refuses an expired token of a live session', async () => {
    const { accessToken } = await createUser(api);
    const { sub, sid } = decodeJwt(accessToken);
    const now = Math.floor(Date.now() / 1000);

    const expired = signJwt({ sub, sid, iat: now - 120, exp: now - 60 }, JWT_SECRET);

    expectUnauthenticated(await withBearer(api, { accessToken: expired }).get(ApiRoutes.me));
  });

  it('refuses a well-signed token naming another user than its session', async () => {
    const alice = await createUser(api);
    const bob = await createUser(api);
    const { sid } = decodeJwt(alice.accessToken);

    const mixed = signJwt({ ...decodeJwt(bob.accessToken), sid }, JWT_SECRET);

    expectUnauthenticated(await withBearer(api, { accessToken: mixed }).get(ApiRoutes.me));
  });

  // A missing `sid` must not reach `findOneBy({ id: undefined })`, which TypeORM runs without a
  // WHERE. Which row comes first is the database's business, so every user with a session is tried.
  it('refuses a well-signed token that names no session (it could never be revoked)', async () => {
    await createUser(api);
    const users = await api.db.select<{ user_id: string }>('SELECT DISTINCT user_id FROM sessions');
    const now = Math.floor(Date.now() / 1000);

    for (const { user_id: sub } of users) {
      for (const sid of [undefined, null]) {
        const sessionless = signJwt({ sub, sid, iat: now, exp: now + 600 }, JWT_SECRET);
        expectUnauthenticated(
          await withBearer(api, { accessToken: sessionless }).get(ApiRoutes.me),
        );
      }
    }
  });
});

describe('POST /api/auth/logout', () => {
  const expectClearsCookies = (response: Response) => {
    expect(isCleared(setCookie(response, SESSION_COOKIE))).toBe(true);
    expect(isCleared(setCookie(response, CSRF_COOKIE))).toBe(true);
  };

  it('ends this session only: 204, cookies cleared, the token refused, other sessions untouched', async () => {
    const alice = await createUser(api);
    const otherDevice = await logIn(api, alice.email, alice.password);

    const response = await withBearer(api, alice).post(ApiRoutes.logout);

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expectClearsCookies(response);
    expectUnauthenticated(await withBearer(api, alice).get(ApiRoutes.me));
    expectUnauthenticated(await withCookies(api, alice).get(ApiRoutes.me));
    expect((await withBearer(api, otherDevice).get(ApiRoutes.me)).status).toBe(200);
  });

  it('works for a browser session with its CSRF token', async () => {
    const alice = await createUser(api);

    const response = await withCookies(api, alice).post(ApiRoutes.logout);

    expect(response.status).toBe(204);
    expectClearsCookies(response);
    expectUnauthenticated(await withCookies(api, alice).get(ApiRoutes.me));
  });

  it('refuses a second logout with the same token: 401', async () => {
    const alice = await createUser(api);
    await withBearer(api, alice).post(ApiRoutes.logout).expect(204);

    expectUnauthenticated(await withBearer(api, alice).post(ApiRoutes.logout));
  });

  it('needs a session: 401 UNAUTHENTICATED', async () => {
    expectUnauthenticated(await anonymous(api).post(ApiRoutes.logout));
  });
});

describe('a login racing a password change', () => {
  /** A promise and the function that settles it, for steps the test releases by hand. */
  function signal(): { promise: Promise<void>; fire: () => void } {
    let fire!: () => void;
    const promise = new Promise<void>((resolve) => (fire = resolve));
    return { promise, fire };
  }

  // The login checks the old password, the change completes (ending every other session), and
  // only then does the login write its session: that session must be over from the start.
  it('ends the session of a login that checked the old password before the change finished', async () => {
    const alice = await createUser(api);
    const hasher = api.app.get(PasswordHasher);
    const verify = hasher.verify.bind(hasher);
    const checked = signal();
    const resume = signal();
    const spy = jest.spyOn(hasher, 'verify').mockImplementationOnce(async (hash, password) => {
      const valid = await verify(hash, password);
      checked.fire();
      await resume.promise;
      return valid;
    });
    try {
      const login = anonymous(api)
        .post(ApiRoutes.login)
        .send({ email: alice.email, password: alice.password })
        .then((response) => response);
      await checked.promise;

      const newPassword = uniquePassword();
      await withBearer(api, alice)
        .post(ApiRoutes.changePassword)
        .send({ currentPassword: alice.password, newPassword })
        .expect(204);
      resume.fire();
      const raced = await login;

      expect(raced.status).toBe(200);
      const late = sessionFrom(raced);
      expectUnauthenticated(await withBearer(api, late).get(ApiRoutes.me));
      expectUnauthenticated(await withCookies(api, late).get(ApiRoutes.me));
      // The session that changed the password carries on, and the new password logs in.
      expect((await withBearer(api, alice).get(ApiRoutes.me)).status).toBe(200);
      expect(
        (await withBearer(api, await logIn(api, alice.email, newPassword)).get(ApiRoutes.me))
          .status,
      ).toBe(200);
    } finally {
      resume.fire();
      spy.mockRestore();
    }
  });
});

describe('CSRF protection of cookie-authenticated writes', () => {
  const currentName = async (session: Session) =>
    (await withBearer(api, session).get(ApiRoutes.profile)).body.user.displayName;

  it.each([
    ['without an X-XSRF-TOKEN header', null],
    ['with a wrong X-XSRF-TOKEN header', 'not-the-token'],
    ['with an empty X-XSRF-TOKEN header', ''],
  ])('refuses a PATCH %s: 403 CSRF_TOKEN_INVALID, nothing changed', async (_case, csrfToken) => {
    const alice = await createUser(api, { displayName: 'Before' });

    const response = await withCookies(api, alice, { csrfToken })
      .patch(ApiRoutes.profile)
      .send({ displayName: 'After' });

    expectApiError(response, 403, ErrorCode.CsrfTokenInvalid);
    expect(await currentName(alice)).toBe('Before');
  });

  it('refuses the CSRF token of another session of the same user', async () => {
    const alice = await createUser(api, { displayName: 'Before' });
    const otherDevice = await logIn(api, alice.email, alice.password);

    const response = await withCookies(api, alice, { csrfToken: otherDevice.csrfToken })
      .patch(ApiRoutes.profile)
      .send({ displayName: 'After' });

    expectApiError(response, 403, ErrorCode.CsrfTokenInvalid);
    expect(await currentName(alice)).toBe('Before');
  });

  it('refuses a password change, an account deletion and a logout without the header, changing nothing', async () => {
    const alice = await createUser(api);
    const browser = withCookies(api, alice, { csrfToken: null });

    const change = await browser
      .post(ApiRoutes.changePassword)
      .send({ currentPassword: alice.password, newPassword: 'a-new-password' });
    const remove = await browser.delete(ApiRoutes.profile).send({ password: alice.password });
    const logout = await browser.post(ApiRoutes.logout);

    expectApiError(change, 403, ErrorCode.CsrfTokenInvalid);
    expectApiError(remove, 403, ErrorCode.CsrfTokenInvalid);
    expectApiError(logout, 403, ErrorCode.CsrfTokenInvalid);
    expect((await withBearer(api, alice).get(ApiRoutes.me)).status).toBe(200);
    await logIn(api, alice.email, alice.password);
  });

  it('accepts a cookie-authenticated write with the right token', async () => {
    const alice = await createUser(api, { displayName: 'Before' });

    const response = await withCookies(api, alice)
      .patch(ApiRoutes.profile)
      .send({ displayName: 'After' });

    expect(response.status).toBe(200);
    expect(await currentName(alice)).toBe('After');
  });

  it('asks no token of Bearer requests, nor of cookie-authenticated reads', async () => {
    const alice = await createUser(api, { displayName: 'Before' });

    const write = await withBearer(api, alice)
      .patch(ApiRoutes.profile)
      .send({ displayName: 'By API client' });
    const read = await withCookies(api, alice, { csrfToken: null }).get(ApiRoutes.profile);

    expect(write.status).toBe(200);
    expect(read.status).toBe(200);
    expect(read.body.user.displayName).toBe('By API client');
  });
});

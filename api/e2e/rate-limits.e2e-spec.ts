import { ApiRoutes, ErrorCode } from '@vidgen/contracts';
import { randomInt } from 'node:crypto';
import { Response } from 'supertest';
import { startApp, TestApp } from './support/app';
import { expectApiError } from './support/errors';
import { anonymous, withBearer } from './support/http';
import { createUser, uniqueEmail, uniquePassword } from './support/users';

/** A whole number of seconds, at most `max`, in the Retry-After header. */
function expectRetryAfter(response: Response, max: number): void {
  expect(response.headers['retry-after']).toMatch(/^\d+$/);
  const seconds = Number(response.headers['retry-after']);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(max);
}

describe('failed logins per account (LOGIN_MAX_FAILURES)', () => {
  const MAX_FAILURES = 3;
  const WINDOW_SECONDS = 15 * 60;
  let api: TestApp;

  beforeAll(async () => {
    api = await startApp({ LOGIN_MAX_FAILURES: String(MAX_FAILURES) });
  });

  afterAll(() => api?.close());

  const logIn = (email: string, password: string) =>
    anonymous(api).post(ApiRoutes.login).send({ email, password });

  async function fail(email: string, times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      expectApiError(await logIn(email, 'a-wrong-password'), 401, ErrorCode.InvalidCredentials);
    }
  }

  it('locks the account after the limit: 429 TOO_MANY_FAILED_LOGINS with Retry-After, even with the right password', async () => {
    const alice = await createUser(api);
    await fail(alice.email, MAX_FAILURES);

    const locked = await logIn(alice.email, alice.password);

    expectApiError(locked, 429, ErrorCode.TooManyFailedLogins);
    expectRetryAfter(locked, WINDOW_SECONDS);
    // In any spelling of the address.
    expectApiError(
      await logIn(` ${alice.email.toUpperCase()}`, alice.password),
      429,
      ErrorCode.TooManyFailedLogins,
    );
  });

  // Failures that arrive together must each count (an upsert race once let a burst count as one);
  // a burst on each of 30 accounts makes such a race all but certain to show on MySQL.
  it('counts guesses sent at the same time, every one of them', async () => {
    const accounts = await Promise.all(Array.from({ length: 30 }, () => createUser(api)));

    for (const { email } of accounts) {
      const burst = await Promise.all(
        Array.from({ length: MAX_FAILURES }, () => logIn(email, 'a-wrong-password')),
      );
      expect(burst.map((guess) => guess.status)).toEqual(Array(MAX_FAILURES).fill(401));
    }

    const next = await Promise.all(accounts.map(({ email, password }) => logIn(email, password)));
    expect(next.map((response) => response.status)).toEqual(accounts.map(() => 429));
  });

  it('locks an email that has no account the same way, so the lock does not tell which emails exist', async () => {
    const alice = await createUser(api);
    const nobody = uniqueEmail();
    await fail(alice.email, MAX_FAILURES);
    await fail(nobody, MAX_FAILURES);

    const known = expectApiError(
      await logIn(alice.email, alice.password),
      429,
      ErrorCode.TooManyFailedLogins,
    );
    const unknown = expectApiError(
      await logIn(nobody, uniquePassword()),
      429,
      ErrorCode.TooManyFailedLogins,
    );

    expect(unknown.message).toBe(known.message);
  });

  it('keeps a locked-out account usable where it is already logged in, and other accounts unaffected', async () => {
    const alice = await createUser(api);
    const bob = await createUser(api);
    await fail(alice.email, MAX_FAILURES);

    expect((await withBearer(api, alice).get(ApiRoutes.me)).status).toBe(200);
    expect((await logIn(bob.email, bob.password)).status).toBe(200);
  });

  it('forgets earlier failures after a successful login', async () => {
    const alice = await createUser(api);
    await fail(alice.email, MAX_FAILURES - 1);
    expect((await logIn(alice.email, alice.password)).status).toBe(200);

    await fail(alice.email, MAX_FAILURES - 1);

    expect((await logIn(alice.email, alice.password)).status).toBe(200);
  });
});

describe('login and register requests per IP (AUTH_RATE_LIMIT_PER_MINUTE)', () => {
  const LIMIT = 3;
  let api: TestApp;

  // A fresh app, and so a fresh count, for each test.
  beforeEach(async () => {
    api = await startApp({ AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  });

  afterEach(() => api?.close());

  it('answers logins over the limit with 429 RATE_LIMITED and Retry-After, even with the right password', async () => {
    const alice = await createUser(api);
    const logIn = (password: string) =>
      anonymous(api).post(ApiRoutes.login).send({ email: alice.email, password });

    expect((await logIn(alice.password)).status).toBe(200);
    expect((await logIn('a-wrong-password')).status).toBe(401);
    expect((await logIn(alice.password)).status).toBe(200);
    const limited = await logIn(alice.password);

    expectApiError(limited, 429, ErrorCode.RateLimited);
    expectRetryAfter(limited, 60);
    // The client address comes from the connection: a forged X-Forwarded-For does not reset it.
    const forged = await anonymous(api)
      .post(ApiRoutes.login)
      .set('X-Forwarded-For', '203.0.113.7')
      .send({ email: alice.email, password: alice.password });
    expectApiError(forged, 429, ErrorCode.RateLimited);
    // Only login and register are limited.
    expect((await withBearer(api, alice).get(ApiRoutes.me)).status).toBe(200);
    expect((await anonymous(api).get(ApiRoutes.health)).status).toBe(200);
  });

  it('answers registrations over the limit the same way, creating no account', async () => {
    for (let i = 0; i < LIMIT; i++) await createUser(api);
    const email = uniqueEmail();

    const limited = await anonymous(api)
      .post(ApiRoutes.register)
      .send({ email, password: uniquePassword() });

    expectApiError(limited, 429, ErrorCode.RateLimited);
    expectRetryAfter(limited, 60);
    expect(await api.db.select('SELECT id FROM users WHERE email = ?', [email])).toEqual([]);
  });
});

describe('login and register requests per client behind reverse proxies (TRUST_PROXY)', () => {
  const LIMIT = 3;
  const CLIENT = '203.0.113.7';
  const OTHER_CLIENT = '198.51.100.23';

  /** What a client wrote into X-Forwarded-For itself: anything, different on every request. */
  const forged = () => `${randomInt(1, 224)}.${randomInt(256)}.${randomInt(256)}.${randomInt(256)}`;

  // The proxy nearest the app is this test, on 127.0.0.1. Each proxy appends the address it got
  // the request from; whatever stands to the left of the client's address, the client wrote.
  it.each([
    ['one proxy, TRUST_PROXY=1', '1', (client: string) => [forged(), forged(), client]],
    [
      'a load balancer at 10.1.2.3 and a proxy on 127.0.0.1, TRUST_PROXY=127.0.0.1,10.0.0.0/8',
      '127.0.0.1,10.0.0.0/8',
      (client: string) => [forged(), client, '10.1.2.3'],
    ],
  ])(
    'counts each real client once, whatever it writes into X-Forwarded-For (%s)',
    async (_case, trustProxy, forwardedFor) => {
      const api = await startApp({
        AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT),
        TRUST_PROXY: trustProxy,
      });
      const logInFrom = (client: string) =>
        anonymous(api)
          .post(ApiRoutes.login)
          .set('X-Forwarded-For', forwardedFor(client).join(', '))
          .send({ email: uniqueEmail(), password: uniquePassword() });
      try {
        for (let i = 0; i < LIMIT; i++) expect((await logInFrom(CLIENT)).status).toBe(401);

        const limited = await logInFrom(CLIENT);
        expectApiError(limited, 429, ErrorCode.RateLimited);
        expectRetryAfter(limited, 60);
        // Another client behind the same proxies has a count of its own.
        for (let i = 0; i < LIMIT; i++) expect((await logInFrom(OTHER_CLIENT)).status).toBe(401);
        expectApiError(await logInFrom(OTHER_CLIENT), 429, ErrorCode.RateLimited);
      } finally {
        await api.close();
      }
    },
  );
});

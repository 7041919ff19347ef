import {
  ApiRoutes,
  CSRF_COOKIE,
  DISPLAY_NAME_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  ErrorCode,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  SESSION_COOKIE,
} from '@vidgen/contracts';
import { startApp, TestApp } from './support/app';
import { expectApiError, expectValidationError } from './support/errors';
import { anonymous, setCookie, withBearer } from './support/http';
import { createUser, uniqueEmail, uniquePassword } from './support/users';

const BODY_LIMIT_BYTES = 4096;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A unique, otherwise valid address of `length` (> 200) characters: the longest local part, 64. */
function emailOfLength(length: number): string {
  const local = uniqueEmail().split('@')[0].padEnd(64, 'a');
  const labels = [
    'd'.repeat(63),
    'e'.repeat(63),
    'f'.repeat(length - local.length - 1 - 63 - 1 - 63 - 1 - 4),
  ];
  return `${local}@${labels.join('.')}.com`;
}

let api: TestApp;

beforeAll(async () => {
  api = await startApp({ BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES) });
});

afterAll(() => api?.close());

describe('POST /api/auth/register', () => {
  it('creates the account and logs it in: 201 with the user, a token and the session cookies', async () => {
    const email = uniqueEmail();
    const response = await anonymous(api)
      .post(ApiRoutes.register)
      .send({ email, password: uniquePassword(), displayName: 'Ada Lovelace' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      user: {
        id: expect.stringMatching(UUID),
        email,
        displayName: 'Ada Lovelace',
        createdAt: expect.any(String),
      },
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      expiresIn: expect.any(Number),
    });
    expect(new Date(response.body.user.createdAt).toISOString()).toBe(response.body.user.createdAt);
    expect(Math.abs(Date.parse(response.body.user.createdAt) - Date.now())).toBeLessThan(60_000);
    expect(response.body.expiresIn).toBeGreaterThan(0);

    const me = await withBearer(api, response.body).get(ApiRoutes.me);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: response.body.user });
  });

  it('sets an httpOnly SameSite=Lax session cookie and a script-readable XSRF-TOKEN cookie', async () => {
    const response = await anonymous(api)
      .post(ApiRoutes.register)
      .send({ email: uniqueEmail(), password: uniquePassword() });

    const session = setCookie(response, SESSION_COOKIE);
    const csrf = setCookie(response, CSRF_COOKIE);
    expect(session?.value).toBe(response.body.accessToken);
    expect(session?.attributes).toMatchObject({
      httponly: true,
      samesite: expect.stringMatching(/^lax$/i),
      path: '/',
    });
    expect(Number(session?.attributes['max-age'])).toBe(response.body.expiresIn);
    expect(csrf?.value).toMatch(/\S{16,}/);
    expect(csrf?.attributes).toMatchObject({
      samesite: expect.stringMatching(/^lax$/i),
      path: '/',
    });
    expect(csrf?.attributes).not.toHaveProperty('httponly');
  });

  it('stores the email trimmed and lower-case, and the display name trimmed', async () => {
    const email = uniqueEmail('MiXeD');
    const { user } = await createUser(api, {
      email: `  ${email.toUpperCase()}  `,
      displayName: '  Grace Hopper \t',
    });

    expect(user.email).toBe(email.toLowerCase());
    expect(user.displayName).toBe('Grace Hopper');
  });

  it('defaults the display name to the part of the email before the @', async () => {
    const email = uniqueEmail('alan');
    const { user } = await createUser(api, { email });

    expect(user.displayName).toBe(email.split('@')[0]);
  });

  it('accepts the limits themselves: 8 and 128 character passwords, a 254 character email, an 80 character name', async () => {
    await createUser(api, { password: 'p'.repeat(PASSWORD_MIN_LENGTH) });
    const { user } = await createUser(api, {
      email: emailOfLength(EMAIL_MAX_LENGTH),
      password: 'p'.repeat(PASSWORD_MAX_LENGTH),
      displayName: 'n'.repeat(DISPLAY_NAME_MAX_LENGTH),
    });

    expect(user.email).toHaveLength(EMAIL_MAX_LENGTH);
    expect(user.displayName).toHaveLength(DISPLAY_NAME_MAX_LENGTH);
  });

  it('refuses an email that is taken in another case: 409 EMAIL_TAKEN naming email', async () => {
    const { email } = await createUser(api);

    const response = await anonymous(api)
      .post(ApiRoutes.register)
      .send({ email: ` ${email.toUpperCase()}`, password: uniquePassword() });

    expectApiError(response, 409, ErrorCode.EmailTaken, ['email']);
  });

  it('lets only one of simultaneous registrations of an email through; the others get 409', async () => {
    const email = uniqueEmail();

    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        anonymous(api)
          .post(ApiRoutes.register)
          .send({ email: i % 2 ? email.toUpperCase() : email, password: uniquePassword() }),
      ),
    );

    expect(responses.map((response) => response.status).sort((a, b) => a - b)).toEqual([
      201, 409, 409, 409, 409,
    ]);
    responses
      .filter((response) => response.status === 409)
      .forEach((response) => expectApiError(response, 409, ErrorCode.EmailTaken, ['email']));
  });

  it.each([
    ['a missing email', { email: undefined }, 'email'],
    ['an empty email', { email: '' }, 'email'],
    ['an invalid email', { email: 'not-an-email' }, 'email'],
    ['an email over 254 characters', { email: emailOfLength(EMAIL_MAX_LENGTH + 1) }, 'email'],
    ['a number for the email', { email: 42 }, 'email'],
    ['a missing password', { password: undefined }, 'password'],
    ['a 7 character password', { password: 'p'.repeat(PASSWORD_MIN_LENGTH - 1) }, 'password'],
    ['a 129 character password', { password: 'p'.repeat(PASSWORD_MAX_LENGTH + 1) }, 'password'],
    ['a number for the password', { password: 12345678 }, 'password'],
    ['a whitespace-only display name', { displayName: ' \t ' }, 'displayName'],
    [
      'a display name over 80 characters',
      { displayName: 'n'.repeat(DISPLAY_NAME_MAX_LENGTH + 1) },
      'displayName',
    ],
    ['an object for the display name', { displayName: { first: 'Ada' } }, 'displayName'],
    ['an unknown field', { isAdmin: true }, 'isAdmin'],
  ])(
    'refuses %s: 400 VALIDATION_FAILED naming the field, and creates no account',
    async (_case, change, field) => {
      const email = uniqueEmail();
      const response = await anonymous(api)
        .post(ApiRoutes.register)
        .send({ email, password: uniquePassword(), ...change });

      expectValidationError(response, field);
      // Nothing half-written: the address is still free.
      await createUser(api, { email });
    },
  );

  it('names every missing field of an empty body', async () => {
    const response = await anonymous(api).post(ApiRoutes.register).send({});

    expectValidationError(response, 'email', 'password');
  });

  it.each([
    ['malformed JSON', '{"email": "a@example.com",'],
    ['a JSON array', '[{"email": "a@example.com"}]'],
    ['a JSON string', '"a@example.com"'],
  ])('refuses %s: 400 MALFORMED_BODY', async (_case, body) => {
    const response = await anonymous(api)
      .post(ApiRoutes.register)
      .set('Content-Type', 'application/json')
      .send(body);

    expectApiError(response, 400, ErrorCode.MalformedBody);
  });

  it('refuses a text/plain body: 415', async () => {
    const email = uniqueEmail();
    const response = await anonymous(api)
      .post(ApiRoutes.register)
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ email, password: uniquePassword() }));

    expectApiError(response, 415, ErrorCode.MalformedBody);
    await createUser(api, { email });
  });

  it('refuses a body over BODY_LIMIT_BYTES: 413 PAYLOAD_TOO_LARGE, and creates no account', async () => {
    const email = uniqueEmail();
    const response = await anonymous(api)
      .post(ApiRoutes.register)
      .send({ email, password: uniquePassword(), displayName: 'x'.repeat(BODY_LIMIT_BYTES) });

    expectApiError(response, 413, ErrorCode.PayloadTooLarge);
    await createUser(api, { email });
  });
});

describe('POST /api/auth/login', () => {
  it('logs in: 200 with the same body as register, a new token and the session cookies', async () => {
    const registered = await createUser(api, { displayName: 'Katherine' });

    const response = await anonymous(api)
      .post(ApiRoutes.login)
      .send({ email: registered.email, password: registered.password });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      user: registered.user,
      accessToken: expect.any(String),
      expiresIn: expect.any(Number),
    });
    expect(response.body.accessToken).not.toBe(registered.accessToken);
    expect(setCookie(response, SESSION_COOKIE)?.value).toBe(response.body.accessToken);
    expect(setCookie(response, CSRF_COOKIE)?.value).toMatch(/\S{16,}/);
    expect((await withBearer(api, response.body).get(ApiRoutes.me)).status).toBe(200);
  });

  it('treats the email case-insensitively and ignores surrounding spaces', async () => {
    const { email, password, user } = await createUser(api);

    const response = await anonymous(api)
      .post(ApiRoutes.login)
      .send({ email: `  ${email.toUpperCase()} `, password });

    expect(response.status).toBe(200);
    expect(response.body.user).toEqual(user);
  });

  it('answers a wrong password and an unknown email alike: 401 INVALID_CREDENTIALS with one message', async () => {
    const { email, password } = await createUser(api);

    const wrongPassword = await anonymous(api)
      .post(ApiRoutes.login)
      .send({ email, password: `${password}x` });
    const unknownEmail = await anonymous(api)
      .post(ApiRoutes.login)
      .send({ email: uniqueEmail(), password });

    const a = expectApiError(wrongPassword, 401, ErrorCode.InvalidCredentials);
    const b = expectApiError(unknownEmail, 401, ErrorCode.InvalidCredentials);
    expect(a.message).toBe(b.message);
    expect(setCookie(wrongPassword, SESSION_COOKIE)).toBeUndefined();
  });

  it.each([
    ['a missing email', { email: undefined }, 'email'],
    ['a number for the email', { email: 7 }, 'email'],
    ['a missing password', { password: undefined }, 'password'],
    ['an empty password', { password: '' }, 'password'],
    ['an unknown field', { rememberMe: true }, 'rememberMe'],
  ])('refuses %s: 400 VALIDATION_FAILED naming the field', async (_case, change, field) => {
    const response = await anonymous(api)
      .post(ApiRoutes.login)
      .send({ email: uniqueEmail(), password: uniquePassword(), ...change });

    expectValidationError(response, field);
  });

  it('says what to fix when a field is missing, not a length rule it cannot break', async () => {
    const response = await anonymous(api).post(ApiRoutes.login).send({});

    const body = expectValidationError(response, 'email', 'password');
    expect(body.details?.map((detail) => detail.message)).toEqual([
      expect.stringMatching(/required/i),
      expect.stringMatching(/required/i),
    ]);
  });
});

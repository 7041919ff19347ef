import {
  ApiRoutes,
  CSRF_COOKIE,
  DISPLAY_NAME_MAX_LENGTH,
  ErrorCode,
  PASSWORD_MIN_LENGTH,
  SESSION_COOKIE,
} from '@vidgen/contracts';
import { startApp, TestApp } from './support/app';
import { expectApiError, expectValidationError } from './support/errors';
import { anonymous, isCleared, setCookie, withBearer, withCookies } from './support/http';
import {
  createUser,
  logIn,
  storedPasswordHash,
  uniqueEmail,
  uniquePassword,
} from './support/users';

let api: TestApp;

beforeAll(async () => {
  api = await startApp();
});

afterAll(() => api?.close());

const logInStatus = async (email: string, password: string) =>
  (await anonymous(api).post(ApiRoutes.login).send({ email, password })).status;

describe('GET /api/users/me', () => {
  it('shows the profile with empty usage figures', async () => {
    const alice = await createUser(api);

    const response = await withBearer(api, alice).get(ApiRoutes.profile);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: alice.user, stats: { videoCount: 0, storageBytes: 0 } });
  });

  it('needs a session: 401 UNAUTHENTICATED', async () => {
    expectApiError(await anonymous(api).get(ApiRoutes.profile), 401, ErrorCode.Unauthenticated);
  });
});

describe('PATCH /api/users/me', () => {
  it('changes the display name, trimmed, for every later read', async () => {
    const alice = await createUser(api, { displayName: 'Alice' });

    const response = await withBearer(api, alice)
      .patch(ApiRoutes.profile)
      .send({ displayName: '  Alice Liddell  ' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: { ...alice.user, displayName: 'Alice Liddell' } });
    expect((await withBearer(api, alice).get(ApiRoutes.profile)).body.user.displayName).toBe(
      'Alice Liddell',
    );
    expect((await withBearer(api, alice).get(ApiRoutes.me)).body.user.displayName).toBe(
      'Alice Liddell',
    );
    const login = await anonymous(api)
      .post(ApiRoutes.login)
      .send({ email: alice.email, password: alice.password });
    expect(login.body.user.displayName).toBe('Alice Liddell');
  });

  it.each([
    ['a whitespace-only name', { displayName: '   ' }, 'displayName'],
    ['an empty name', { displayName: '' }, 'displayName'],
    [
      'a name over 80 characters',
      { displayName: 'n'.repeat(DISPLAY_NAME_MAX_LENGTH + 1) },
      'displayName',
    ],
    ['a number', { displayName: 42 }, 'displayName'],
    ['no name', {}, 'displayName'],
    [
      'a field that cannot be changed here',
      { displayName: 'Mallory', email: 'mallory@example.com' },
      'email',
    ],
  ])(
    'refuses %s: 400 VALIDATION_FAILED naming the field, nothing changed',
    async (_case, body, field) => {
      const alice = await createUser(api, { displayName: 'Alice' });

      expectValidationError(
        await withBearer(api, alice).patch(ApiRoutes.profile).send(body),
        field,
      );
      expect((await withBearer(api, alice).get(ApiRoutes.profile)).body.user).toEqual(alice.user);
    },
  );
});

describe('POST /api/users/me/password', () => {
  it('changes the password: 204, this session stays, the other sessions end, only the new password logs in', async () => {
    const alice = await createUser(api);
    const otherDevice = await logIn(api, alice.email, alice.password);
    const newPassword = uniquePassword();

    const response = await withBearer(api, alice)
      .post(ApiRoutes.changePassword)
      .send({ currentPassword: alice.password, newPassword });

    expect(response.status).toBe(204);
    expect((await withBearer(api, alice).get(ApiRoutes.me)).status).toBe(200);
    expect((await withCookies(api, alice).get(ApiRoutes.me)).status).toBe(200);
    expectApiError(
      await withBearer(api, otherDevice).get(ApiRoutes.me),
      401,
      ErrorCode.Unauthenticated,
    );
    expect(await logInStatus(alice.email, alice.password)).toBe(401);
    expect(await logInStatus(alice.email, newPassword)).toBe(200);
  });

  it('refuses a wrong current password: 400 WRONG_PASSWORD naming currentPassword, and keeps the old one', async () => {
    const alice = await createUser(api);

    const response = await withBearer(api, alice)
      .post(ApiRoutes.changePassword)
      .send({ currentPassword: `${alice.password}x`, newPassword: uniquePassword() });

    expectApiError(response, 400, ErrorCode.WrongPassword, ['currentPassword']);
    expect((await withBearer(api, alice).get(ApiRoutes.me)).status).toBe(200);
    expect(await logInStatus(alice.email, alice.password)).toBe(200);
  });

  it.each([
    [
      'a new password that is too short',
      { newPassword: 'p'.repeat(PASSWORD_MIN_LENGTH - 1) },
      'newPassword',
    ],
    ['a missing new password', { newPassword: undefined }, 'newPassword'],
    ['a missing current password', { currentPassword: undefined }, 'currentPassword'],
    ['an unknown field', { logoutOthers: false }, 'logoutOthers'],
  ])('refuses %s: 400 VALIDATION_FAILED naming the field', async (_case, change, field) => {
    const alice = await createUser(api);

    const response = await withBearer(api, alice)
      .post(ApiRoutes.changePassword)
      .send({ currentPassword: alice.password, newPassword: uniquePassword(), ...change });

    expectValidationError(response, field);
    expect(await logInStatus(alice.email, alice.password)).toBe(200);
  });
});

describe('DELETE /api/users/me', () => {
  it('removes the account: 204, cookies cleared, every session ends, the email is free again', async () => {
    const alice = await createUser(api);
    const otherDevice = await logIn(api, alice.email, alice.password);

    const response = await withBearer(api, alice)
      .delete(ApiRoutes.profile)
      .send({ password: alice.password });

    expect(response.status).toBe(204);
    expect(isCleared(setCookie(response, SESSION_COOKIE))).toBe(true);
    expect(isCleared(setCookie(response, CSRF_COOKIE))).toBe(true);
    expectApiError(await withBearer(api, alice).get(ApiRoutes.me), 401, ErrorCode.Unauthenticated);
    expectApiError(
      await withBearer(api, otherDevice).get(ApiRoutes.profile),
      401,
      ErrorCode.Unauthenticated,
    );
    expect(await logInStatus(alice.email, alice.password)).toBe(401);
    expect(await storedPasswordHash(api, alice.email)).toBeUndefined();

    const again = await createUser(api, { email: alice.email });
    expect(again.user.id).not.toBe(alice.user.id);
  });

  it('refuses a wrong password: 400 WRONG_PASSWORD naming password, and keeps the account', async () => {
    const alice = await createUser(api);

    const response = await withBearer(api, alice)
      .delete(ApiRoutes.profile)
      .send({ password: `${alice.password}x` });

    expectApiError(response, 400, ErrorCode.WrongPassword, ['password']);
    expect((await withBearer(api, alice).get(ApiRoutes.profile)).status).toBe(200);
    expect(await logInStatus(alice.email, alice.password)).toBe(200);
  });

  it('refuses a missing password: 400 VALIDATION_FAILED naming password', async () => {
    const alice = await createUser(api);

    expectValidationError(
      await withBearer(api, alice).delete(ApiRoutes.profile).send({}),
      'password',
    );
    expect((await withBearer(api, alice).get(ApiRoutes.profile)).status).toBe(200);
  });
});

describe('messages for missing fields', () => {
  it('say the field is required', async () => {
    const alice = await createUser(api);

    const change = expectValidationError(
      await withBearer(api, alice)
        .post(ApiRoutes.changePassword)
        .send({ newPassword: uniquePassword() }),
      'currentPassword',
    );
    const remove = expectValidationError(
      await withBearer(api, alice).delete(ApiRoutes.profile).send({}),
      'password',
    );

    expect(change.details?.[0].message).toMatch(/required/i);
    expect(remove.details?.[0].message).toMatch(/required/i);
  });
});

describe('password storage', () => {
  it('keeps an argon2id hash, never the password, and a new hash after a change', async () => {
    const email = uniqueEmail('Stored');
    const alice = await createUser(api, { email: email.toUpperCase() });

    const hash = await storedPasswordHash(api, email.toLowerCase());
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    expect(hash).not.toContain(alice.password);

    const newPassword = uniquePassword();
    await withBearer(api, alice)
      .post(ApiRoutes.changePassword)
      .send({ currentPassword: alice.password, newPassword })
      .expect(204);
    const newHash = await storedPasswordHash(api, email.toLowerCase());
    expect(newHash).toMatch(/^\$argon2id\$/);
    expect(newHash).not.toBe(hash);
    expect(newHash).not.toContain(newPassword);
  });

  it('salts every hash: two accounts with the same password have different hashes', async () => {
    const password = uniquePassword();
    const alice = await createUser(api, { password });
    const bob = await createUser(api, { password });

    expect(await storedPasswordHash(api, alice.email)).not.toBe(
      await storedPasswordHash(api, bob.email),
    );
  });
});

import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  EmailTakenError,
  InvalidCredentialsError,
  TooManyFailedLoginsError,
  UnauthenticatedError,
  WrongPasswordError,
} from '../common/errors/domain-errors';
import { createTestingAppModule } from '../testing/test-app-module';
import { UserEntity } from '../users/user.entity';
import { AuthService } from './auth.service';
import { SessionPrincipal } from './authenticated-user';
import { SessionsService } from './sessions.service';

describe('AuthService', () => {
  let moduleRef: TestingModule;
  let auth: AuthService;
  let sessions: SessionsService;
  let dataSource: DataSource;

  beforeAll(async () => {
    moduleRef = await createTestingAppModule({ LOGIN_MAX_FAILURES: '3' });
    auth = moduleRef.get(AuthService);
    sessions = moduleRef.get(SessionsService);
    dataSource = moduleRef.get(getDataSourceToken());
  });

  afterAll(() => moduleRef.close());

  const email = () => `user-${randomUUID()}@example.com`;
  const principalOf = (user: UserEntity, sessionId: string): SessionPrincipal => ({
    user,
    sessionId,
    expiresAt: new Date(Date.now() + 60_000),
    via: 'bearer',
  });

  it('registers with an argon2id hash, never the password itself', async () => {
    const address = email();
    const { user, session } = await auth.register({ email: address, password: 'correct horse' });
    const row = await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain('correct horse');
    expect(row.displayName).toBe(address.split('@')[0]);
    expect(await sessions.isActive(session.sessionId, user.id)).toBe(true);
  });

  it('refuses a second account for the same email', async () => {
    const address = email();
    await auth.register({ email: address, password: 'password-1' });
    await expect(auth.register({ email: address, password: 'password-2' })).rejects.toBeInstanceOf(
      EmailTakenError,
    );
  });

  it('answers a wrong password and an unknown email with the same error', async () => {
    const address = email();
    await auth.register({ email: address, password: 'password-1' });
    const wrongPassword = await auth
      .login({ email: address, password: 'nope-nope' })
      .catch((e) => e);
    const unknownEmail = await auth
      .login({ email: email(), password: 'password-1' })
      .catch((e) => e);
    expect(wrongPassword).toBeInstanceOf(InvalidCredentialsError);
    expect(unknownEmail).toBeInstanceOf(InvalidCredentialsError);
    expect(wrongPassword.message).toBe(unknownEmail.message);
  });

  it('locks an email after LOGIN_MAX_FAILURES failures, even for the right password', async () => {
    const address = email();
    await auth.register({ email: address, password: 'password-1' });
    for (let i = 0; i < 3; i++) {
      await expect(
        auth.login({ email: address, password: 'wrong-password' }),
      ).rejects.toBeInstanceOf(InvalidCredentialsError);
    }
    const locked = await auth.login({ email: address, password: 'password-1' }).catch((e) => e);
    expect(locked).toBeInstanceOf(TooManyFailedLoginsError);
    expect(locked.retryAfterSeconds).toBeGreaterThan(0);
    expect(locked.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
  });

  it('forgets earlier failures after a successful login', async () => {
    const address = email();
    await auth.register({ email: address, password: 'password-1' });
    for (let i = 0; i < 2; i++)
      await auth.login({ email: address, password: 'wrong-password' }).catch(() => undefined);
    await auth.login({ email: address, password: 'password-1' });
    for (let i = 0; i < 2; i++)
      await auth.login({ email: address, password: 'wrong-password' }).catch(() => undefined);
    await expect(auth.login({ email: address, password: 'password-1' })).resolves.toBeDefined();
  });

  it('changing the password ends the other sessions but keeps the current one', async () => {
    const address = email();
    const first = await auth.register({ email: address, password: 'password-1' });
    const second = await auth.login({ email: address, password: 'password-1' });
    await auth.changePassword(
      principalOf(first.user, first.session.sessionId),
      'password-1',
      'password-2',
    );
    expect(await sessions.isActive(first.session.sessionId, first.user.id)).toBe(true);
    expect(await sessions.isActive(second.session.sessionId, first.user.id)).toBe(false);
    await expect(auth.login({ email: address, password: 'password-1' })).rejects.toBeInstanceOf(
      InvalidCredentialsError,
    );
    await expect(auth.login({ email: address, password: 'password-2' })).resolves.toBeDefined();
  });

  it('ends the session of a login that read the user before a password change and issues it after', async () => {
    const address = email();
    // `user` is the row as read before the change, as a racing login holds it.
    const { user, session } = await auth.register({ email: address, password: 'password-1' });
    await auth.changePassword(principalOf(user, session.sessionId), 'password-1', 'password-2');

    const late = await sessions.issue(user);

    expect(await sessions.isActive(late.sessionId, user.id)).toBe(false);
    expect(await sessions.isActive(session.sessionId, user.id)).toBe(true);
  });

  it('refuses a password change from a session that an earlier change has already ended', async () => {
    const address = email();
    const first = await auth.register({ email: address, password: 'password-1' });
    // Authenticated before the first change: it still holds the old user row.
    const second = await auth.login({ email: address, password: 'password-1' });
    await auth.changePassword(
      principalOf(first.user, first.session.sessionId),
      'password-1',
      'password-2',
    );

    await expect(
      auth.changePassword(
        principalOf(second.user, second.session.sessionId),
        'password-1',
        'password-3',
      ),
    ).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(auth.login({ email: address, password: 'password-2' })).resolves.toBeDefined();
    expect(await sessions.isActive(first.session.sessionId, first.user.id)).toBe(true);
  });

  it('needs the current password to change it or to delete the account', async () => {
    const { user, session } = await auth.register({ email: email(), password: 'password-1' });
    const principal = principalOf(user, session.sessionId);
    await expect(auth.changePassword(principal, 'wrong', 'password-2')).rejects.toBeInstanceOf(
      WrongPasswordError,
    );
    await expect(auth.deleteAccount(principal, 'wrong')).rejects.toBeInstanceOf(WrongPasswordError);
  });

  it('deleting the account removes the user and every session', async () => {
    const address = email();
    const { user, session } = await auth.register({ email: address, password: 'password-1' });
    await auth.deleteAccount(principalOf(user, session.sessionId), 'password-1');
    expect(await dataSource.getRepository(UserEntity).findOneBy({ id: user.id })).toBeNull();
    expect(await sessions.isActive(session.sessionId, user.id)).toBe(false);
    await expect(auth.register({ email: address, password: 'password-1' })).resolves.toBeDefined();
  });
});

import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { createTestingAppModule } from '../testing/test-app-module';
import { UserEntity } from '../users/user.entity';
import { AuthService } from './auth.service';
import { SessionEntity } from './session.entity';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

describe('SessionsService', () => {
  let moduleRef: TestingModule;
  let sessions: SessionsService;
  let user: UserEntity;
  let userId: string;

  beforeAll(async () => {
    moduleRef = await createTestingAppModule();
    sessions = moduleRef.get(SessionsService);
    ({ user } = await moduleRef
      .get(AuthService)
      .register({ email: 's@example.com', password: 'password-1' }));
    userId = user.id;
  });

  afterAll(() => moduleRef.close());

  it('issues a session that is active until revoked', async () => {
    const issued = await sessions.issue(user);
    expect(await sessions.isActive(issued.sessionId, userId)).toBe(true);
    await sessions.revoke(issued.sessionId);
    expect(await sessions.isActive(issued.sessionId, userId)).toBe(false);
  });

  it('does not accept a session for another user', async () => {
    const issued = await sessions.issue(user);
    expect(await sessions.isActive(issued.sessionId, 'someone-else')).toBe(false);
  });

  it('treats an expired session as ended and prunes it', async () => {
    const repository = moduleRef.get(SessionsRepository);
    const past = new Date(Date.now() - 1000);
    await repository.insert({
      id: 'expired-session',
      userId,
      createdAt: past,
      expiresAt: past,
      credentialVersion: user.credentialVersion,
    });
    expect(await sessions.isActive('expired-session', userId)).toBe(false);
    await sessions.pruneExpired(userId);
    const rows = moduleRef.get<DataSource>(getDataSourceToken()).getRepository(SessionEntity);
    expect(await rows.findOneBy({ id: 'expired-session' })).toBeNull();
  });

  it('treats a session issued under an older credential version as ended', async () => {
    const stale = await sessions.issue({
      id: userId,
      credentialVersion: user.credentialVersion - 1,
    });
    expect(await sessions.isActive(stale.sessionId, userId)).toBe(false);
    expect(await sessions.activeUser(stale.sessionId, userId)).toBeNull();
  });

  it('binds CSRF tokens to their session', async () => {
    const a = await sessions.issue(user);
    const b = await sessions.issue(user);
    expect(sessions.isValidCsrfToken(a.sessionId, a.csrfToken)).toBe(true);
    expect(sessions.isValidCsrfToken(a.sessionId, b.csrfToken)).toBe(false);
    expect(sessions.isValidCsrfToken(a.sessionId, undefined)).toBe(false);
    expect(sessions.isValidCsrfToken(a.sessionId, 'short')).toBe(false);
  });
});

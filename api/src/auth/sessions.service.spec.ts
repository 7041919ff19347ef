import { TestingModule } from '@nestjs/testing';
import { createTestingAppModule } from '../testing/test-app-module';
import { AuthService } from './auth.service';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

describe('SessionsService', () => {
  let moduleRef: TestingModule;
  let sessions: SessionsService;
  let userId: string;

  beforeAll(async () => {
    moduleRef = await createTestingAppModule();
    sessions = moduleRef.get(SessionsService);
    const { user } = await moduleRef
      .get(AuthService)
      .register({ email: 's@example.com', password: 'password-1' });
    userId = user.id;
  });

  afterAll(() => moduleRef.close());

  it('issues a session that is active until revoked', async () => {
    const issued = await sessions.issue(userId);
    expect(await sessions.isActive(issued.sessionId, userId)).toBe(true);
    await sessions.revoke(issued.sessionId);
    expect(await sessions.isActive(issued.sessionId, userId)).toBe(false);
  });

  it('does not accept a session for another user', async () => {
    const issued = await sessions.issue(userId);
    expect(await sessions.isActive(issued.sessionId, 'someone-else')).toBe(false);
  });

  it('treats an expired session as ended and prunes it', async () => {
    const repository = moduleRef.get(SessionsRepository);
    const past = new Date(Date.now() - 1000);
    await repository.insert({ id: 'expired-session', userId, createdAt: past, expiresAt: past });
    expect(await sessions.isActive('expired-session', userId)).toBe(false);
    await sessions.pruneExpired(userId);
    expect(await repository.findById('expired-session')).toBeNull();
  });

  it('binds CSRF tokens to their session', async () => {
    const a = await sessions.issue(userId);
    const b = await sessions.issue(userId);
    expect(sessions.isValidCsrfToken(a.sessionId, a.csrfToken)).toBe(true);
    expect(sessions.isValidCsrfToken(a.sessionId, b.csrfToken)).toBe(false);
    expect(sessions.isValidCsrfToken(a.sessionId, undefined)).toBe(false);
    expect(sessions.isValidCsrfToken(a.sessionId, 'short')).toBe(false);
  });
});

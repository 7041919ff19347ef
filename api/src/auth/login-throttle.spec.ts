import { TestingModule } from '@nestjs/testing';
import { TooManyFailedLoginsError } from '../common/errors/domain-errors';
import { createTestingAppModule } from '../testing/test-app-module';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  let moduleRef: TestingModule;
  let throttle: LoginThrottle;
  const start = new Date('2026-01-01T10:00:00Z');
  const later = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

  beforeAll(async () => {
    moduleRef = await createTestingAppModule({ LOGIN_MAX_FAILURES: '2' });
    throttle = moduleRef.get(LoginThrottle);
  });

  afterAll(() => moduleRef.close());

  it('allows the maximum within 15 minutes, then refuses and says how long to wait', async () => {
    await throttle.countAttempt('a@example.com', start);
    await throttle.countAttempt('a@example.com', later(1));
    const error = await throttle.countAttempt('a@example.com', later(5)).catch((e) => e);
    expect(error).toBeInstanceOf(TooManyFailedLoginsError);
    expect(error.retryAfterSeconds).toBe(10 * 60);
    expect(error.message).toBe('Too many failed logins for this account. Try again in 10 minutes.');
  });

  it('starts a new window once the old one has passed', async () => {
    await throttle.countAttempt('b@example.com', start);
    await throttle.countAttempt('b@example.com', start);
    await expect(throttle.countAttempt('b@example.com', later(15))).resolves.toBeUndefined();
    await expect(throttle.countAttempt('b@example.com', later(16))).resolves.toBeUndefined();
    await expect(throttle.countAttempt('b@example.com', later(17))).rejects.toBeInstanceOf(
      TooManyFailedLoginsError,
    );
  });

  it('lets no more than the maximum through when attempts arrive at the same moment', async () => {
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map(() => throttle.countAttempt('c@example.com', start)),
    );
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(2);
    await expect(throttle.countAttempt('c@example.com', later(1))).rejects.toBeInstanceOf(
      TooManyFailedLoginsError,
    );
  });

  it('is cleared by a successful login', async () => {
    await throttle.countAttempt('d@example.com', start);
    await throttle.countAttempt('d@example.com', start);
    await throttle.clear('d@example.com');
    await expect(throttle.countAttempt('d@example.com', later(1))).resolves.toBeUndefined();
  });
});

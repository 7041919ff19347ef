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

  it('blocks after the maximum within 15 minutes and says how long to wait', async () => {
    await throttle.recordFailure('a@example.com', start);
    await expect(throttle.assertAllowed('a@example.com', later(1))).resolves.toBeUndefined();
    await throttle.recordFailure('a@example.com', later(1));
    const error = await throttle.assertAllowed('a@example.com', later(5)).catch((e) => e);
    expect(error).toBeInstanceOf(TooManyFailedLoginsError);
    expect(error.retryAfterSeconds).toBe(10 * 60);
    expect(error.message).toBe('Too many failed logins for this account. Try again in 10 minutes.');
  });

  it('opens again when the window has passed, and a new failure starts a new window', async () => {
    await throttle.recordFailure('b@example.com', start);
    await throttle.recordFailure('b@example.com', start);
    await expect(throttle.assertAllowed('b@example.com', later(15))).resolves.toBeUndefined();
    await throttle.recordFailure('b@example.com', later(16));
    await expect(throttle.assertAllowed('b@example.com', later(17))).resolves.toBeUndefined();
  });

  it('is cleared by a successful login', async () => {
    await throttle.recordFailure('c@example.com', start);
    await throttle.recordFailure('c@example.com', start);
    await throttle.clear('c@example.com');
    await expect(throttle.assertAllowed('c@example.com', later(1))).resolves.toBeUndefined();
  });
});

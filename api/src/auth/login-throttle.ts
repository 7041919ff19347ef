import { Injectable } from '@nestjs/common';
import { TooManyFailedLoginsError } from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config';
import { LoginFailuresRepository } from './login-failures.repository';

/**
 * Limits password guessing per account: LOGIN_MAX_FAILURES failed logins per 15-minute window.
 * Every attempt is counted before the password is checked, so simultaneous guesses cannot all
 * slip past the limit; a successful login clears the count.
 */
@Injectable()
export class LoginThrottle {
  private readonly windowMs: number;

  constructor(
    private readonly failures: LoginFailuresRepository,
    private readonly config: AppConfig,
  ) {
    this.windowMs = config.loginFailureWindowSeconds * 1000;
  }

  async countAttempt(email: string, now = new Date()): Promise<void> {
    const entry = await this.failures.countAttempt(email, now, this.windowMs);
    if (entry.failureCount <= this.config.loginMaxFailures) return;
    const reopensAt = entry.windowStartedAt.getTime() + this.windowMs;
    throw new TooManyFailedLoginsError(Math.max(1, Math.ceil((reopensAt - now.getTime()) / 1000)));
  }

  clear(email: string): Promise<void> {
    return this.failures.clear(email);
  }
}

import { Injectable } from '@nestjs/common';
import { TooManyFailedLoginsError } from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config';
import { LoginFailuresRepository } from './login-failures.repository';

/** Limits password guessing per account: LOGIN_MAX_FAILURES failures per 15-minute window. */
@Injectable()
export class LoginThrottle {
  private readonly windowMs: number;

  constructor(
    private readonly failures: LoginFailuresRepository,
    private readonly config: AppConfig,
  ) {
    this.windowMs = config.loginFailureWindowSeconds * 1000;
  }

  async assertAllowed(email: string, now = new Date()): Promise<void> {
    const entry = await this.failures.find(email);
    if (!entry || entry.failureCount < this.config.loginMaxFailures) return;
    const reopensAt = entry.windowStartedAt.getTime() + this.windowMs;
    if (reopensAt <= now.getTime()) return;
    throw new TooManyFailedLoginsError(Math.ceil((reopensAt - now.getTime()) / 1000));
  }

  recordFailure(email: string, now = new Date()): Promise<void> {
    return this.failures.record(email, now, this.windowMs);
  }

  clear(email: string): Promise<void> {
    return this.failures.clear(email);
  }
}

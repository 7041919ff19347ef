import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThan } from 'typeorm';
import { LoginFailureEntity } from './login-failure.entity';

@Injectable()
export class LoginFailuresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(LoginFailureEntity);
  }

  find(email: string): Promise<LoginFailureEntity | null> {
    return this.repo.findOneBy({ email });
  }

  /**
   * Counts one failure: inside a window still open, atomically (concurrent guesses must all
   * count); otherwise a new window starts with this failure.
   */
  async record(email: string, now: Date, windowMs: number): Promise<void> {
    const windowOpenSince = new Date(now.getTime() - windowMs);
    const result = await this.repo.increment(
      { email, windowStartedAt: MoreThan(windowOpenSince) },
      'failureCount',
      1,
    );
    if (result.affected) return;
    await this.repo.upsert({ email, failureCount: 1, windowStartedAt: now }, ['email']);
  }

  async clear(email: string): Promise<void> {
    await this.repo.delete({ email });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LoginFailureEntity } from './login-failure.entity';

@Injectable()
export class LoginFailuresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Counts one login attempt in one atomic statement (concurrent guesses must each count) and
   * returns the window's count and start: inside a window still open it adds one, otherwise a
   * new window starts with this attempt.
   */
  async countAttempt(email: string, now: Date, windowMs: number): Promise<LoginFailureEntity> {
    const nowValue = this.stored(now);
    const openSince = this.stored(new Date(now.getTime() - windowMs));
    const sql =
      this.dataSource.options.type === 'mysql'
        ? `INSERT INTO login_failures (email, failure_count, window_started_at) VALUES (?, 1, ?)
           ON DUPLICATE KEY UPDATE
             failure_count = IF(window_started_at > ?, failure_count + 1, 1),
             window_started_at = IF(window_started_at > ?, window_started_at, VALUES(window_started_at))`
        : `INSERT INTO login_failures (email, failure_count, window_started_at) VALUES (?, 1, ?)
           ON CONFLICT (email) DO UPDATE SET
             failure_count = CASE WHEN window_started_at > ? THEN failure_count + 1 ELSE 1 END,
             window_started_at = CASE WHEN window_started_at > ? THEN window_started_at ELSE excluded.window_started_at END`;
    await this.dataSource.query(sql, [email, nowValue, openSince, openSince]);
    return this.dataSource.getRepository(LoginFailureEntity).findOneByOrFail({ email });
  }

  async clear(email: string): Promise<void> {
    await this.dataSource.getRepository(LoginFailureEntity).delete({ email });
  }

  /** A date as the driver stores this table's timestamps, for raw SQL. */
  private stored(date: Date): unknown {
    const column = this.dataSource
      .getMetadata(LoginFailureEntity)
      .findColumnWithPropertyName('windowStartedAt');
    return column ? this.dataSource.driver.preparePersistentValue(date, column) : date;
  }
}

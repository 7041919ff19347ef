import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestamp } from '../database/columns';

/**
 * Failed logins per email within the current window. Keyed by the email typed, whether or not
 * an account exists, so the lock-out itself does not reveal which emails are registered.
 */
@Entity('login_failures')
export class LoginFailureEntity {
  @PrimaryColumn({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'failure_count', type: 'int' })
  failureCount!: number;

  @Column(timestamp({ name: 'window_started_at' }))
  windowStartedAt!: Date;
}

import { WEBHOOK_URL_MAX_LENGTH, WebhookEventType } from '@vidgen/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestamp, uuid } from '../database/columns';

/** An endpoint a user registered: where their events go, and how they are signed. */
@Entity('webhooks')
@Index(['userId', 'createdAt'])
export class WebhookEntity {
  @PrimaryColumn(uuid())
  id!: string;

  @Column(uuid({ name: 'user_id' }))
  userId!: string;

  @Column({ type: 'varchar', length: WEBHOOK_URL_MAX_LENGTH })
  url!: string;

  @Column({ type: 'simple-array' })
  events!: WebhookEventType[];

  /**
   * The signing secret, as given to the owner. Unlike an API key's, it cannot be kept as a hash:
   * the platform does not check this secret, it computes an HMAC with it for every delivery, and
   * a hash does not let it do that. It never leaves the server again after the creation.
   */
  @Column({ type: 'varchar', length: 64 })
  secret!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  /** Why the platform disabled the endpoint, for its owner; null otherwise. */
  @Column({ name: 'disabled_reason', type: 'varchar', length: 1000, nullable: true })
  disabledReason!: string | null;

  /** The first failed try since the endpoint's last success; null while it succeeds. */
  @Column(timestamp({ name: 'failing_since', nullable: true }))
  failingSince!: Date | null;

  @Column(timestamp({ name: 'created_at' }))
  createdAt!: Date;

  @Column(timestamp({ name: 'updated_at' }))
  updatedAt!: Date;
}

import {
  WEBHOOK_TEST_EVENT_TYPE,
  WebhookDeliveryAttempt,
  WebhookDeliveryStatus,
  WebhookEventType,
} from '@vidgen/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestamp, uuid } from '../database/columns';

/**
 * One event for one endpoint, until it is delivered or given up: the row is written in the
 * transaction that makes the event (see WebhookOutbox), so it survives any crash, and workers
 * claim due rows with a conditional update (`locked_until`, `claim_token`), like job leases.
 */
@Entity('webhook_deliveries')
@Index(['webhookId', 'createdAt'])
@Index(['status', 'nextAttemptAt'])
export class WebhookDeliveryEntity {
  /** Sent as `webhook-id`: the same for every try, so receivers can drop repeats. */
  @PrimaryColumn(uuid())
  id!: string;

  @Column(uuid({ name: 'webhook_id' }))
  webhookId!: string;

  /** The event's own id (`evt_...`), the same for every endpoint it goes to. */
  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 32 })
  eventType!: WebhookEventType | typeof WEBHOOK_TEST_EVENT_TYPE;

  /** The JSON body exactly as signed and sent, on every try. */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: WebhookDeliveryStatus;

  /**
   * Every try so far, oldest first. On the row rather than in a table of their own: there are at
   * most eight, always read with the delivery, and a try is recorded with one conditional update
   * of the row that holds the claim.
   */
  @Column({ type: 'simple-json' })
  attempts!: WebhookDeliveryAttempt[];

  /** Null once the delivery is over. */
  @Column(timestamp({ name: 'next_attempt_at', nullable: true }))
  nextAttemptAt!: Date | null;

  /** A worker's claim runs until then; after it, another may take the delivery. */
  @Column(timestamp({ name: 'locked_until', nullable: true }))
  lockedUntil!: Date | null;

  /** Names the current claim, so a worker whose claim ran out cannot record over another's. */
  @Column({ name: 'claim_token', type: 'varchar', length: 36, nullable: true })
  claimToken!: string | null;

  @Column(timestamp({ name: 'created_at' }))
  createdAt!: Date;
}

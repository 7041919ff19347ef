import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestamp, uuid } from '../database/columns';

/** The first answer to a POST /api/videos sent with an Idempotency-Key, per user. */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn(uuid({ name: 'user_id' }))
  userId!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  /** SHA-256 of the request body, to tell a replay from a different request reusing the key. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @Column(uuid({ name: 'video_id' }))
  videoId!: string;

  @Column(uuid({ name: 'job_id' }))
  jobId!: string;

  @Column(timestamp({ name: 'created_at' }))
  createdAt!: Date;
}

import { JobStatus } from '@vidgen/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestamp, uuid } from '../database/columns';

/** One attempt at generating a video. The row, not the queue, is the truth about the job. */
@Entity('video_jobs')
@Index(['status', 'createdAt'])
@Index(['userId', 'status'])
@Index(['status', 'leaseExpiresAt'])
export class VideoJobEntity {
  @PrimaryColumn(uuid())
  id!: string;

  @Index()
  @Column(uuid({ name: 'video_id' }))
  videoId!: string;

  @Column(uuid({ name: 'user_id' }))
  userId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: JobStatus;

  @Column({ type: 'int' })
  progress!: number;

  @Column({ type: 'varchar', length: 255 })
  stage!: string;

  /** Counts every start, including restarts after the process died mid-job. */
  @Column({ type: 'int' })
  attempt!: number;

  /** The upstream service's id for this job, once it accepted the work. */
  @Column({ name: 'upstream_job_id', type: 'varchar', length: 255, nullable: true })
  upstreamJobId!: string | null;

  /** The worker running the job (WORKER_ID), while it runs. */
  @Column({ name: 'worker_id', type: 'varchar', length: 128, nullable: true })
  workerId!: string | null;

  /** Until when that worker holds the job; it renews this while alive. */
  @Column(timestamp({ name: 'lease_expires_at', nullable: true }))
  leaseExpiresAt!: Date | null;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column(timestamp({ name: 'created_at' }))
  createdAt!: Date;

  @Column(timestamp({ name: 'updated_at' }))
  updatedAt!: Date;

  @Column(timestamp({ name: 'started_at', nullable: true }))
  startedAt!: Date | null;

  @Column(timestamp({ name: 'finished_at', nullable: true }))
  finishedAt!: Date | null;
}

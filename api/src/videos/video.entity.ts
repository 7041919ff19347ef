import { Orientation, VideoStatus } from '@vidgen/contracts';
import { Column, Entity, Index, PrimaryColumn, ValueTransformer } from 'typeorm';
import { timestamp, uuid } from '../database/columns';

/** mysql2 reads BIGINT as a string; byte counts stay far below 2^53, so a number is exact. */
const bigintAsNumber: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

@Entity('videos')
@Index(['userId', 'createdAt'])
export class VideoEntity {
  @PrimaryColumn(uuid())
  id!: string;

  @Column(uuid({ name: 'user_id' }))
  userId!: string;

  @Column({ type: 'text' })
  prompt!: string;

  @Column({ type: 'varchar', length: 120 })
  title!: string;

  /** Requested until the video is ready, then the file's own (see ORIENTATION_MISMATCH). */
  @Column({ type: 'varchar', length: 16 })
  orientation!: Orientation;

  /** What was asked for; a new attempt asks for it again. */
  @Column({ name: 'requested_orientation', type: 'varchar', length: 16 })
  requestedOrientation!: Orientation;

  /** Mirrors the current job's state (see JobsRepository.transition). */
  @Column({ type: 'varchar', length: 16 })
  status!: VideoStatus;

  @Column({ type: 'varchar', length: 32 })
  provider!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  model!: string | null;

  /** Requested length until the video is ready, then the probed length. */
  @Column({ name: 'duration_seconds', type: 'double' })
  durationSeconds!: number;

  /** What was asked for; a new attempt asks for it again. */
  @Column({ name: 'requested_duration_seconds', type: 'int' })
  requestedDurationSeconds!: number;

  @Column({ type: 'int', nullable: true })
  width!: number | null;

  @Column({ type: 'int', nullable: true })
  height!: number | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  codec!: string | null;

  /** Bytes of the video file plus its thumbnail; BIGINT, as results may pass 2 GiB. */
  @Column({ name: 'size_bytes', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  sizeBytes!: number | null;

  @Column({ name: 'file_key', type: 'varchar', length: 255, nullable: true })
  fileKey!: string | null;

  @Column({ name: 'thumbnail_key', type: 'varchar', length: 255, nullable: true })
  thumbnailKey!: string | null;

  /** The upstream URL the file was copied from: provenance only, such URLs expire. */
  @Column({ name: 'source_url', type: 'text', nullable: true })
  sourceUrl!: string | null;

  @Column({ type: 'boolean' })
  favorite!: boolean;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  /**
   * The video this one remixes (an OpenAI-compatible remix: its settings, a new prompt). Kept as
   * provenance after the source is deleted, as OpenAI keeps it.
   */
  @Column(uuid({ name: 'remixed_from_video_id', nullable: true }))
  remixedFromVideoId!: string | null;

  @Column(uuid({ name: 'current_job_id' }))
  currentJobId!: string;

  @Column(timestamp({ name: 'created_at' }))
  createdAt!: Date;

  @Column(timestamp({ name: 'updated_at' }))
  updatedAt!: Date;

  @Column(timestamp({ name: 'completed_at', nullable: true }))
  completedAt!: Date | null;
}

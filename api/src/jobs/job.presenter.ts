import { ApiProperty } from '@nestjs/swagger';
import { JobStatus, VideoJob } from '@vidgen/contracts';
import { problemOf, ProblemDetailView } from '../videos/video.presenter';
import { VideoJobEntity } from './video-job.entity';

export class JobView implements VideoJob {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) videoId!: string;
  @ApiProperty({ enum: JobStatus, enumName: 'JobStatus' }) status!: JobStatus;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress!: number;
  @ApiProperty({ example: 'Rendering frames' }) stage!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '1 = next to start; null unless queued.',
  })
  queuePosition!: number | null;
  @ApiProperty({ minimum: 1 }) attempt!: number;
  @ApiProperty({ type: ProblemDetailView, nullable: true }) error!: ProblemDetailView | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;

  static from(job: VideoJobEntity, queuePosition: number | null = null): JobView {
    return {
      id: job.id,
      videoId: job.videoId,
      status: job.status,
      progress: job.progress,
      stage: job.stage,
      queuePosition: job.status === JobStatus.Queued ? queuePosition : null,
      attempt: job.attempt,
      error: problemOf(job.errorCode, job.errorMessage),
      createdAt: job.createdAt.toISOString(),
      startedAt: job.startedAt?.toISOString() ?? null,
      finishedAt: job.finishedAt?.toISOString() ?? null,
    };
  }
}

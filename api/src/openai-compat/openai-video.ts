import { ApiProperty } from '@nestjs/swagger';
import { Orientation, ProblemDetail, Video, VideoJob, VideoStatus } from '@vidgen/contracts';
import { VideoEntity } from '../videos/video.entity';
import { VideoView } from '../videos/video.presenter';

/** The lengths OpenAI's Videos API offers, in seconds; its clients send them as strings. */
export const OPENAI_SECONDS = ['4', '8', '12'] as const;
export type OpenAiSeconds = (typeof OPENAI_SECONDS)[number];

/** OpenAI's sizes for the two orientations this platform makes. */
export const OPENAI_SIZES = { portrait: '720x1280', landscape: '1280x720' } as const;
export type OpenAiSize = (typeof OPENAI_SIZES)[Orientation];

export type OpenAiVideoStatus = 'queued' | 'in_progress' | 'completed' | 'failed';

/** Why a cancelled video reads as failed on /v1, where OpenAI has no cancelled state. */
export const CANCELLED_ERROR: ProblemDetail = {
  code: 'cancelled',
  message: 'The video was cancelled before it was finished.',
};

/**
 * The parts of a platform video the OpenAI object is made from: a `VideoView` fits (its remix
 * source then reads null; see openAiVideoSourceOf).
 */
export type OpenAiVideoSource = Pick<
  Video,
  | 'id'
  | 'prompt'
  | 'status'
  | 'provider'
  | 'requestedOrientation'
  | 'requestedDurationSeconds'
  | 'error'
  | 'createdAt'
  | 'completedAt'
> & { remixedFromVideoId?: string | null };

/** The parts of the video's latest job that add to it: a `JobView` fits. */
export type OpenAiJobSource = Pick<VideoJob, 'progress' | 'finishedAt'>;

export class OpenAiVideoError implements ProblemDetail {
  @ApiProperty({ example: 'RENDER_FAILED' }) code!: string;
  @ApiProperty({ example: 'The renderer stopped: out of disk space.' }) message!: string;
}

/** OpenAI's video object (`openai` npm package: `Video`), field for field. */
export class OpenAiVideo {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['video'] }) object!: 'video';
  @ApiProperty({
    example: 'local',
    description: "The platform's generator that makes the video (see GET /v1/models).",
  })
  model!: string;
  @ApiProperty({ enum: ['queued', 'in_progress', 'completed', 'failed'] })
  status!: OpenAiVideoStatus;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100 }) progress!: number;
  @ApiProperty({ type: 'integer', description: 'Unix time, in seconds.' }) created_at!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Unix time, in seconds.' })
  completed_at!: number | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Always null: files are kept until the video is deleted.',
  })
  expires_at!: number | null;
  @ApiProperty({ type: String, nullable: true }) prompt!: string | null;
  @ApiProperty({
    enum: OPENAI_SECONDS,
    description:
      'The length asked of the provider, as the nearest of 4, 8 and 12 (the shorter of two as near).',
  })
  seconds!: OpenAiSeconds;
  @ApiProperty({ enum: Object.values(OPENAI_SIZES) }) size!: OpenAiSize;
  @ApiProperty({
    type: OpenAiVideoError,
    nullable: true,
    description: 'Why it failed; a cancelled video fails with code `cancelled`.',
  })
  error!: OpenAiVideoError | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  remixed_from_video_id!: string | null;
}

/**
 * A platform video, and its latest job when known, as OpenAI's video object. The same video is
 * seen on /api, in the web app and here: nothing of it is stored twice.
 */
export function presentOpenAiVideo(
  video: OpenAiVideoSource,
  job?: OpenAiJobSource | null,
): OpenAiVideo {
  const status = openAiStatusOf(video.status);
  const finishedAt = video.completedAt ?? (status === 'failed' ? (job?.finishedAt ?? null) : null);
  return {
    id: video.id,
    object: 'video',
    model: video.provider,
    status,
    progress: openAiProgressOf(status, job?.progress),
    created_at: unixSeconds(video.createdAt),
    completed_at: finishedAt === null ? null : unixSeconds(finishedAt),
    expires_at: null,
    prompt: video.prompt,
    seconds: openAiSecondsOf(video.requestedDurationSeconds),
    size: OPENAI_SIZES[video.requestedOrientation],
    error: video.status === VideoStatus.Cancelled ? (video.error ?? CANCELLED_ERROR) : video.error,
    remixed_from_video_id: video.remixedFromVideoId ?? null,
  };
}

/**
 * What presentOpenAiVideo needs of a stored video, with what only its row knows (the video it
 * remixes), for callers that hold the entity rather than its /api view.
 */
export function openAiVideoSourceOf(video: VideoEntity): OpenAiVideoSource {
  return { ...VideoView.from(video), remixedFromVideoId: video.remixedFromVideoId };
}

/** OpenAI has no cancelled state: a cancelled video is a failed one (with code `cancelled`). */
export function openAiStatusOf(status: VideoStatus): OpenAiVideoStatus {
  switch (status) {
    case VideoStatus.Queued:
      return 'queued';
    case VideoStatus.Running:
      return 'in_progress';
    case VideoStatus.Ready:
      return 'completed';
    case VideoStatus.Failed:
    case VideoStatus.Cancelled:
      return 'failed';
  }
}

/** A whole percentage, as OpenAI's clients expect; a completed video is at 100 whatever the job said. */
export function openAiProgressOf(status: OpenAiVideoStatus, jobProgress?: number): number {
  if (status === 'completed') return 100;
  const progress = Math.round(jobProgress ?? 0);
  return Math.min(100, Math.max(0, progress));
}

/**
 * The offered length nearest to a platform length: providers have their own (the local preview's
 * 5, 10, 15), OpenAI only 4, 8 and 12. Halfway between two, the shorter: never more than was made.
 */
export function openAiSecondsOf(durationSeconds: number): OpenAiSeconds {
  let nearest: OpenAiSeconds = OPENAI_SECONDS[0];
  for (const seconds of OPENAI_SECONDS) {
    const distance = Math.abs(Number(seconds) - durationSeconds);
    if (distance < Math.abs(Number(nearest) - durationSeconds)) nearest = seconds;
  }
  return nearest;
}

function unixSeconds(isoTimestamp: string): number {
  return Math.floor(Date.parse(isoTimestamp) / 1000);
}

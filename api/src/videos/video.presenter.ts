import { ApiProperty } from '@nestjs/swagger';
import { ApiRoutes, Orientation, ProblemDetail, Video, VideoStatus } from '@vidgen/contracts';
import { VideoEntity } from './video.entity';

export class ProblemDetailView implements ProblemDetail {
  @ApiProperty({ example: 'RENDER_FAILED' })
  code!: string;

  @ApiProperty({ example: 'The renderer stopped: out of disk space.' })
  message!: string;
}

export function problemOf(code: string | null, message: string | null): ProblemDetail | null {
  return code ? { code, message: message ?? '' } : null;
}

export class VideoView implements Video {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() prompt!: string;
  @ApiProperty() title!: string;
  @ApiProperty({
    enum: Orientation,
    enumName: 'Orientation',
    description:
      "The requested orientation until the video is ready, then the file's own. A file whose orientation differs from the request fails its job with `WRONG_ORIENTATION`, unless the server keeps such files (`ORIENTATION_MISMATCH=keep`): then this is the file's orientation and `requestedOrientation` tells what was asked for. A square file keeps the requested orientation; `width` and `height` tell its shape.",
  })
  orientation!: Orientation;
  @ApiProperty({
    enum: Orientation,
    enumName: 'Orientation',
    description: 'What was asked for, whatever the file turned out to be.',
  })
  requestedOrientation!: Orientation;
  @ApiProperty({ enum: VideoStatus, enumName: 'VideoStatus' }) status!: VideoStatus;
  @ApiProperty({ example: 'local', description: '`local` is a local preview renderer, not AI.' })
  provider!: string;
  @ApiProperty({ type: String, nullable: true }) model!: string | null;
  @ApiProperty({ type: Number, nullable: true }) width!: number | null;
  @ApiProperty({ type: Number, nullable: true }) height!: number | null;
  @ApiProperty({ description: 'Requested length, then the real length once ready.' })
  durationSeconds!: number;
  @ApiProperty({
    type: 'integer',
    description:
      'The length asked for, in seconds. Gateways may make another length than asked; the web app points out a difference of more than 2 s and more than a quarter.',
  })
  requestedDurationSeconds!: number;
  @ApiProperty({ type: Number, nullable: true }) sizeBytes!: number | null;
  @ApiProperty({ type: String, nullable: true, example: '/api/videos/{id}/content' }) contentUrl!:
    | string
    | null;
  @ApiProperty({ type: String, nullable: true, example: '/api/videos/{id}/thumbnail' })
  thumbnailUrl!: string | null;
  @ApiProperty() favorite!: boolean;
  @ApiProperty({ type: ProblemDetailView, nullable: true }) error!: ProblemDetailView | null;
  @ApiProperty({ format: 'uuid', description: 'The latest generation attempt.' }) jobId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: string | null;

  static from(video: VideoEntity): VideoView {
    const ready = video.status === VideoStatus.Ready && video.fileKey !== null;
    return {
      id: video.id,
      prompt: video.prompt,
      title: video.title,
      orientation: video.orientation,
      requestedOrientation: video.requestedOrientation,
      status: video.status,
      provider: video.provider,
      model: video.model,
      width: video.width,
      height: video.height,
      durationSeconds: video.durationSeconds,
      requestedDurationSeconds: video.requestedDurationSeconds,
      sizeBytes: video.sizeBytes,
      contentUrl: ready ? ApiRoutes.videoContent(video.id) : null,
      thumbnailUrl: video.thumbnailKey ? ApiRoutes.videoThumbnail(video.id) : null,
      favorite: video.favorite,
      error: problemOf(video.errorCode, video.errorMessage),
      jobId: video.currentJobId,
      createdAt: video.createdAt.toISOString(),
      completedAt: video.completedAt?.toISOString() ?? null,
    };
  }
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CreateVideoRequest,
  DEFAULT_DURATION_SECONDS,
  MAX_DURATION_SECONDS,
  MIN_DURATION_SECONDS,
  Orientation,
  PROMPT_MAX_LENGTH,
  TITLE_MAX_LENGTH,
  UpdateVideoRequest,
  VIDEO_PAGE_SIZE_DEFAULT,
  VIDEO_PAGE_SIZE_MAX,
  VideoListQuery,
  VideoListResponse,
  VideoResponse,
  VideoStatus,
} from '@vidgen/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { Trim } from '../../common/http/trim.decorator';
import { JobView } from '../../jobs/job.presenter';
import { VideoView } from '../video.presenter';

const ORIENTATION_RULE = 'orientation must be "portrait" or "landscape".';
const DURATION_RULE = `durationSeconds must be a whole number from ${MIN_DURATION_SECONDS} to ${MAX_DURATION_SECONDS}.`;

export class CreateVideoDto implements CreateVideoRequest {
  @ApiProperty({ minLength: 1, maxLength: PROMPT_MAX_LENGTH, example: 'A paper boat drifting down a rainy street' })
  @Trim()
  @IsString({ message: 'prompt must be text.' })
  @Length(1, PROMPT_MAX_LENGTH, { message: `prompt must be 1 to ${PROMPT_MAX_LENGTH} characters (spaces at the ends do not count).` })
  prompt!: string;

  @ApiPropertyOptional({ enum: Orientation, enumName: 'Orientation', default: Orientation.Portrait })
  @IsOptional()
  @IsEnum(Orientation, { message: ORIENTATION_RULE })
  orientation?: Orientation;

  @ApiPropertyOptional({ minimum: MIN_DURATION_SECONDS, maximum: MAX_DURATION_SECONDS, default: DEFAULT_DURATION_SECONDS })
  @IsOptional()
  @IsInt({ message: DURATION_RULE })
  @Min(MIN_DURATION_SECONDS, { message: DURATION_RULE })
  @Max(MAX_DURATION_SECONDS, { message: DURATION_RULE })
  durationSeconds?: number;
}

export class UpdateVideoDto implements UpdateVideoRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: TITLE_MAX_LENGTH })
  @IsOptional()
  @Trim()
  @IsString({ message: 'title must be text.' })
  @Length(1, TITLE_MAX_LENGTH, { message: `title must be 1 to ${TITLE_MAX_LENGTH} characters.` })
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'favorite must be true or false.' })
  favorite?: boolean;
}

const toBoolean = Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));
const toInteger = Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value));

export class ListVideosQuery implements VideoListQuery {
  @ApiPropertyOptional({ enum: VideoStatus, enumName: 'VideoStatus' })
  @IsOptional()
  @IsEnum(VideoStatus, { message: `status must be one of ${Object.values(VideoStatus).join(', ')}.` })
  status?: VideoStatus;

  @ApiPropertyOptional({ enum: Orientation, enumName: 'Orientation' })
  @IsOptional()
  @IsEnum(Orientation, { message: ORIENTATION_RULE })
  orientation?: Orientation;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @toBoolean
  @IsBoolean({ message: 'favorite must be true or false.' })
  favorite?: boolean;

  @ApiPropertyOptional({ description: 'Text searched for in prompts and titles.' })
  @IsOptional()
  @Trim()
  @IsString({ message: 'q must be text.' })
  @MaxLength(200, { message: 'q must be at most 200 characters.' })
  q?: string;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString({ message: 'cursor must be text.' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: VIDEO_PAGE_SIZE_MAX, default: VIDEO_PAGE_SIZE_DEFAULT })
  @IsOptional()
  @toInteger
  @IsInt({ message: `limit must be a whole number from 1 to ${VIDEO_PAGE_SIZE_MAX}.` })
  @Min(1, { message: `limit must be a whole number from 1 to ${VIDEO_PAGE_SIZE_MAX}.` })
  @Max(VIDEO_PAGE_SIZE_MAX, { message: `limit must be a whole number from 1 to ${VIDEO_PAGE_SIZE_MAX}.` })
  limit?: number;
}

export class ContentQuery {
  @ApiPropertyOptional({ enum: ['1'], description: '`1` to download (Content-Disposition: attachment).' })
  @IsOptional()
  @IsString()
  download?: string;
}

export class VideoResponseView implements VideoResponse {
  @ApiProperty({ type: VideoView }) video!: VideoView;
}

export class VideoListView implements VideoListResponse {
  @ApiProperty({ type: [VideoView] }) items!: VideoView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class VideoAndJobView {
  @ApiProperty({ type: VideoView }) video!: VideoView;
  @ApiProperty({ type: JobView }) job!: JobView;
}

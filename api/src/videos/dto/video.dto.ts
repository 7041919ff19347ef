import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
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
import {
  IsBoolean,
  IsDefined,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsOptionalButNotNull } from '../../common/http/optional.decorator';
import {
  MULTI_LINE_TEXT_RULES,
  MultiLineText,
  SINGLE_LINE_TEXT_RULES,
  SingleLineText,
} from '../../common/http/text.decorators';
import { Trim } from '../../common/http/trim.decorator';
import { JobView } from '../../jobs/job.presenter';
import { VideoView } from '../video.presenter';

const ORIENTATION_RULE = 'orientation must be "portrait" or "landscape".';
const LIMIT_RULE = `limit must be a whole number from 1 to ${VIDEO_PAGE_SIZE_MAX}.`;
const DURATION_RULE = `durationSeconds must be a whole number from ${MIN_DURATION_SECONDS} to ${MAX_DURATION_SECONDS}.`;

export class CreateVideoDto implements CreateVideoRequest {
  @ApiProperty({
    minLength: 1,
    example: 'A paper boat drifting down a rainy street',
    description: `1 to ${PROMPT_MAX_LENGTH} characters once trimmed and composed. ${MULTI_LINE_TEXT_RULES}`,
  })
  @Length(1, PROMPT_MAX_LENGTH, {
    message: `prompt must be 1 to ${PROMPT_MAX_LENGTH} characters (spaces at the ends do not count).`,
  })
  @MultiLineText()
  @IsString({ message: 'prompt must be text.' })
  @IsDefined({ message: 'prompt is required.' })
  prompt!: string;

  @ApiPropertyOptional({
    enum: Orientation,
    enumName: 'Orientation',
    default: Orientation.Portrait,
  })
  @IsOptional()
  @IsEnum(Orientation, { message: ORIENTATION_RULE })
  orientation?: Orientation;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: MIN_DURATION_SECONDS,
    maximum: MAX_DURATION_SECONDS,
    description: `Seconds; one of the provider's \`durationOptions\` (GET /api/providers). Default: the first of them (${DEFAULT_DURATION_SECONDS} for the local preview).`,
  })
  @IsOptional()
  @Max(MAX_DURATION_SECONDS, { message: DURATION_RULE })
  @Min(MIN_DURATION_SECONDS, { message: DURATION_RULE })
  @IsInt({ message: DURATION_RULE })
  durationSeconds?: number;
}

export class UpdateVideoDto implements UpdateVideoRequest {
  @ApiPropertyOptional({
    minLength: 1,
    description: `1 to ${TITLE_MAX_LENGTH} characters once trimmed and composed. ${SINGLE_LINE_TEXT_RULES}`,
  })
  @IsOptionalButNotNull()
  @Length(1, TITLE_MAX_LENGTH, { message: `title must be 1 to ${TITLE_MAX_LENGTH} characters.` })
  @SingleLineText()
  @IsString({ message: 'title must be text.' })
  title?: string;

  @ApiPropertyOptional()
  @IsOptionalButNotNull()
  @IsBoolean({ message: 'favorite must be true or false.' })
  favorite?: boolean;
}

// How OpenAPI says a list is sent comma-separated (`status=queued,running`); ApiProperty's options
// do not name these parameter fields, which Swagger passes on as they are.
const COMMA_SEPARATED: ApiPropertyOptions = { style: 'form', explode: false } as ApiPropertyOptions;

const toBoolean = Transform(({ value }) =>
  value === 'true' ? true : value === 'false' ? false : value,
);
const toList = Transform(({ value }) =>
  typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value,
);
const toInteger = Transform(({ value }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
);

export class ListVideosQuery implements VideoListQuery {
  @ApiPropertyOptional({
    description: `One status or several, comma-separated: ${Object.values(VideoStatus).join(', ')}. Spaces around each are ignored.`,
    type: String,
    isArray: true,
    pattern: `^\\s*(${Object.values(VideoStatus).join('|')})\\s*$`,
    ...COMMA_SEPARATED,
    example: ['queued', 'running'],
  })
  @IsOptional()
  @toList
  @IsEnum(VideoStatus, {
    each: true,
    message: `status must be one or more of ${Object.values(VideoStatus).join(', ')}, comma-separated.`,
  })
  status?: VideoStatus[];

  @ApiPropertyOptional({ enum: Orientation, enumName: 'Orientation' })
  @IsOptional()
  @IsEnum(Orientation, { message: ORIENTATION_RULE })
  orientation?: Orientation;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @toBoolean
  @IsBoolean({ message: 'favorite must be true or false.' })
  favorite?: boolean;

  @ApiPropertyOptional({
    description: 'Text searched for in prompts and titles: at most 200 characters once trimmed.',
  })
  @IsOptional()
  @Trim()
  @MaxLength(200, { message: 'q must be at most 200 characters.' })
  @IsString({ message: 'q must be text.' })
  q?: string;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString({ message: 'cursor must be text.' })
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: VIDEO_PAGE_SIZE_MAX,
    default: VIDEO_PAGE_SIZE_DEFAULT,
  })
  @IsOptional()
  @toInteger
  @Max(VIDEO_PAGE_SIZE_MAX, { message: LIMIT_RULE })
  @Min(1, { message: LIMIT_RULE })
  @IsInt({ message: LIMIT_RULE })
  limit?: number;
}

/** The first two ask for a download; the others, as before this was checked, for none. */
const DOWNLOAD_VALUES = ['1', 'true', '0', 'false'];

export class ContentQuery {
  @ApiPropertyOptional({
    enum: DOWNLOAD_VALUES,
    description:
      '`1` (or `true`) to download (Content-Disposition: attachment); `0` or `false` to play.',
  })
  @IsOptional()
  @IsIn(DOWNLOAD_VALUES, {
    message: 'download must be 1 or true to download the file, 0 or false to play it.',
  })
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

import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { PROMPT_MAX_LENGTH, VIDEO_PAGE_SIZE_MAX } from '@vidgen/contracts';
import { Transform } from 'class-transformer';
import {
  Equals,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MULTI_LINE_TEXT_RULES, MultiLineText } from '../../common/http/text.decorators';
import {
  OPENAI_SECONDS,
  OPENAI_SIZES,
  OpenAiSeconds,
  OpenAiSize,
  OpenAiVideo,
} from '../openai-video';

/** OpenAI's defaults for a create without them. */
export const DEFAULT_OPENAI_SECONDS: OpenAiSeconds = '4';
export const DEFAULT_OPENAI_SIZE: OpenAiSize = OPENAI_SIZES.portrait;
export const OPENAI_PAGE_SIZE_DEFAULT = 20;

export const VARIANTS = ['video', 'thumbnail', 'spritesheet'] as const;
export type OpenAiVariant = (typeof VARIANTS)[number];

const SECONDS_RULE = `seconds must be '4', '8' or '12', as a string.`;
const SIZE_RULE = `size must be '720x1280' (portrait) or '1280x720' (landscape); 1024x1792 and 1792x1024 are not offered.`;
const INPUT_REFERENCE_RULE =
  'input_reference is not supported: this platform makes videos from a text prompt only (no image-to-video). Send the request without it.';
const LIMIT_RULE = `limit must be a whole number from 1 to ${VIDEO_PAGE_SIZE_MAX}.`;
const MODEL_MAX_LENGTH = 64;

/** `POST /v1/videos`, as JSON or as a multipart form (the `openai` package sends a form). */
export class CreateOpenAiVideoDto {
  @ApiProperty({
    minLength: 1,
    example: 'A paper boat drifting down a rainy street',
    description: `1 to ${PROMPT_MAX_LENGTH} characters once trimmed. ${MULTI_LINE_TEXT_RULES}`,
  })
  @Length(1, PROMPT_MAX_LENGTH, {
    message: `prompt must be 1 to ${PROMPT_MAX_LENGTH} characters (spaces at the ends do not count).`,
  })
  @MultiLineText()
  @IsString({ message: 'prompt must be text.' })
  @IsDefined({ message: 'prompt is required.' })
  prompt!: string;

  @ApiPropertyOptional({
    example: 'sora-2',
    description:
      "One of GET /v1/models: the platform's generator by its name, or `sora-2`, which means the same generator. Default: `sora-2`.",
  })
  @IsOptional()
  @MaxLength(MODEL_MAX_LENGTH, { message: 'model must name one of GET /v1/models.' })
  @IsString({ message: 'model must be text.' })
  model?: string;

  @ApiPropertyOptional({
    enum: OPENAI_SECONDS,
    default: DEFAULT_OPENAI_SECONDS,
    description:
      "The clip's length. A provider without this length makes the nearest one it offers (GET /api/providers), the longer one when two are as near.",
  })
  @IsOptional()
  @IsIn(OPENAI_SECONDS, { message: SECONDS_RULE })
  seconds?: OpenAiSeconds;

  @ApiPropertyOptional({
    enum: Object.values(OPENAI_SIZES),
    default: DEFAULT_OPENAI_SIZE,
    description: '`720x1280` for portrait, `1280x720` for landscape.',
  })
  @IsOptional()
  @IsIn(Object.values(OPENAI_SIZES), { message: SIZE_RULE })
  size?: OpenAiSize;

  @ApiPropertyOptional({
    type: 'string',
    format: 'binary',
    description: `Refused with 400: ${INPUT_REFERENCE_RULE}`,
  })
  @IsOptional()
  @Equals(undefined, { message: INPUT_REFERENCE_RULE })
  input_reference?: unknown;
}

/** `POST /v1/videos/{id}/remix`: the new prompt; the rest comes from the source video. */
export class RemixOpenAiVideoDto extends PickType(CreateOpenAiVideoDto, ['prompt'] as const) {}

const toInteger = Transform(({ value }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
);

export class ListOpenAiVideosQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The `last_id` of the previous page: the videos after that one.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'after must be a video id: the last_id of a previous page.' })
  after?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: VIDEO_PAGE_SIZE_MAX,
    default: OPENAI_PAGE_SIZE_DEFAULT,
  })
  @IsOptional()
  @Max(VIDEO_PAGE_SIZE_MAX, { message: LIMIT_RULE })
  @Min(1, { message: LIMIT_RULE })
  @IsInt({ message: LIMIT_RULE })
  @toInteger
  limit?: number;

  @ApiPropertyOptional({
    enum: ['asc', 'desc'],
    default: 'desc',
    description: 'By creation time: `desc` is newest first.',
  })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'order must be asc or desc.' })
  order?: 'asc' | 'desc';
}

export class OpenAiContentQuery {
  @ApiPropertyOptional({
    enum: VARIANTS,
    default: 'video',
    description:
      '`video` (MP4) or `thumbnail` (JPEG). `spritesheet` is refused with 400: the platform makes none.',
  })
  @IsOptional()
  @IsIn(VARIANTS, { message: 'variant must be video or thumbnail.' })
  variant?: OpenAiVariant;
}

/** OpenAI's list envelope (`ConversationCursorPage` in the `openai` package). */
export class OpenAiVideoList {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [OpenAiVideo] }) data!: OpenAiVideo[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) first_id!: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Send it as `after` for the next page.',
  })
  last_id!: string | null;
  @ApiProperty() has_more!: boolean;
}

/** OpenAI's answer to a delete. */
export class OpenAiVideoDeleted {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['video.deleted'] }) object!: 'video.deleted';
  @ApiProperty() deleted!: boolean;
}

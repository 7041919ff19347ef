import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CreatedWebhookResponse,
  CreateWebhookRequest,
  UpdateWebhookRequest,
  WEBHOOK_DELIVERY_PAGE_SIZE_DEFAULT,
  WEBHOOK_DELIVERY_PAGE_SIZE_MAX,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_SECRET_PREFIX,
  WEBHOOK_URL_MAX_LENGTH,
  WebhookDeliveryListQuery,
  WebhookDeliveryListResponse,
  WebhookEventType,
  WebhookListResponse,
  WebhookTestResponse,
} from '@vidgen/contracts';
import { Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsOptionalButNotNull } from '../../common/http/optional.decorator';
import { WebhookDeliveryView, WebhookView } from '../webhook.presenter';

const URL_RULES =
  `An http or https URL of at most ${WEBHOOK_URL_MAX_LENGTH} characters, without a user name or password, ` +
  'whose host resolves to public addresses only (unless the server sets WEBHOOK_ALLOW_PRIVATE_TARGETS).';
const URL_LENGTH_RULE = `url must be at most ${WEBHOOK_URL_MAX_LENGTH} characters.`;
const EVENTS_RULE = `events must be a non-empty list of ${WEBHOOK_EVENT_TYPES.join(', ')}.`;
const LIMIT_RULE = `limit must be a whole number from 1 to ${WEBHOOK_DELIVERY_PAGE_SIZE_MAX}.`;

const eventsProperty = {
  enum: WEBHOOK_EVENT_TYPES,
  isArray: true,
  minItems: 1,
  example: ['video.completed', 'video.failed'],
  description: 'The events to send: one or both. A job that is cancelled sends none.',
};

export class CreateWebhookDto implements CreateWebhookRequest {
  @ApiProperty({ example: 'https://example.com/webhooks/vidgen', description: URL_RULES })
  @MaxLength(WEBHOOK_URL_MAX_LENGTH, { message: URL_LENGTH_RULE })
  @IsString({ message: 'url must be text.' })
  @IsDefined({ message: 'url is required.' })
  url!: string;

  @ApiProperty(eventsProperty)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENTS_RULE })
  @ArrayNotEmpty({ message: EVENTS_RULE })
  @IsArray({ message: EVENTS_RULE })
  @IsDefined({ message: 'events is required.' })
  events!: WebhookEventType[];
}

export class UpdateWebhookDto implements UpdateWebhookRequest {
  @ApiPropertyOptional({ example: 'https://example.com/webhooks/vidgen', description: URL_RULES })
  @IsOptionalButNotNull()
  @MaxLength(WEBHOOK_URL_MAX_LENGTH, { message: URL_LENGTH_RULE })
  @IsString({ message: 'url must be text.' })
  url?: string;

  @ApiPropertyOptional(eventsProperty)
  @IsOptionalButNotNull()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENTS_RULE })
  @ArrayNotEmpty({ message: EVENTS_RULE })
  @IsArray({ message: EVENTS_RULE })
  events?: WebhookEventType[];

  @ApiPropertyOptional({
    description:
      '`true` turns the endpoint on again (and clears `disabledReason`); `false` turns it off.',
  })
  @IsOptionalButNotNull()
  @IsBoolean({ message: 'enabled must be true or false.' })
  enabled?: boolean;
}

const toInteger = Transform(({ value }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
);

export class ListWebhookDeliveriesQuery implements WebhookDeliveryListQuery {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString({ message: 'cursor must be text.' })
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: WEBHOOK_DELIVERY_PAGE_SIZE_MAX,
    default: WEBHOOK_DELIVERY_PAGE_SIZE_DEFAULT,
  })
  @IsOptional()
  @toInteger
  @Max(WEBHOOK_DELIVERY_PAGE_SIZE_MAX, { message: LIMIT_RULE })
  @Min(1, { message: LIMIT_RULE })
  @IsInt({ message: LIMIT_RULE })
  limit?: number;
}

export class CreatedWebhookView implements CreatedWebhookResponse {
  @ApiProperty({ type: WebhookView }) webhook!: WebhookView;

  @ApiProperty({
    example: `${WEBHOOK_SECRET_PREFIX}MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3MNQYzOyUyQ=`,
    description:
      'The signing secret, shown this once. Each delivery carries `webhook-signature: v1,<base64 HMAC-SHA256>` ' +
      'over `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the base64-decoded part after `whsec_` (Standard Webhooks).',
  })
  secret!: string;
}

export class WebhookListView implements WebhookListResponse {
  @ApiProperty({ type: [WebhookView], description: 'Newest first.' }) items!: WebhookView[];
}

export class WebhookDeliveryListView implements WebhookDeliveryListResponse {
  @ApiProperty({ type: [WebhookDeliveryView], description: 'Newest first.' })
  items!: WebhookDeliveryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class WebhookTestView implements WebhookTestResponse {
  @ApiProperty({
    type: WebhookDeliveryView,
    description: 'The test delivery after its first try; it is retried like any other.',
  })
  delivery!: WebhookDeliveryView;
}

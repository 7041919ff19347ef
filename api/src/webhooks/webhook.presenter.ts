import { ApiProperty } from '@nestjs/swagger';
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_TEST_EVENT_TYPE,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryStatus,
  WebhookEventType,
} from '@vidgen/contracts';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEntity } from './webhook.entity';

const DELIVERY_STATUSES: WebhookDeliveryStatus[] = ['pending', 'succeeded', 'failed'];

/** An endpoint as the API shows it: never its secret. */
export class WebhookView implements Webhook {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'https://example.com/webhooks/vidgen' }) url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['video.completed'] })
  events!: WebhookEventType[];
  @ApiProperty({ description: 'Off: no events are made for it, and pending deliveries wait.' })
  enabled!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Why the platform disabled it (its deliveries failed for 5 days); null while enabled or when turned off by hand.',
  })
  disabledReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(webhook: WebhookEntity): WebhookView {
    return {
      id: webhook.id,
      url: webhook.url,
      events: webhook.events,
      enabled: webhook.enabled,
      disabledReason: webhook.disabledReason,
      createdAt: webhook.createdAt.toISOString(),
      updatedAt: webhook.updatedAt.toISOString(),
    };
  }
}

export class WebhookDeliveryAttemptView implements WebhookDeliveryAttempt {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) attempt!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 200,
    description: "The receiver's HTTP status; null when there was no answer.",
  })
  statusCode!: number | null;
  @ApiProperty({ type: 'integer', minimum: 0, example: 84 }) durationMs!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'The endpoint answered HTTP 500.',
    description: 'What went wrong, in words; null for a 2xx.',
  })
  error!: string | null;
}

/** One event for one endpoint and its tries; `id` is the `webhook-id` header of each try. */
export class WebhookDeliveryView implements WebhookDelivery {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) webhookId!: string;
  @ApiProperty({ enum: [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE] })
  eventType!: WebhookEventType | typeof WEBHOOK_TEST_EVENT_TYPE;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    description:
      '`pending` while tries remain, `succeeded` after a 2xx, `failed` once the tries are over.',
  })
  status!: WebhookDeliveryStatus;
  @ApiProperty({ type: [WebhookDeliveryAttemptView], description: 'Oldest first.' })
  attempts!: WebhookDeliveryAttemptView[];
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the next try is due; null once the delivery is over.',
  })
  nextAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(delivery: WebhookDeliveryEntity): WebhookDeliveryView {
    return {
      id: delivery.id,
      webhookId: delivery.webhookId,
      eventType: delivery.eventType,
      status: delivery.status,
      attempts: delivery.attempts,
      nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
      createdAt: delivery.createdAt.toISOString(),
    };
  }
}

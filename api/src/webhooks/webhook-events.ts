import {
  WEBHOOK_TEST_EVENT_TYPE,
  WebhookDeliveryStatus,
  WebhookEvent,
  WebhookEventType,
} from '@vidgen/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import { JobView } from '../jobs/job.presenter';
import { VideoJobEntity } from '../jobs/video-job.entity';
import { OpenAiVideo, presentOpenAiVideo } from '../openai-compat/openai-video';
import { VideoEntity } from '../videos/video.entity';
import { VideoView } from '../videos/video.presenter';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEntity } from './webhook.entity';

/** What `webhook.test` carries: the endpoint it was sent to. */
export interface WebhookTestData {
  id: string;
  object: 'webhook';
  url: string;
}

/**
 * The event of a video whose job ended, in OpenAI's shape: the video object as `GET /v1/videos/{id}`
 * shows it at that moment.
 */
export function videoEvent(
  type: WebhookEventType,
  video: VideoEntity,
  job: VideoJobEntity,
  at: Date,
): WebhookEvent<OpenAiVideo> {
  const data = presentOpenAiVideo(
    { ...VideoView.from(video), remixedFromVideoId: video.remixedFromVideoId },
    JobView.from(job),
  );
  return eventOf(type, data, at);
}

export function testEvent(webhook: WebhookEntity, at: Date): WebhookEvent<WebhookTestData> {
  return eventOf(
    WEBHOOK_TEST_EVENT_TYPE,
    { id: webhook.id, object: 'webhook', url: webhook.url },
    at,
  );
}

function eventOf<T>(type: WebhookEvent['type'], data: T, at: Date): WebhookEvent<T> {
  return {
    id: `evt_${randomBytes(16).toString('hex')}`,
    object: 'event',
    created_at: Math.floor(at.getTime() / 1000),
    type,
    data,
  };
}

/** A new delivery of `event` to one endpoint, due at once, its body the event's JSON. */
export function newDelivery(
  webhookId: string,
  event: WebhookEvent,
  body: string,
  now: Date,
): WebhookDeliveryEntity {
  return {
    id: randomUUID(),
    webhookId,
    eventId: event.id,
    eventType: event.type,
    body,
    status: 'pending' satisfies WebhookDeliveryStatus,
    attempts: [],
    nextAttemptAt: now,
    lockedUntil: null,
    claimToken: null,
    createdAt: now,
  };
}

/** The events a webhook can ask for: the names OpenAI's Videos API used. */
export const WEBHOOK_EVENT_TYPES = ['video.completed', 'video.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The type of the event sent by `POST /api/webhooks/:id/test`. */
export const WEBHOOK_TEST_EVENT_TYPE = 'webhook.test';

/** Every signing secret starts with this (Standard Webhooks). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** The most endpoints one account may hold. */
export const WEBHOOKS_PER_USER_MAX = 10;

/** The longest endpoint URL. */
export const WEBHOOK_URL_MAX_LENGTH = 2048;

export const WEBHOOK_DELIVERY_PAGE_SIZE_DEFAULT = 20;
export const WEBHOOK_DELIVERY_PAGE_SIZE_MAX = 100;

/** An endpoint as listed: never its secret, which is shown once, at creation. */
export interface Webhook {
  id: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  /** Why the platform disabled it (it kept failing); `null` while enabled or turned off by hand. */
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CreateWebhookRequest {
  url: string;
  events: WebhookEventType[];
}

/** The answer to a creation: the one time the signing secret is ever shown. */
export interface CreatedWebhookResponse {
  webhook: Webhook;
  secret: string;
}

/** Any subset; `enabled: true` also clears `disabledReason`. */
export interface UpdateWebhookRequest {
  url?: string;
  events?: WebhookEventType[];
  enabled?: boolean;
}

export interface WebhookListResponse {
  items: Webhook[];
}

/** `pending` while tries remain, `succeeded` after a 2xx, `failed` once the platform gave up. */
export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One try of a delivery. */
export interface WebhookDeliveryAttempt {
  attempt: number;
  at: string;
  /** The receiver's HTTP status; `null` when there was no answer (timeout, refused, DNS). */
  statusCode: number | null;
  durationMs: number;
  /** What went wrong, in words; `null` for a 2xx. */
  error: string | null;
}

/** One event sent to one endpoint, with its tries. Its id is the `webhook-id` header. */
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventType: WebhookEventType | typeof WEBHOOK_TEST_EVENT_TYPE;
  status: WebhookDeliveryStatus;
  attempts: WebhookDeliveryAttempt[];
  /** When the next try is due; `null` once the delivery is over. */
  nextAttemptAt: string | null;
  createdAt: string;
}

export interface WebhookDeliveryListQuery {
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  limit?: number;
}

export interface WebhookDeliveryListResponse {
  items: WebhookDelivery[];
  nextCursor: string | null;
}

export interface WebhookTestResponse {
  delivery: WebhookDelivery;
}

/**
 * The body of every delivery (the `webhook-id` header names the delivery, `id` the event: one
 * event sent to two endpoints keeps its `id`). For the video events `data` is the video object of
 * the OpenAI-compatible API (`GET /v1/videos/{id}`).
 */
export interface WebhookEvent<T = unknown> {
  /** `evt_` and 32 hex digits. */
  id: string;
  object: 'event';
  /** Unix time, in seconds. */
  created_at: number;
  type: WebhookEventType | typeof WEBHOOK_TEST_EVENT_TYPE;
  data: T;
}

import { Webhook, WebhookDelivery, WebhookDeliveryAttempt } from '@vidgen/contracts';

export const WEBHOOK_ID = '8f14e45f-ceea-467a-9af0-5c6d8e1b2a37';

/** An enabled endpoint that asks for both events. */
export function aWebhook(overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: WEBHOOK_ID,
    url: 'https://hooks.example.com/vidgen',
    events: ['video.completed', 'video.failed'],
    enabled: true,
    disabledReason: null,
    createdAt: '2026-03-14T09:26:53.000Z',
    updatedAt: '2026-03-14T09:26:53.000Z',
    ...overrides,
  };
}

/** A try the receiver answered with 200 after 42 ms. */
export function anAttempt(overrides: Partial<WebhookDeliveryAttempt> = {}): WebhookDeliveryAttempt {
  return {
    attempt: 1,
    at: '2026-03-20T17:02:11.000Z',
    statusCode: 200,
    durationMs: 42,
    error: null,
    ...overrides,
  };
}

/** A `video.completed` delivered at the first try. */
export function aDelivery(overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id: 'msg_2Lx9kQ7bP1',
    webhookId: WEBHOOK_ID,
    eventType: 'video.completed',
    status: 'succeeded',
    attempts: [anAttempt()],
    nextAttemptAt: null,
    createdAt: '2026-03-20T17:02:11.000Z',
    ...overrides,
  };
}

/** What a creation answers: the one time the signing secret is shown. */
export const A_WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqXzw2ecZ4bPvQy3mTzW7XH';

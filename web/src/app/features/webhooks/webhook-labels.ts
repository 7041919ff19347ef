import {
  Webhook,
  WebhookDeliveryAttempt,
  WebhookDeliveryStatus,
  WebhookEventType,
} from '@vidgen/contracts';

/** What each event means, beside its name (which is what receivers see in `type`). */
export const EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  'video.completed': 'A video is ready to download.',
  'video.failed': 'A video could not be made.',
};

const DELIVERY_STATUS_LABELS: Record<WebhookDeliveryStatus, string> = {
  pending: 'Pending',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

export function deliveryStatusLabel(status: WebhookDeliveryStatus): string {
  return DELIVERY_STATUS_LABELS[status] ?? status;
}

/** "HTTP 200", or "No answer" when the receiver never answered (timeout, refused, DNS). */
export function attemptOutcome(attempt: WebhookDeliveryAttempt): string {
  return attempt.statusCode === null ? 'No answer' : `HTTP ${attempt.statusCode}`;
}

export type WebhookState = 'enabled' | 'off' | 'disabled-by-platform';

/** Turned off by hand, or by the platform after failing for days (which says why). */
export function webhookState(webhook: Webhook): WebhookState {
  if (webhook.enabled) return 'enabled';
  return webhook.disabledReason ? 'disabled-by-platform' : 'off';
}

export const WEBHOOK_STATE_LABELS: Record<WebhookState, string> = {
  enabled: 'Enabled',
  off: 'Turned off',
  'disabled-by-platform': 'Disabled by the platform',
};

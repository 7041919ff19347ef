import { WEBHOOK_SECRET_PREFIX } from '@vidgen/contracts';
import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks asks for 24 to 64 bytes of key. */
const KEY_BYTES = 32;

/** A new endpoint's signing secret: `whsec_` and 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(KEY_BYTES).toString('base64');
}

/**
 * The `webhook-signature` header of a delivery, as Standard Webhooks defines it: `v1,` and the
 * base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the bytes the
 * secret's base64 (after `whsec_`) stands for.
 */
export function signatureOf(
  secret: string,
  deliveryId: string,
  timestampSeconds: number,
  body: string,
): string {
  const key = Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
  const mac = createHmac('sha256', key).update(`${deliveryId}.${timestampSeconds}.${body}`);
  return `v1,${mac.digest('base64')}`;
}

import { Injectable, Logger } from '@nestjs/common';
import { WebhookDeliveryAttempt } from '@vidgen/contracts';
import { performance } from 'node:perf_hooks';
import { AppConfig } from '../config/app-config';
import {
  IdleTimeoutError,
  openRequest,
  readSome,
  TransportError,
} from '../providers/upstream/http-transport';
import { seconds } from '../providers/upstream/upstream-errors';
import { disabledReason, failedTooLong, nextTryAt } from './delivery-schedule';
import { DeliveryClaim, WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { signatureOf } from './webhook-signature';
import { targetAddress, TargetRefusedError } from './webhook-target';
import { WebhookEntity } from './webhook.entity';
import { WebhooksRepository } from './webhooks.repository';

const USER_AGENT = 'VidGen-Webhooks/1.0';
/** Enough of an error answer to show its owner what their endpoint said. */
const ANSWER_SHOWN_CHARS = 200;

/** Beyond a try's timeout, for looking the host up and recording the try. */
const CLAIM_MARGIN_MS = 20_000;

type Try = Omit<WebhookDeliveryAttempt, 'attempt' | 'at'>;

/**
 * Until when a delivery claimed at `now` is held: a try is over well before. A claim whose
 * worker died runs out then, and another worker takes the delivery.
 */
export function claimedUntil(now: Date, timeoutMs: number): Date {
  return new Date(now.getTime() + timeoutMs + CLAIM_MARGIN_MS);
}

class DeliveryTimeout extends Error {}

/**
 * Makes one try of a claimed delivery and records it: a POST of the stored body, signed, to the
 * address the policy allows, without following redirects; a 2xx within the timeout succeeds, and
 * anything else is retried on the schedule until the tries are over.
 */
@Injectable()
export class WebhookSender {
  private readonly logger = new Logger(WebhookSender.name);

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * Tries the delivery once and records the try. Stopped by `stop` (a shutdown), it records
   * nothing and lets the claim go, so the try is made again soon, here or on another worker.
   */
  async deliver(claim: DeliveryClaim, stop?: AbortSignal): Promise<void> {
    const delivery = await this.deliveries.findClaimed(claim);
    // Gone with its endpoint, or the claim ran out and another worker took it.
    if (!delivery) return;
    const webhook = await this.webhooks.findById(delivery.webhookId);
    if (!webhook) return;
    if (!webhook.enabled) return this.deliveries.release(claim);
    const at = new Date();
    const tried = await this.post(webhook, delivery, stop);
    if (tried === 'stopped') return this.deliveries.release(claim);
    await this.record(claim, webhook, delivery, {
      attempt: delivery.attempts.length + 1,
      at: at.toISOString(),
      ...tried,
    });
  }

  private async post(
    webhook: WebhookEntity,
    delivery: WebhookDeliveryEntity,
    stop?: AbortSignal,
  ): Promise<Try | 'stopped'> {
    const { timeoutMs, allowPrivateTargets } = this.config.webhooks;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeliveryTimeout()), timeoutMs);
    const signal = stop ? AbortSignal.any([deadline.signal, stop]) : deadline.signal;
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    const url = new URL(webhook.url);
    try {
      const pinned = await targetAddress(url, { allowPrivate: allowPrivateTargets, signal });
      const body = Buffer.from(delivery.body);
      const response = await openRequest({
        url,
        method: 'POST',
        headers: signedHeaders(webhook, delivery, body.length),
        body,
        pinned,
        connectTimeoutMs: timeoutMs,
        idleTimeoutMs: timeoutMs,
        signal,
      });
      const durationMs = took();
      if (response.status >= 200 && response.status < 300) {
        response.discard();
        return { statusCode: response.status, durationMs, error: null };
      }
      const answer = await readSome(response, 4 * ANSWER_SHOWN_CHARS);
      const error = refusal(response.status, response.headers.location, answer.toString('utf8'));
      return { statusCode: response.status, durationMs, error };
    } catch (error) {
      if (stop?.aborted && !deadline.signal.aborted) return 'stopped';
      return { statusCode: null, durationMs: took(), error: failure(error, url, timeoutMs) };
    } finally {
      clearTimeout(timer);
    }
  }

  private async record(
    claim: DeliveryClaim,
    webhook: WebhookEntity,
    delivery: WebhookDeliveryEntity,
    attempt: WebhookDeliveryAttempt,
  ): Promise<void> {
    const attempts = [...delivery.attempts, attempt];
    const now = new Date();
    if (attempt.error === null) {
      const recorded = await this.deliveries.finish(claim, {
        status: 'succeeded',
        attempts,
        nextAttemptAt: null,
      });
      if (recorded && webhook.failingSince) await this.webhooks.markSucceeding(webhook.id);
      return;
    }
    const next = nextTryAt(attempts.length, now, this.config.webhooks.retryDelaysMs);
    const recorded = await this.deliveries.finish(claim, {
      status: next ? 'pending' : 'failed',
      attempts,
      nextAttemptAt: next,
    });
    if (!recorded) return;
    const failingSince = webhook.failingSince ?? new Date(attempt.at);
    if (!webhook.failingSince) await this.webhooks.markFailing(webhook.id, failingSince);
    if (!failedTooLong(failingSince, now)) return;
    const reason = disabledReason(failingSince, now, attempt.error);
    if (await this.webhooks.disable(webhook.id, failingSince, reason, now)) {
      this.logger.warn({
        msg: 'Disabled a webhook that kept failing',
        webhookId: webhook.id,
        reason,
      });
    }
  }
}

/** The Standard Webhooks headers of one try: its own timestamp, signed with the body. */
function signedHeaders(
  webhook: WebhookEntity,
  delivery: WebhookDeliveryEntity,
  length: number,
): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'content-length': String(length),
    'user-agent': USER_AGENT,
    'webhook-id': delivery.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureOf(webhook.secret, delivery.id, timestamp, delivery.body),
  };
}

/** An answer other than a 2xx, in words; a redirect says where it pointed. */
function refusal(status: number, location: string | undefined, answer: string): string {
  if (status >= 300 && status < 400) {
    const where = location ? ` to ${shown(location)}` : '';
    return `The endpoint answered HTTP ${status}, a redirect${where}; redirects are not followed.`;
  }
  const said = shown(answer);
  return `The endpoint answered HTTP ${status}${said ? `: ${said}` : ''}.`;
}

function failure(error: unknown, url: URL, timeoutMs: number): string {
  if (error instanceof DeliveryTimeout || error instanceof IdleTimeoutError) {
    return `No answer within ${seconds(timeoutMs)}.`;
  }
  if (error instanceof TargetRefusedError) return `Not sent: ${error.message}`;
  if (error instanceof TransportError) {
    return error.stage === 'connect'
      ? `Could not connect to ${url.host} (${error.code}).`
      : `The connection to ${url.host} broke off before an answer (${error.code}).`;
  }
  return `Not sent: the request could not be made (${error instanceof Error ? error.name : 'error'}).`;
}

/** Text from a receiver on one line, without control characters, and short. */
function shown(text: string): string {
  const characters = Array.from(text.replace(/[\p{Cc}\p{Cf}\s]+/gu, ' ').trim());
  const cut = characters.slice(0, ANSWER_SHOWN_CHARS).join('');
  return characters.length > ANSWER_SHOWN_CHARS ? `${cut}…` : cut;
}

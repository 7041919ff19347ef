import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CreateWebhookRequest,
  ErrorCode,
  UpdateWebhookRequest,
  WEBHOOK_DELIVERY_PAGE_SIZE_DEFAULT,
  WEBHOOK_EVENT_TYPES,
  WEBHOOKS_PER_USER_MAX,
  WebhookDeliveryListQuery,
  WebhookEventType,
} from '@vidgen/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  DomainError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config';
import { seconds } from '../providers/upstream/upstream-errors';
import { decodeCursor, encodeCursor } from '../videos/video-cursor';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { newDelivery, testEvent } from './webhook-events';
import { claimedUntil, WebhookSender } from './webhook-sender';
import { generateWebhookSecret } from './webhook-signature';
import { targetAddress, TargetRefusedError, webhookUrlProblem } from './webhook-target';
import { WebhookEntity } from './webhook.entity';
import { WebhookDeliveryView, WebhookView } from './webhook.presenter';
import { WebhookChanges, WebhooksRepository } from './webhooks.repository';
import { CreatedWebhookView, WebhookDeliveryListView, WebhookTestView } from './dto/webhook.dto';

const NOT_FOUND = 'There is no webhook with this id.';

export class TooManyWebhooksError extends DomainError {
  readonly status = 409;
  readonly code = ErrorCode.InvalidState;

  constructor(limit: number) {
    super(
      `You already have ${limit} webhooks, the most an account may hold. ` +
        'Delete one you no longer use, then try again.',
    );
  }
}

/** A user's endpoints: their rules, their log, and the test event sent at their request. */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly sender: WebhookSender,
    private readonly config: AppConfig,
  ) {}

  /** A new endpoint; its signing secret is in this answer and never again. */
  async create(
    userId: string,
    { url, events }: CreateWebhookRequest,
    now = new Date(),
  ): Promise<CreatedWebhookView> {
    await this.checkUrl(url);
    const secret = generateWebhookSecret();
    const webhook: WebhookEntity = {
      id: randomUUID(),
      userId,
      url,
      events: distinct(events),
      secret,
      enabled: true,
      disabledReason: null,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.dataSource.transaction(async (manager) => {
      await this.webhooks.lockOwner(userId, manager);
      if ((await this.webhooks.countOwned(userId, manager)) >= WEBHOOKS_PER_USER_MAX) {
        throw new TooManyWebhooksError(WEBHOOKS_PER_USER_MAX);
      }
      await this.webhooks.insert(webhook, manager);
    });
    return { webhook: WebhookView.from(webhook), secret };
  }

  async list(userId: string): Promise<WebhookView[]> {
    return (await this.webhooks.listOwned(userId)).map((webhook) => WebhookView.from(webhook));
  }

  /**
   * Changes what is given. Enabling starts afresh: the reason it was disabled and its run of
   * failures are forgotten, so one more failure does not disable it again at once.
   */
  async update(id: string, userId: string, request: UpdateWebhookRequest): Promise<WebhookView> {
    const webhook = await this.getOwned(id, userId);
    if (request.url !== undefined) await this.checkUrl(request.url);
    const changes: WebhookChanges = { updatedAt: new Date() };
    if (request.url !== undefined) changes.url = request.url;
    if (request.events !== undefined) changes.events = distinct(request.events);
    if (request.enabled === true && !webhook.enabled) {
      Object.assign(changes, { enabled: true, disabledReason: null, failingSince: null });
    }
    if (request.enabled === false) Object.assign(changes, { enabled: false, disabledReason: null });
    await this.webhooks.update(id, changes);
    return WebhookView.from({ ...webhook, ...changes });
  }

  /** Deletes the endpoint and its log; deliveries still pending are never sent. */
  async delete(id: string, userId: string): Promise<void> {
    if (!(await this.webhooks.deleteOwned(id, userId))) throw new NotFoundError(NOT_FOUND);
  }

  async listDeliveries(
    id: string,
    userId: string,
    query: WebhookDeliveryListQuery,
  ): Promise<WebhookDeliveryListView> {
    await this.getOwned(id, userId);
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    if (query.cursor && !after) {
      throw ValidationError.field(
        'cursor',
        'cursor is not valid; use the nextCursor of a previous page.',
      );
    }
    const limit = query.limit ?? WEBHOOK_DELIVERY_PAGE_SIZE_DEFAULT;
    const rows = await this.deliveries.listPage(id, after, limit);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((delivery) => WebhookDeliveryView.from(delivery)),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  /**
   * Sends a `webhook.test` event now, from this process, and answers with its first try; a
   * delivery like any other, it is in the log and retried by the workers when that try fails.
   */
  async sendTest(id: string, userId: string): Promise<WebhookTestView> {
    const webhook = await this.getOwned(id, userId);
    if (!webhook.enabled) {
      throw new InvalidStateError('This webhook is disabled; enable it to send a test event.');
    }
    const now = new Date();
    const event = testEvent(webhook, now);
    const delivery = newDelivery(webhook.id, event, JSON.stringify(event), now);
    // Claimed from the start, so that no worker sends it at the same time.
    const claim = { deliveryId: delivery.id, token: randomUUID() };
    delivery.claimToken = claim.token;
    delivery.lockedUntil = claimedUntil(now, this.config.webhooks.timeoutMs);
    await this.deliveries.insert([delivery]);
    await this.sender.deliver(claim);
    const tried = await this.deliveries.findById(delivery.id);
    if (!tried) throw new NotFoundError(NOT_FOUND);
    return { delivery: WebhookDeliveryView.from(tried) };
  }

  private async getOwned(id: string, userId: string): Promise<WebhookEntity> {
    const webhook = await this.webhooks.findOwned(id, userId);
    if (!webhook) throw new NotFoundError(NOT_FOUND);
    return webhook;
  }

  /** The URL's form, and its host's addresses under the policy; each delivery checks them again. */
  private async checkUrl(url: string): Promise<void> {
    const problem = webhookUrlProblem(url);
    if (problem) throw ValidationError.field('url', problem);
    const { allowPrivateTargets, timeoutMs } = this.config.webhooks;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      await targetAddress(new URL(url), { allowPrivate: allowPrivateTargets, signal });
    } catch (error) {
      if (error instanceof TargetRefusedError) {
        throw ValidationError.field('url', `url cannot be used: ${error.message}`);
      }
      if (signal.aborted) {
        throw ValidationError.field(
          'url',
          `url cannot be checked: its host was not found within ${seconds(timeoutMs)}.`,
        );
      }
      throw error;
    }
  }
}

/** The events asked for, each once, in the contract's order. */
function distinct(events: WebhookEventType[]): WebhookEventType[] {
  return WEBHOOK_EVENT_TYPES.filter((type) => events.includes(type));
}

import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { claimedUntil, WebhookSender } from './webhook-sender';

/** Tries one worker process makes at once. */
const CONCURRENCY = 16;

class ShutdownError extends Error {}

/**
 * Sends the deliveries that are due, on worker processes: polls the rows (so deliveries written
 * while no worker ran, or left by one that died, go out at start), claims each with a
 * conditional update so that of several workers one sends it, and at shutdown stops polling,
 * lets the tries under way finish within the grace period and hands the rest back.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly sending = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  private stopping = false;
  private nextPoll?: NodeJS.Timeout;
  private polling?: Promise<void>;

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly sender: WebhookSender,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.poll();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.nextPoll);
    await this.polling;
    const underWay = Promise.all(this.sending);
    let graceOver: NodeJS.Timeout | undefined;
    await Promise.race([
      underWay,
      new Promise(
        (done) => (graceOver = setTimeout(done, this.config.jobShutdownGraceSeconds * 1000)),
      ),
    ]);
    clearTimeout(graceOver);
    this.stop.abort(new ShutdownError());
    await underWay;
  }

  private poll(): void {
    this.polling = this.sendDue()
      .catch((error) =>
        this.logger.warn({ msg: 'Could not look for due webhook deliveries', err: String(error) }),
      )
      .finally(() => {
        if (!this.stopping) {
          this.nextPoll = setTimeout(() => this.poll(), this.config.webhooks.pollIntervalMs);
        }
      });
  }

  private async sendDue(): Promise<void> {
    const room = CONCURRENCY - this.sending.size;
    if (room <= 0) return;
    const now = new Date();
    const lockedUntil = claimedUntil(now, this.config.webhooks.timeoutMs);
    for (const id of await this.deliveries.listDue(now, room)) {
      if (this.stopping) return;
      const claim = await this.deliveries.claim(id, now, lockedUntil, randomUUID());
      if (claim) this.track(this.sender.deliver(claim, this.stop.signal));
    }
  }

  private track(delivering: Promise<void>): void {
    const tracked = delivering
      .catch((error) =>
        this.logger.error({ msg: 'A webhook delivery failed unexpectedly', err: String(error) }),
      )
      .finally(() => this.sending.delete(tracked));
    this.sending.add(tracked);
  }
}

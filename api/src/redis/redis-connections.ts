import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis, RedisOptions } from 'ioredis';
import { AppConfig, RedisConfig } from '../config/app-config';

/** Reconnection never gives up, and never waits longer than this between attempts. */
const MAX_RECONNECT_DELAY_MS = 2000;
/** How long a fail-fast command, a health ping or a goodbye may take. */
export const REDIS_TIMEOUT_MS = 2000;

/**
 * For clients that answer a caller: a command issued while Redis is away fails at once instead
 * of waiting in ioredis's queue for a reconnect that may be minutes away.
 */
export const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  commandTimeout: REDIS_TIMEOUT_MS,
};

/** Redis did not take a command that a caller waits for; `reason` says what ioredis said. */
export class RedisUnavailableError extends Error {
  constructor(
    message: string,
    readonly reason?: unknown,
  ) {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

/** Rejects with a RedisUnavailableError when `promise` has not settled within `ms`. */
export async function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RedisUnavailableError(`${what}: no answer from Redis within ${ms} ms.`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits, within the bound, for `client` to be connected: at start it connects a moment after the
 * first callers come, and a short blip should not refuse work. Beyond the bound the caller fails.
 */
export async function whenReady(client: Redis, what: string): Promise<void> {
  if (client.status === 'ready') return;
  let onReady: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => client.once('ready', (onReady = resolve)));
  try {
    await deadline(ready, REDIS_TIMEOUT_MS, what);
  } finally {
    if (onReady) client.off('ready', onReady);
  }
}

/**
 * Logs the first failure of an outage and the recovery, not each failed attempt in between:
 * while Redis is away, every reconnect attempt and every dropped event would otherwise log.
 */
export class OutageLog {
  private down = false;

  /** `meanwhile` tells what happens until Redis is back, e.g. 'events are dropped'. */
  constructor(
    private readonly logger: Logger,
    private readonly what: string,
    private readonly meanwhile?: string,
  ) {}

  failed(error: unknown): void {
    if (this.down) return;
    this.down = true;
    const meanwhile = this.meanwhile ? `; until it is back, ${this.meanwhile}` : '';
    this.logger.warn({ msg: `${this.what}: Redis is unreachable${meanwhile}`, err: String(error) });
  }

  recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.log({ msg: `${this.what}: Redis is reachable again` });
  }
}

/**
 * The Redis clients of this process, each named after its use (`CLIENT LIST` shows who is who),
 * all on the configured Redis, closed together when the process ends.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnections.name);
  private readonly settings: RedisConfig;
  private readonly clients = new Set<Redis>();

  constructor(config: AppConfig) {
    if (!config.redis) {
      throw new Error('RedisConnections needs REDIS_URL: it is only built in the scaled shape.');
    }
    this.settings = config.redis;
  }

  /** Prepended to every key and channel of this deployment. */
  get keyPrefix(): string {
    return this.settings.keyPrefix;
  }

  /** A new client that keeps reconnecting for as long as Redis is away. */
  create(name: string, options: RedisOptions = {}): Redis {
    const client = new Redis(this.settings.url, {
      connectionName: `${this.keyPrefix}:${name}`,
      retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
      // ioredis arms this timer even for a socket Redis has already dropped, and it holds the
      // process open at exit (2 s by default).
      disconnectTimeout: 200,
      ...options,
    });
    // An 'error' without a listener would only be printed, but this way an outage is logged once.
    const outage = new OutageLog(this.logger, `Redis client ${name}`);
    client.on('error', (error) => outage.failed(error));
    client.on('ready', () => outage.recovered());
    this.clients.add(client);
    return client;
  }

  /** Says goodbye to Redis when it answers, else drops the socket; either way within a bound. */
  async close(client: Redis): Promise<void> {
    this.clients.delete(client);
    if (client.status === 'end') return;
    if (client.status === 'ready') {
      await deadline(client.quit(), REDIS_TIMEOUT_MS, 'QUIT').catch(() => undefined);
    }
    // Also cancels a pending reconnect, which would otherwise keep the process alive.
    client.disconnect();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.clients].map((client) => this.close(client)));
  }
}

import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { FAIL_FAST, OutageLog, RedisConnections } from '../redis/redis-connections';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One hit, counted as the library's in-memory storage counts it, in one step so that processes
 * hitting the same key at once cannot both slip under the limit. Times come from Redis's clock,
 * the one clock all processes share.
 *
 * KEYS: the live hits (a sorted set scored by when each expires), the window (expires when the
 * counter resets, for the `X-RateLimit-Reset` header), the block (holds when it ends).
 * ARGV: ttl (ms), limit, block duration (ms), a member naming this hit.
 * Returns: hits, ms until the window resets, 1 when blocked, ms until the block ends.
 */
const HIT_SCRIPT = `
local hits, window, block = KEYS[1], KEYS[2], KEYS[3]
local ttl, limit, blockDuration = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

redis.call('ZREMRANGEBYSCORE', hits, '-inf', now)
local windowLeft = redis.call('PTTL', window)
if windowLeft <= 0 then
  redis.call('SET', window, '', 'PX', ttl)
  windowLeft = ttl
end
local function hit()
  redis.call('ZADD', hits, now + ttl, ARGV[4])
  redis.call('PEXPIRE', hits, ttl)
end

if blockDuration <= 0 then
  local count = redis.call('ZCARD', hits)
  if count < limit then
    hit()
    return { count + 1, windowLeft, 0, 0 }
  end
  local oldest = redis.call('ZRANGE', hits, 0, 0, 'WITHSCORES')
  return { count + 1, windowLeft, 1, oldest[2] and (tonumber(oldest[2]) - now) or windowLeft }
end

local blockedUntil = tonumber(redis.call('GET', block) or '0')
if blockedUntil > 0 and blockedUntil <= now then
  -- The block is over: counting starts afresh.
  redis.call('DEL', hits, block)
  blockedUntil = 0
end
if blockedUntil == 0 then
  hit()
  local count = redis.call('ZCARD', hits)
  if count <= limit then
    return { count, windowLeft, 0, 0 }
  end
  blockedUntil = now + blockDuration
  -- Kept past its end until the hits before it have expired, so that they never count again.
  redis.call('SET', block, blockedUntil, 'PX', blockDuration + ttl)
end
return { redis.call('ZCARD', hits), windowLeft, 1, blockedUntil - now }
`;

type ThrottleClient = Redis & {
  throttleHit(
    hits: string,
    window: string,
    block: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    member: string,
  ): Promise<[number, number, number, number]>;
};

/**
 * The throttle counted in Redis, across every API process. While Redis is away, each process
 * counts on its own with the library's in-memory storage, so the limit still holds per process.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly outage = new OutageLog(
    this.logger,
    'Auth throttle',
    'each process counts on its own',
  );
  private readonly fallback = new ThrottlerStorageService();
  private readonly client: ThrottleClient;
  private readonly keyPrefix: string;
  constructor(private readonly redis: RedisConnections) {
    const client = redis.create('throttle', FAIL_FAST);
    client.defineCommand('throttleHit', { numberOfKeys: 3, lua: HIT_SCRIPT });
    this.client = client as ThrottleClient;
    this.keyPrefix = `${redis.keyPrefix}:throttle:`;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.keyPrefix}${throttlerName}:${key}`;
    let reply: [number, number, number, number];
    try {
      reply = await this.client.throttleHit(
        `${base}:hits`,
        `${base}:window`,
        `${base}:block`,
        ttl,
        limit,
        blockDuration,
        randomUUID(),
      );
      this.outage.recovered();
    } catch (error) {
      this.outage.failed(error);
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
    const [totalHits, windowLeftMs, blocked, blockLeftMs] = reply;
    return {
      totalHits,
      timeToExpire: Math.ceil(windowLeftMs / 1000),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.ceil(blockLeftMs / 1000),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.fallback.onApplicationShutdown();
    await this.redis.close(this.client);
  }
}

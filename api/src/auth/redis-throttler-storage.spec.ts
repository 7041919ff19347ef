import { ThrottlerStorageService } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import { eventually } from '../testing/eventually';
import { RedisTestScope, startRedisServer, TEST_REDIS_URL } from '../testing/redis';
import { RedisThrottlerStorage } from './redis-throttler-storage';

const THROTTLER = 'default';

describe('RedisThrottlerStorage', () => {
  const scope = new RedisTestScope();
  beforeEach(() => scope.begin());
  afterEach(() => scope.end());

  /** The storage of one API process: connections of its own, the key prefix of this test. */
  async function storageOf(url = TEST_REDIS_URL): Promise<RedisThrottlerStorage> {
    const storage = scope.adapterOf(url, (connections) => new RedisThrottlerStorage(connections));
    await connected(storage, url);
    return storage;
  }

  /** Waits until the hits of `storage` land in Redis (the fallback counts them in memory). */
  async function connected(storage: RedisThrottlerStorage, url: string): Promise<void> {
    const redis = new Redis(url);
    try {
      await eventually(async () => {
        await storage.increment('connected', 1000, 1000, 0, THROTTLER);
        expect(await redis.exists(`${scope.keyPrefix}:throttle:${THROTTLER}:connected:hits`)).toBe(
          1,
        );
      });
    } finally {
      redis.disconnect();
    }
  }

  it('counts the hits of every process together, and blocks them all', async () => {
    const [a, b] = [await storageOf(), await storageOf()];
    const hit = (storage: RedisThrottlerStorage) =>
      storage.increment('ip', 60_000, 3, 1000, THROTTLER);
    expect(await hit(a)).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await hit(b)).toMatchObject({ totalHits: 2, isBlocked: false });
    expect(await hit(a)).toMatchObject({ totalHits: 3, isBlocked: false, timeToExpire: 60 });
    expect(await hit(b)).toEqual({
      totalHits: 4,
      timeToExpire: 60,
      isBlocked: true,
      timeToBlockExpire: 1,
    });
    expect(await hit(a)).toMatchObject({ totalHits: 4, isBlocked: true });
    // After the block, counting starts afresh.
    await eventually(async () =>
      expect(await hit(b)).toMatchObject({ totalHits: 1, isBlocked: false }),
    );
    expect(await hit(a)).toMatchObject({ totalHits: 2, isBlocked: false });
  });

  it('answers as the library’s in-memory storage does', async () => {
    const redis = await storageOf();
    const memory = new ThrottlerStorageService();
    scope.defer(async () => memory.onApplicationShutdown());
    for (const [key, blockDuration] of [
      ['blocking', 30_000],
      ['not-blocking', 0],
    ] as const) {
      for (let attempt = 0; attempt < 6; attempt++) {
        const [fromRedis, fromMemory] = await Promise.all([
          redis.increment(key, 60_000, 3, blockDuration, THROTTLER),
          memory.increment(key, 60_000, 3, blockDuration, THROTTLER),
        ]);
        // The library tells a block's end only while blocked (otherwise a meaningless number).
        if (!fromMemory.isBlocked) fromMemory.timeToBlockExpire = 0;
        expect({ key, attempt, ...fromRedis }).toEqual({ key, attempt, ...fromMemory });
      }
    }
  });

  it('forgets each hit once its ttl is over', async () => {
    const storage = await storageOf();
    const redis = new Redis(TEST_REDIS_URL);
    scope.defer(async () => void redis.disconnect());
    await storage.increment('ip', 300, 5, 300, THROTTLER);
    await storage.increment('ip', 300, 5, 300, THROTTLER);
    const hits = `${scope.keyPrefix}:throttle:${THROTTLER}:ip:hits`;
    expect(await redis.zcard(hits)).toBe(2);
    await eventually(async () => expect(await redis.exists(hits)).toBe(0));
    expect(await storage.increment('ip', 300, 5, 300, THROTTLER)).toMatchObject({ totalHits: 1 });
  });

  it('counts in each process while Redis is away, and together again when it is back', async () => {
    const server = await startRedisServer();
    scope.defer(() => server.stop());
    const [a, b] = [await storageOf(server.url), await storageOf(server.url)];
    const hit = (storage: RedisThrottlerStorage, key: string) =>
      storage.increment(key, 60_000, 2, 60_000, THROTTLER);

    await server.stop();
    expect(await hit(a, 'outage')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await hit(a, 'outage')).toMatchObject({ totalHits: 2, isBlocked: false });
    expect(await hit(a, 'outage')).toMatchObject({ totalHits: 3, isBlocked: true });
    expect(await hit(b, 'outage')).toMatchObject({ totalHits: 1, isBlocked: false });

    await server.start();
    await Promise.all([connected(a, server.url), connected(b, server.url)]);
    expect(await hit(a, 'after')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await hit(b, 'after')).toMatchObject({ totalHits: 2, isBlocked: false });
  });
});

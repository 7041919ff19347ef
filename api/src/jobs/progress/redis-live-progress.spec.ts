import { Redis } from 'ioredis';
import { eventually } from '../../testing/eventually';
import { RedisTestScope, startRedisServer, TEST_REDIS_URL } from '../../testing/redis';
import { RedisLiveProgress } from './redis-live-progress';

describe('RedisLiveProgress', () => {
  const scope = new RedisTestScope();
  beforeEach(() => scope.begin());
  afterEach(() => scope.end());

  /** The overlay of one process: connections of its own, the key prefix of this test. */
  async function progressOf(url = TEST_REDIS_URL): Promise<RedisLiveProgress> {
    const progress = scope.adapterOf(url, (connections) => new RedisLiveProgress(connections));
    // Writes made before the first connection are skipped, as the port allows.
    await eventually(async () => {
      progress.set('connected', { progress: 0, stage: 'Probe' });
      expect((await progress.read(['connected'])).size).toBe(1);
    });
    progress.forget('connected');
    return progress;
  }

  it('shows what one process set to every other, until it forgets', async () => {
    const [runner, reader] = [await progressOf(), await progressOf()];
    runner.set('job-1', { progress: 10, stage: 'Rendering' });
    runner.set('job-1', { progress: 40, stage: 'Rendering' });
    runner.set('job-2', { progress: 5, stage: 'Starting' });
    await eventually(async () =>
      expect(await reader.read(['job-1', 'job-2', 'job-3'])).toEqual(
        new Map([
          ['job-1', { progress: 40, stage: 'Rendering' }],
          ['job-2', { progress: 5, stage: 'Starting' }],
        ]),
      ),
    );
    runner.forget('job-1');
    await eventually(async () =>
      expect([...(await reader.read(['job-1', 'job-2'])).keys()]).toEqual(['job-2']),
    );
    expect(await reader.read([])).toEqual(new Map());
  });

  it('keeps each entry a minute at most, counted from its latest update', async () => {
    const progress = await progressOf();
    progress.set('job-1', { progress: 10, stage: 'Rendering' });
    const redis = new Redis(TEST_REDIS_URL);
    scope.defer(async () => void redis.disconnect());
    const key = `${scope.keyPrefix}:job-progress:job-1`;
    await eventually(async () => expect(await redis.pttl(key)).toBeGreaterThan(0));
    await redis.pexpire(key, 5000);
    progress.set('job-1', { progress: 20, stage: 'Rendering' });
    await eventually(async () => expect(await redis.pttl(key)).toBeGreaterThan(55_000));
    expect(await redis.pttl(key)).toBeLessThanOrEqual(60_000);
  });

  it('answers nothing known, without throwing, while Redis is away', async () => {
    const server = await startRedisServer();
    scope.defer(() => server.stop());
    const progress = await progressOf(server.url);
    progress.set('job-1', { progress: 10, stage: 'Rendering' });
    await eventually(async () => expect((await progress.read(['job-1'])).size).toBe(1));

    await server.stop();
    const startedAt = Date.now();
    expect(() => progress.set('job-1', { progress: 20, stage: 'Rendering' })).not.toThrow();
    expect(() => progress.forget('job-1')).not.toThrow();
    expect(await progress.read(['job-1'])).toEqual(new Map());
    expect(Date.now() - startedAt).toBeLessThan(1000);

    await server.start();
    await eventually(async () => {
      progress.set('job-1', { progress: 30, stage: 'Rendering' });
      expect(await progress.read(['job-1'])).toEqual(
        new Map([['job-1', { progress: 30, stage: 'Rendering' }]]),
      );
    });
  });
});

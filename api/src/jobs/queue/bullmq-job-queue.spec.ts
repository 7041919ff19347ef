import { randomUUID } from 'node:crypto';
import { RedisUnavailableError } from '../../redis/redis-connections';
import { eventually } from '../../testing/eventually';
import { RedisTestScope, startRedisServer, TEST_REDIS_URL } from '../../testing/redis';
import { BullmqJobQueue } from './bullmq-job-queue';

/** A promise the test resolves when it chooses. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('BullmqJobQueue', () => {
  const scope = new RedisTestScope();
  beforeEach(() => scope.begin());
  afterEach(() => scope.end());

  /** The queue of one process: connections of its own, the key prefix of this test. */
  function queueOf(url = TEST_REDIS_URL, concurrency = 2): BullmqJobQueue {
    return scope.adapterOf(url, (connections, config) => new BullmqJobQueue(config, connections), {
      JOB_CONCURRENCY: String(concurrency),
      JOB_LEASE_SECONDS: '5',
    });
  }

  it('keeps one delivery of an id enqueued twice, and takes it again once delivered', async () => {
    const queue = queueOf();
    const id = randomUUID();
    await queue.enqueue(id);
    await queue.enqueue(id);
    expect(await queue.depth()).toBe(1);
    const seen: string[] = [];
    queue.process(async (jobId) => {
      seen.push(jobId);
    });
    await eventually(() => expect(seen).toEqual([id]));
    await queue.stop();
    expect(await queue.depth()).toBe(0);
    await queue.enqueue(id);
    expect(await queue.depth()).toBe(1);
    expect(seen).toEqual([id]);
  });

  it('runs at most JOB_CONCURRENCY handlers at once', async () => {
    const queue = queueOf(TEST_REDIS_URL, 2);
    const ids = Array.from({ length: 5 }, () => randomUUID());
    for (const id of ids) await queue.enqueue(id);
    const started: string[] = [];
    const releases: (() => void)[] = [];
    let running = 0;
    let most = 0;
    queue.process(async (jobId) => {
      started.push(jobId);
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
    });
    await eventually(() => expect(started).toHaveLength(2));
    for (let released = 0; released < ids.length; released++) {
      await eventually(() => expect(releases.length).toBeGreaterThan(0));
      releases.shift()?.();
    }
    await eventually(() => expect(running).toBe(0));
    expect(started.sort()).toEqual([...ids].sort());
    expect(most).toBe(2);
  });

  it('delivers an id enqueued during its delivery once more, after that delivery', async () => {
    const queue = queueOf();
    const id = randomUUID();
    const first = gate();
    const seen: string[] = [];
    let running = 0;
    let most = 0;
    queue.process(async (jobId) => {
      seen.push(jobId);
      running++;
      most = Math.max(most, running);
      if (seen.length === 1) {
        await queue.enqueue(jobId);
        await first.opened;
      }
      running--;
    });
    await queue.enqueue(id);
    await eventually(() => expect(seen).toEqual([id]));
    expect(await queue.depth()).toBe(0);
    first.open();
    await eventually(() => expect(seen).toEqual([id, id]));
    expect(most).toBe(1);
  });

  it('hands a job enqueued while stopping to the worker of another process', async () => {
    const stopping = queueOf();
    const other = queueOf();
    const id = randomUUID();
    const shutdown = gate();
    stopping.process(async (jobId) => {
      await shutdown.opened;
      await stopping.enqueue(jobId);
    });
    await stopping.enqueue(id);
    await eventually(async () => expect(await stopping.depth()).toBe(0));
    const stopped = stopping.stop();
    shutdown.open();
    await stopped;
    const seen: string[] = [];
    other.process(async (jobId) => {
      seen.push(jobId);
    });
    await eventually(() => expect(seen).toEqual([id]));
  });

  it('delivers again, after the lease, a job whose worker died during it', async () => {
    const dying = queueOf();
    const survivor = queueOf();
    const id = randomUUID();
    const never = gate();
    const dyingSeen: string[] = [];
    dying.process(async (jobId) => {
      dyingSeen.push(jobId);
      await never.opened;
    });
    await dying.enqueue(id);
    await eventually(() => expect(dyingSeen).toEqual([id]));
    // What a kill leaves: the delivery's lock in Redis, nobody renewing it.
    await dying.onApplicationShutdown();
    const seen: string[] = [];
    survivor.process(async (jobId) => {
      seen.push(jobId);
    });
    await eventually(() => expect(seen).toEqual([id]), 20_000);
    never.open();
  });

  it('keeps delivering after a handler throws', async () => {
    const queue = queueOf(TEST_REDIS_URL, 1);
    const [bad, good] = [randomUUID(), randomUUID()];
    const seen: string[] = [];
    queue.process(async (jobId) => {
      seen.push(jobId);
      if (jobId === bad) throw new Error('boom');
    });
    await queue.enqueue(bad);
    await queue.enqueue(good);
    await eventually(() => expect(seen).toEqual([bad, good]));
  });

  it('refuses work within seconds while Redis is down, and resumes by itself after', async () => {
    const server = await startRedisServer();
    scope.defer(() => server.stop());
    const queue = queueOf(server.url);
    const seen: string[] = [];
    queue.process(async (jobId) => {
      seen.push(jobId);
    });
    const before = randomUUID();
    await queue.enqueue(before);
    await eventually(() => expect(seen).toEqual([before]));

    await server.stop();
    const refusedAt = Date.now();
    await expect(queue.enqueue(randomUUID())).rejects.toThrow(RedisUnavailableError);
    expect(Date.now() - refusedAt).toBeLessThan(3000);
    await expect(queue.check()).rejects.toThrow();
    await expect(queue.depth()).rejects.toThrow();

    await server.start();
    await eventually(() => queue.check());
    const after = randomUUID();
    await queue.enqueue(after);
    await eventually(() => expect(seen).toEqual([before, after]), 20_000);
  });
});

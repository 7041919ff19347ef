import { JobEventData, JobEventType } from '@vidgen/contracts';
import { loadConfig } from '../../config/app-config';
import { RedisConnections } from '../../redis/redis-connections';
import { eventually } from '../../testing/eventually';
import { startRedisServer, TEST_REDIS_URL, uniqueKeyPrefix } from '../../testing/redis';
import { JobEvent } from './job-events';
import { RedisJobEvents } from './redis-job-events';

/** The data travels as JSON, untouched: a part of a job is enough to follow it. */
const progressEvent = (progress: number): JobEvent => ({
  userId: 'user-1',
  type: JobEventType.Progress,
  data: { job: { id: 'job-1', progress } } as unknown as JobEventData,
});

describe('RedisJobEvents', () => {
  let keyPrefix: string;
  let cleanups: (() => Promise<void>)[];

  beforeEach(() => {
    keyPrefix = uniqueKeyPrefix();
    cleanups = [];
  });

  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** The events of one process: connections of its own, the channel of this test. */
  function eventsOf(url = TEST_REDIS_URL): { events: RedisJobEvents; seen: JobEvent[] } {
    const config = loadConfig({ REDIS_URL: url, REDIS_KEY_PREFIX: keyPrefix });
    const connections = new RedisConnections(config);
    const events = new RedisJobEvents(connections);
    cleanups.push(async () => {
      events.beforeApplicationShutdown();
      await events.onApplicationShutdown();
      await connections.onApplicationShutdown();
    });
    const seen: JobEvent[] = [];
    events.events().subscribe((event) => seen.push(event));
    return { events, seen };
  }

  it('carries the events of one process to every process, its own included, in order', async () => {
    const [a, b] = [eventsOf(), eventsOf()];
    await Promise.all([a.events.check(), b.events.check()]);
    const sent = Array.from({ length: 50 }, (_, index) => progressEvent(index));
    for (const event of sent) a.events.publish(event);
    await eventually(() => {
      expect(b.seen).toEqual(sent);
      expect(a.seen).toEqual(sent);
    });
  });

  it('drops events while Redis is away, and subscribes again when it is back', async () => {
    const server = await startRedisServer();
    cleanups.push(() => server.stop());
    const [a, b] = [eventsOf(server.url), eventsOf(server.url)];
    await Promise.all([a.events.check(), b.events.check()]);

    await server.stop();
    expect(() => a.events.publish(progressEvent(1))).not.toThrow();
    await expect(b.events.check()).rejects.toThrow();

    await server.start();
    await eventually(() => Promise.all([a.events.check(), b.events.check()]));
    a.events.publish(progressEvent(2));
    await eventually(() => expect(b.seen).toEqual([progressEvent(2)]));
  });

  it('completes the stream when the process shuts down', async () => {
    const { events } = eventsOf();
    await events.check();
    let completed = false;
    events.events().subscribe({ complete: () => (completed = true) });
    events.beforeApplicationShutdown();
    await events.onApplicationShutdown();
    expect(completed).toBe(true);
  });
});

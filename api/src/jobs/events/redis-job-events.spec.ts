import { JobEventData, JobEventType } from '@vidgen/contracts';
import { Redis } from 'ioredis';
import { eventually } from '../../testing/eventually';
import { RedisTestScope, startRedisServer, TEST_REDIS_URL } from '../../testing/redis';
import { parseEventId } from './event-ids';
import { describeJobEventsContract } from './job-events.contract';
import { JobEvent, NewJobEvent, REPLAY_BUFFER } from './job-events';
import { RedisJobEvents } from './redis-job-events';

/** The data travels as JSON, untouched: a part of a job is enough to follow it. */
const eventOf = (type: JobEventType, progress: number): NewJobEvent => ({
  userId: 'user-1',
  type,
  data: { job: { id: 'job-1', progress } } as unknown as JobEventData,
});

const withoutId = ({ userId, type, data }: JobEvent): NewJobEvent => ({ userId, type, data });

describe('RedisJobEvents', () => {
  const scope = new RedisTestScope();
  beforeEach(() => scope.begin());
  afterEach(() => scope.end());

  /** The events of one process: connections of its own, the channel of this test. */
  function eventsOf(url = TEST_REDIS_URL): { events: RedisJobEvents; seen: JobEvent[] } {
    const events = scope.adapterOf(url, (connections) => new RedisJobEvents(connections));
    // Deferred last, so it runs first: the stream completes before the connections close.
    scope.defer(() => events.beforeApplicationShutdown());
    const seen: JobEvent[] = [];
    events.events().subscribe((event) => seen.push(event));
    return { events, seen };
  }

  describeJobEventsContract(async () => {
    const { events } = eventsOf();
    // Subscribed, so that it receives what the test publishes next.
    await events.check();
    return events;
  });

  it('carries the events of one process to every process, its own included, in order', async () => {
    const [a, b] = [eventsOf(), eventsOf()];
    await Promise.all([a.events.check(), b.events.check()]);
    const sent = Array.from({ length: 50 }, (_, index) => eventOf(JobEventType.Progress, index));
    for (const event of sent) a.events.publish(event);
    await eventually(() => {
      expect(b.seen.map(withoutId)).toEqual(sent);
      expect(a.seen).toEqual(b.seen);
    });
  });

  it(`keeps a user's buffer for at most ${REPLAY_BUFFER.ttlMs / 60_000} minutes after its last use`, async () => {
    const { events } = eventsOf();
    const redis = new Redis(TEST_REDIS_URL);
    scope.defer(async () => void redis.disconnect());
    const buffer = `${scope.keyPrefix}:job-events:user:user-1`;

    // Right after the start, before the connection is up: the process waits for it.
    await events.position('user-1');
    const afterPosition = await redis.pttl(buffer);
    await redis.pexpire(buffer, 1000);
    events.publish(eventOf(JobEventType.Status, 1));
    await eventually(async () => expect(await redis.xlen(buffer)).toBe(2));

    for (const ttl of [afterPosition, await redis.pttl(buffer)]) {
      expect(ttl).toBeGreaterThan(REPLAY_BUFFER.ttlMs - 60_000);
      expect(ttl).toBeLessThanOrEqual(REPLAY_BUFFER.ttlMs);
    }
  });

  it('answers without Redis, and covers no position from before a restart of Redis', async () => {
    const server = await startRedisServer();
    scope.defer(() => server.stop());
    const { events } = eventsOf(server.url);
    await events.check();
    const before = await events.position('user-1');
    events.publish(eventOf(JobEventType.Status, 1));
    await eventually(async () => expect(await events.replay('user-1', before)).toHaveLength(1));

    await server.stop();
    expect(parseEventId(await events.position('user-1'))).not.toBeNull();
    await expect(events.replay('user-1', before)).resolves.toBeNull();

    // Without persistence, what Redis held is gone: the buffer begins again, after `before`.
    await server.start();
    await eventually(() => events.check());
    expect(await events.replay('user-1', before)).toBeNull();
    const after = await events.position('user-1');
    events.publish(eventOf(JobEventType.Status, 2));
    await eventually(async () => expect(await events.replay('user-1', after)).toHaveLength(1));
    expect(await events.replay('user-1', before)).toBeNull();
  });

  it('covers no position from before events it failed to publish, though Redis kept its data', async () => {
    const server = await startRedisServer();
    scope.defer(() => server.stop());
    const [a, b] = [eventsOf(server.url), eventsOf(server.url)];
    await Promise.all([a.events.check(), b.events.check()]);
    const before = await b.events.position('user-1');
    const admin = new Redis(server.url);
    scope.defer(async () => void admin.disconnect());

    // Writes wait longer than a publish may: the event is dropped, Redis keeps the rest.
    await admin.client('PAUSE', 3000, 'WRITE');
    a.events.publish(eventOf(JobEventType.Status, 1));
    await new Promise((resolve) => setTimeout(resolve, 3500));
    a.events.publish(eventOf(JobEventType.Status, 2));
    await eventually(() =>
      expect(b.seen.map(withoutId)).toContainEqual(eventOf(JobEventType.Status, 2)),
    );

    // Another process's replay knows too: the marker is in Redis.
    await eventually(async () => expect(await b.events.replay('user-1', before)).toBeNull());
    const after = await b.events.position('user-1');
    a.events.publish(eventOf(JobEventType.Status, 3));
    await eventually(async () =>
      expect((await b.events.replay('user-1', after))?.map(withoutId)).toEqual([
        eventOf(JobEventType.Status, 3),
      ]),
    );
  });

  it('drops events while Redis is away, and subscribes again when it is back', async () => {
    const server = await startRedisServer();
    scope.defer(() => server.stop());
    const [a, b] = [eventsOf(server.url), eventsOf(server.url)];
    await Promise.all([a.events.check(), b.events.check()]);

    await server.stop();
    expect(() => a.events.publish(eventOf(JobEventType.Progress, 1))).not.toThrow();
    await expect(b.events.check()).rejects.toThrow();

    await server.start();
    await eventually(() => Promise.all([a.events.check(), b.events.check()]));
    a.events.publish(eventOf(JobEventType.Progress, 2));
    await eventually(() =>
      expect(b.seen.map(withoutId)).toEqual([eventOf(JobEventType.Progress, 2)]),
    );
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

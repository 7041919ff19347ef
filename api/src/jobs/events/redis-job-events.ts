import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { Observable, Subject } from 'rxjs';
import {
  deadline,
  FAIL_FAST,
  OutageLog,
  REDIS_TIMEOUT_MS,
  RedisConnections,
  whenReady,
} from '../../redis/redis-connections';
import { compareEventIds, parseEventId } from './event-ids';
import { isReplayed, JobEvent, JobEvents, NewJobEvent, REPLAY_BUFFER } from './job-events';

/**
 * Each user's replay buffer is a Redis stream. A marker entry (field `s`) is added when the stream
 * is created, so the stream always holds everything after its oldest entry: a position at or after
 * that entry is covered, one before it (trimmed, expired, lost with a restart of Redis) is not.
 * Both scripts run atomically, so the order of ids is the order in which processes receive the
 * events from the channel.
 */
const POSITION = `
local function position(key, ttl)
  local last = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)
  local id = last[1] and last[1][1] or redis.call('XADD', key, '*', 's', '')
  redis.call('PEXPIRE', key, ttl)
  return id
end
`;

/** KEYS: buffer; ARGV: channel, event JSON, '1' to keep it, max entries, time to live (ms). */
const PUBLISH_SCRIPT = `${POSITION}
local key = KEYS[1]
local id = position(key, ARGV[5])
if ARGV[3] == '1' then
  id = redis.call('XADD', key, 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[2])
end
redis.call('PUBLISH', ARGV[1], id .. ' ' .. ARGV[2])
return id
`;

/** KEYS: buffer; ARGV: time to live (ms). */
const POSITION_SCRIPT = `${POSITION}
return position(KEYS[1], ARGV[1])
`;

/** KEYS: resync marker; ARGV: milliseconds. Keeps the latest time only. */
const RESYNC_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
return 1
`;

type StreamEntry = [id: string, fields: string[]];

type EventsClient = Redis & {
  publishJobEvent(
    key: string,
    channel: string,
    event: string,
    keep: '1' | '0',
    maxEntries: number,
    ttlMs: number,
  ): Promise<string>;
  eventPosition(key: string, ttlMs: number): Promise<string>;
  markResync(key: string, ms: number): Promise<number>;
};

/**
 * The scaled adapter: Redis pub/sub on one channel. Each process subscribes once and hands the
 * events to its own streams; its own events come back through Redis too, so every process sees
 * one order.
 */
@Injectable()
export class RedisJobEvents
  extends JobEvents
  implements BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(RedisJobEvents.name);
  private readonly subject = new Subject<JobEvent>();
  private readonly channel: string;
  private readonly bufferPrefix: string;
  /**
   * Events this process could not publish are in no buffer: once Redis answers again, the time of
   * the first id it gives is written here, and a resumption from before it starts from a snapshot
   * instead of a replay that would silently lack them.
   */
  private readonly resyncKey: string;
  private dropped = false;
  private readonly publisher: EventsClient;
  private readonly subscriber: Redis;
  private readonly outage = new OutageLog(this.logger, 'Job events', 'events are dropped');
  constructor(private readonly redis: RedisConnections) {
    super();
    this.channel = `${redis.keyPrefix}:job-events`;
    this.bufferPrefix = `${redis.keyPrefix}:job-events:user:`;
    this.resyncKey = `${redis.keyPrefix}:job-events:resync-before`;
    const publisher = redis.create('job-events-publisher', FAIL_FAST);
    publisher.defineCommand('publishJobEvent', { numberOfKeys: 1, lua: PUBLISH_SCRIPT });
    publisher.defineCommand('eventPosition', { numberOfKeys: 1, lua: POSITION_SCRIPT });
    publisher.defineCommand('markResync', { numberOfKeys: 1, lua: RESYNC_SCRIPT });
    this.publisher = publisher as EventsClient;
    // However long Redis is away at start, the subscription waits for it; ioredis subscribes
    // again by itself after every reconnect.
    this.subscriber = redis.create('job-events-subscriber', { maxRetriesPerRequest: null });
    this.subscriber.on('message', (_channel: string, message: string) => this.receive(message));
    this.subscriber
      .subscribe(this.channel)
      .catch((error) => this.logger.error({ msg: 'Could not subscribe', err: String(error) }));
  }

  publish(event: NewJobEvent): void {
    this.publisher
      .publishJobEvent(
        this.bufferOf(event.userId),
        this.channel,
        JSON.stringify(event),
        isReplayed(event.type) ? '1' : '0',
        // One entry more than the events kept: the oldest is where a resumption must reach back
        // to, so the buffer covers a gap of REPLAY_BUFFER.events (`~` never trims below it).
        REPLAY_BUFFER.events + 1,
        REPLAY_BUFFER.ttlMs,
      )
      .then(
        (id) => this.answered(id),
        (error) => this.failed(error),
      );
  }

  /**
   * Without Redis, this process's clock stands in: once Redis is back, the resync marker is later,
   * so a resumption from it starts from a snapshot.
   */
  async position(userId: string): Promise<string> {
    try {
      await whenReady(this.publisher, 'Job events');
      const position = await this.publisher.eventPosition(
        this.bufferOf(userId),
        REPLAY_BUFFER.ttlMs,
      );
      this.answered(position);
      return position;
    } catch (error) {
      this.failed(error);
      return `${Date.now()}-0`;
    }
  }

  async replay(userId: string, afterId: string): Promise<JobEvent[] | null> {
    const key = this.bufferOf(userId);
    let oldest: StreamEntry[];
    let after: StreamEntry[];
    let resyncBefore: string | null;
    try {
      await whenReady(this.publisher, 'Job events');
      const replies = await this.publisher
        .multi()
        .xrange(key, '-', '+', 'COUNT', 1)
        .xrange(key, `(${afterId}`, '+')
        .get(this.resyncKey)
        .exec();
      const [first, rest, marker] = (replies ?? []).map(([error, reply]) => {
        if (error) throw error;
        return reply;
      });
      [oldest, after, resyncBefore] = [
        first as StreamEntry[],
        rest as StreamEntry[],
        marker as string | null,
      ];
      this.outage.recovered();
    } catch (error) {
      this.failed(error);
      return null;
    }
    if (!oldest?.[0] || compareEventIds(oldest[0][0], afterId) > 0) return null;
    const from = parseEventId(afterId)?.ms ?? 0;
    if (resyncBefore !== null && from < Number(resyncBefore)) return null;
    return after.flatMap(([id, fields]) => {
      const event = fields[0] === 'e' ? this.parse(fields[1]) : null;
      return event ? [{ ...event, id }] : [];
    });
  }

  events(): Observable<JobEvent> {
    return this.subject.asObservable();
  }

  /**
   * Both ways must work. The subscriber's PING is answered after its SUBSCRIBE, so once it
   * passes, this process receives the events published from then on.
   */
  async check(): Promise<void> {
    await whenReady(this.publisher, 'Job events');
    await Promise.all([
      this.publisher.ping(),
      deadline(this.subscriber.ping(), REDIS_TIMEOUT_MS, 'The job events subscription'),
    ]);
  }

  beforeApplicationShutdown(): void {
    this.subject.complete();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.redis.close(this.subscriber), this.redis.close(this.publisher)]);
  }

  private failed(error: unknown): void {
    this.outage.failed(error);
    this.dropped = true;
  }

  /** `id` was given by Redis after anything this process failed to publish. */
  private answered(id: string): void {
    this.outage.recovered();
    if (!this.dropped) return;
    this.dropped = false;
    const ms = parseEventId(id)?.ms ?? Date.now();
    this.publisher.markResync(this.resyncKey, ms).catch((error) => this.failed(error));
  }

  private bufferOf(userId: string): string {
    return `${this.bufferPrefix}${userId}`;
  }

  /** A message is the event's id, a space, and the event as JSON. */
  private receive(message: string): void {
    const space = message.indexOf(' ');
    const event = space > 0 ? this.parse(message.slice(space + 1)) : null;
    if (event) this.subject.next({ ...event, id: message.slice(0, space) });
  }

  private parse(json: string): NewJobEvent | null {
    try {
      return JSON.parse(json) as NewJobEvent;
    } catch {
      this.logger.warn({ msg: 'Ignoring a job event that is not JSON', json });
      return null;
    }
  }
}

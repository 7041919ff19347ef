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
import { JobEvent, JobEvents } from './job-events';

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
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly outage = new OutageLog(this.logger, 'Job events', 'events are dropped');
  constructor(private readonly redis: RedisConnections) {
    super();
    this.channel = `${redis.keyPrefix}:job-events`;
    this.publisher = redis.create('job-events-publisher', FAIL_FAST);
    // However long Redis is away at start, the subscription waits for it; ioredis subscribes
    // again by itself after every reconnect.
    this.subscriber = redis.create('job-events-subscriber', { maxRetriesPerRequest: null });
    this.subscriber.on('message', (_channel: string, message: string) => this.receive(message));
    this.subscriber
      .subscribe(this.channel)
      .catch((error) => this.logger.error({ msg: 'Could not subscribe', err: String(error) }));
  }

  publish(event: JobEvent): void {
    this.publisher.publish(this.channel, JSON.stringify(event)).then(
      () => this.outage.recovered(),
      (error) => this.outage.failed(error),
    );
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

  private receive(message: string): void {
    let event: JobEvent;
    try {
      event = JSON.parse(message) as JobEvent;
    } catch {
      this.logger.warn({ msg: 'Ignoring a job event that is not JSON', message });
      return;
    }
    this.subject.next(event);
  }
}

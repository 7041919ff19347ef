import { Injectable, MessageEvent } from '@nestjs/common';
import { JobEventData, JobEventType } from '@vidgen/contracts';
import { Observable, Subscriber } from 'rxjs';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { Metrics } from '../metrics/metrics';
import { JobEvent } from './events/job-events';
import { eventTypeFor, isTerminal } from './job-state';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { JobEventListener, JobEventRouter, Unregister } from './streams/job-event-router';
import { BeatingStream, StreamHeartbeat, StreamReader } from './streams/stream-heartbeat';
import { StreamLimits } from './streams/stream-limits';
import { VideoJobEntity } from './video-job.entity';

const TERMINAL_EVENTS: ReadonlySet<string> = new Set([
  JobEventType.Succeeded,
  JobEventType.Failed,
  JobEventType.Cancelled,
]);

/**
 * When an EventSource whose connection dropped comes back: after a restart or a deploy every open
 * page does at once, and each reconnection checks a session and reads a snapshot. Drawn at random
 * per stream, the reconnections of 10,000 pages spread over five seconds instead of arriving in
 * the same instant, and a page is still back within a few seconds, as with a browser's default.
 */
const RECONNECT_MIN_MS = 2_000;
const RECONNECT_SPREAD_MS = 5_000;

interface Snapshot {
  job: VideoJobEntity;
  data: JobEventData;
}

/**
 * Builds the SSE streams. Each starts with a snapshot read from the database, so a reload or a
 * reconnect always resynchronises; live events that happen while the snapshot is read are
 * buffered, not lost. Events reach a stream through the process's one router, and pings through
 * its one heartbeat: an idle stream is an object in two indexes, nothing more.
 */
@Injectable()
export class JobStreams {
  constructor(
    private readonly jobs: JobsService,
    private readonly repository: JobsRepository,
    private readonly router: JobEventRouter,
    private readonly heartbeat: StreamHeartbeat,
    private readonly limits: StreamLimits,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Snapshot, then the job's events until its terminal event, then the end. `responseEnd` is the
   * signal of the stream's response (Nest's `@SseSignal()`): it frees the stream's place.
   */
  forJob(
    job: VideoJobEntity,
    principal: AuthenticatedUser,
    responseEnd: AbortSignal,
  ): Observable<MessageEvent> {
    return this.open(
      principal,
      responseEnd,
      true,
      (listener) => this.router.forJob(job.id, listener),
      async () => [(await this.repository.findById(job.id)) ?? job],
    );
  }

  /** Snapshots of the user's active jobs, then all of their events, until the session ends. */
  forUser(principal: AuthenticatedUser, responseEnd: AbortSignal): Observable<MessageEvent> {
    const userId = principal.user.id;
    return this.open(
      principal,
      responseEnd,
      false,
      (listener) => this.router.forUser(userId, listener),
      () => this.repository.listActive(userId),
    );
  }

  /**
   * Takes the stream's place within the limits first, so that a refusal is an error answer and
   * not a stream. Registers with the router before the snapshot is read, so that nothing
   * published meanwhile is missed; the heartbeat takes the stream once it is live.
   */
  private open(
    principal: AuthenticatedUser,
    responseEnd: AbortSignal,
    endsWithJob: boolean,
    register: (listener: JobEventListener) => Unregister,
    load: () => Promise<VideoJobEntity[]>,
  ): Observable<MessageEvent> {
    this.limits.admit(principal.user.id, responseEnd);
    return new Observable<MessageEvent>((subscriber) => {
      // Counted from the client's subscription to its end, however it ends (completed, closed).
      this.metrics.streamOpened();
      const stream = new LiveStream(readerOf(principal), subscriber, endsWithJob);
      const unregister = register(stream);
      this.snapshots(load).then(
        (snapshots) => {
          if (subscriber.closed) return;
          stream.start(snapshots);
          if (!subscriber.closed) this.heartbeat.add(stream);
        },
        (error: unknown) => subscriber.error(error),
      );
      return () => {
        unregister();
        this.heartbeat.remove(stream);
        this.metrics.streamClosed();
      };
    });
  }

  private async snapshots(load: () => Promise<VideoJobEntity[]>): Promise<Snapshot[]> {
    const jobs = await load();
    return Promise.all(jobs.map(async (job) => ({ job, data: await this.jobs.snapshot(job) })));
  }
}

/**
 * One open stream: numbers its events, holds live events back until its snapshot is out, and
 * ends a job's stream after that job's terminal event.
 */
class LiveStream implements JobEventListener, BeatingStream {
  lastWriteAt = Date.now();
  private lastId = 0;
  /** Live events that arrived before the snapshot was sent; `null` once it was. */
  private waiting: JobEvent[] | null = [];

  constructor(
    readonly reader: StreamReader,
    private readonly subscriber: Subscriber<MessageEvent>,
    private readonly endsWithJob: boolean,
  ) {}

  start(snapshots: Snapshot[]): void {
    for (const { data } of snapshots) this.write(JobEventType.Snapshot, data);
    const [first] = snapshots;
    if (this.endsWithJob && first && isTerminal(first.job.status)) {
      this.write(eventTypeFor(first.job.status), first.data);
      this.subscriber.complete();
      return;
    }
    const waiting = this.waiting ?? [];
    this.waiting = null;
    for (const event of waiting) {
      if (this.subscriber.closed) return;
      this.receive(event);
    }
  }

  receive(event: JobEvent): void {
    if (this.waiting) {
      this.waiting.push(event);
      return;
    }
    this.write(event.type, event.data);
    if (this.endsWithJob && TERMINAL_EVENTS.has(event.type)) this.subscriber.complete();
  }

  ping(at: string): void {
    this.write('ping', { at });
  }

  end(): void {
    this.subscriber.complete();
  }

  private write(type: string, data: JobEventData | { at: string }): void {
    this.lastWriteAt = Date.now();
    const id = String(++this.lastId);
    // An EventSource keeps the delay for its whole life, across reconnections: once is enough.
    this.subscriber.next(
      this.lastId === 1 ? { id, type, data, retry: reconnectDelayMs() } : { id, type, data },
    );
  }
}

function reconnectDelayMs(): number {
  return RECONNECT_MIN_MS + Math.floor(Math.random() * RECONNECT_SPREAD_MS);
}

function readerOf({ user, sessionId, expiresAt }: AuthenticatedUser): StreamReader {
  return { userId: user.id, sessionId, expiresAt: expiresAt.getTime() };
}

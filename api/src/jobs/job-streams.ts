import { Injectable, MessageEvent } from '@nestjs/common';
import { JobEventData, JobEventType } from '@vidgen/contracts';
import { Observable, Subscriber } from 'rxjs';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { Metrics } from '../metrics/metrics';
import { compareEventIds, parseEventId } from './events/event-ids';
import { JobEvent, JobEvents } from './events/job-events';
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

/** How a stream begins: snapshots or missed events, and the position in its user's events they bring it to. */
interface Opening {
  position: string;
  snapshots: Snapshot[];
  missed: JobEvent[];
}

/**
 * A resumption the replay buffer no longer covers sends, besides the active jobs, those that
 * ended since the client's last event, at most this many of the latest. The margin absorbs the
 * difference between the clocks that stamped the event id and the job's end.
 */
const ENDED_SINCE = { limit: 100, clockMarginMs: 60_000 } as const;

/**
 * Builds the SSE streams. Each starts where its client is: with a snapshot read from the database,
 * or, when the client resumes with `Last-Event-ID`, with the events it missed (from its user's
 * replay buffer) or, if the gap is older than the buffer, with a snapshot that includes the jobs
 * that ended since. Live events that happen meanwhile are held back, not lost. Events reach a
 * stream through the process's one router, and pings through its one heartbeat: an idle stream is
 * an object in two indexes, nothing more.
 */
@Injectable()
export class JobStreams {
  constructor(
    private readonly jobs: JobsService,
    private readonly repository: JobsRepository,
    private readonly events: JobEvents,
    private readonly router: JobEventRouter,
    private readonly heartbeat: StreamHeartbeat,
    private readonly limits: StreamLimits,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Snapshot, then the job's events until its terminal event, then the end. `responseEnd` is the
   * signal of the stream's response (Nest's `@SseSignal()`): it frees the stream's place. A
   * resumption needs nothing more: the snapshot is the whole state of the job.
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
      async () => {
        const position = await this.events.position(job.userId);
        const current = (await this.repository.findById(job.id)) ?? job;
        return { position, snapshots: await this.snapshots([current]), missed: [] };
      },
    );
  }

  /**
   * All of the user's events, until the session ends: from `lastEventId` when the client resumes,
   * else from snapshots of the user's active jobs.
   */
  forUser(
    principal: AuthenticatedUser,
    responseEnd: AbortSignal,
    lastEventId?: string,
  ): Observable<MessageEvent> {
    const userId = principal.user.id;
    return this.open(
      principal,
      responseEnd,
      false,
      (listener) => this.router.forUser(userId, listener),
      () => this.resume(userId, lastEventId),
    );
  }

  /**
   * Takes the stream's place within the limits first, so that a refusal is an error answer and
   * not a stream. Registers with the router before the stream's opening is read, so that nothing
   * published meanwhile is missed; the heartbeat takes the stream once it is live.
   */
  private open(
    principal: AuthenticatedUser,
    responseEnd: AbortSignal,
    endsWithJob: boolean,
    register: (listener: JobEventListener) => Unregister,
    opening: () => Promise<Opening>,
  ): Observable<MessageEvent> {
    this.limits.admit(principal.user.id, responseEnd);
    return new Observable<MessageEvent>((subscriber) => {
      // Counted from the client's subscription to its end, however it ends (completed, closed).
      this.metrics.streamOpened();
      const stream = new LiveStream(readerOf(principal), subscriber, endsWithJob);
      const unregister = register(stream);
      opening().then(
        (start) => {
          if (subscriber.closed) return;
          stream.start(start);
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

  private async resume(userId: string, lastEventId: string | undefined): Promise<Opening> {
    const from = parseEventId(lastEventId);
    if (from) {
      const fromId = `${from.ms}-${from.sequence}`;
      const missed = await this.events.replay(userId, fromId);
      if (missed) return { position: fromId, snapshots: [], missed };
    }
    const position = await this.events.position(userId);
    // Active jobs first: one that ends between the two reads is then among the ended ones.
    const active = await this.repository.listActive(userId);
    if (!from) return { position, snapshots: await this.snapshots(active), missed: [] };
    const ended = await this.repository.listEndedSince(
      userId,
      new Date(from.ms - ENDED_SINCE.clockMarginMs),
      ENDED_SINCE.limit,
    );
    const endedIds = new Set(ended.map((job) => job.id));
    const stillActive = active.filter((job) => !endedIds.has(job.id));
    return { position, snapshots: await this.snapshots([...ended, ...stillActive]), missed: [] };
  }

  private snapshots(jobs: VideoJobEntity[]): Promise<Snapshot[]> {
    return Promise.all(jobs.map(async (job) => ({ job, data: await this.jobs.snapshot(job) })));
  }
}

/**
 * One open stream: holds live events back until its opening is out, skips those its opening
 * already covers, and ends a job's stream after that job's terminal event. Every event carries the
 * stream's position in its user's events (see event-ids.ts); snapshots and pings, which move
 * nothing, repeat it.
 */
class LiveStream implements JobEventListener, BeatingStream {
  lastWriteAt = Date.now();
  private position = '';
  private written = false;
  /** Live events that arrived before the opening was sent; `null` once it was. */
  private waiting: JobEvent[] | null = [];

  constructor(
    readonly reader: StreamReader,
    private readonly subscriber: Subscriber<MessageEvent>,
    private readonly endsWithJob: boolean,
  ) {}

  start({ position, snapshots, missed }: Opening): void {
    this.position = position;
    for (const { data } of snapshots) this.write(JobEventType.Snapshot, data);
    const [first] = snapshots;
    if (this.endsWithJob && first && isTerminal(first.job.status)) {
      this.write(eventTypeFor(first.job.status), first.data);
      this.subscriber.complete();
      return;
    }
    const waiting = this.waiting ?? [];
    this.waiting = null;
    for (const event of missed) {
      if (this.subscriber.closed) return;
      this.receive(event);
    }
    // Waiting events up to the position reached are already in the snapshot or the replay.
    for (const event of waiting) {
      if (this.subscriber.closed) return;
      if (compareEventIds(event.id, this.position) > 0) this.receive(event);
    }
  }

  receive(event: JobEvent): void {
    if (this.waiting) {
      this.waiting.push(event);
      return;
    }
    this.position = event.id;
    this.write(event.type, event.data);
    if (this.endsWithJob && TERMINAL_EVENTS.has(event.type)) this.subscriber.complete();
  }

  ping(at: string): void {
    this.write('ping', { at });
  }

  end(): void {
    this.subscriber.complete();
  }

  private write(type: string, data: object): void {
    this.lastWriteAt = Date.now();
    const id = this.position;
    const json = jsonOf(data);
    // An EventSource keeps the delay for its whole life, across reconnections: once is enough.
    if (this.written) {
      this.subscriber.next({ id, type, data: json });
    } else {
      this.written = true;
      this.subscriber.next({ id, type, data: json, retry: reconnectDelayMs() });
    }
  }
}

/**
 * The JSON of an event's data, made once however many streams carry the event: handed an object,
 * Nest would serialise it again for each stream.
 */
const jsonOfData = new WeakMap<object, string>();

function jsonOf(data: object): string {
  let json = jsonOfData.get(data);
  if (json === undefined) {
    json = JSON.stringify(data);
    jsonOfData.set(data, json);
  }
  return json;
}

function reconnectDelayMs(): number {
  return RECONNECT_MIN_MS + Math.floor(Math.random() * RECONNECT_SPREAD_MS);
}

function readerOf(principal: AuthenticatedUser): StreamReader {
  return {
    userId: principal.user.id,
    credential:
      principal.via === 'api-key'
        ? { via: 'api-key', id: principal.apiKeyId }
        : { via: 'session', id: principal.sessionId },
    expiresAt: principal.expiresAt?.getTime() ?? null,
  };
}

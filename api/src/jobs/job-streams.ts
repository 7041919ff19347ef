import { Injectable, MessageEvent } from '@nestjs/common';
import { JobEventData, JobEventType } from '@vidgen/contracts';
import {
  concat,
  defer,
  endWith,
  exhaustMap,
  filter,
  finalize,
  from,
  ignoreElements,
  interval,
  map,
  merge,
  mergeMap,
  Observable,
  of,
  share,
  Subscriber,
  switchMap,
  takeUntil,
  takeWhile,
} from 'rxjs';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { SessionsService } from '../auth/sessions.service';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { JobEvent, JobEvents } from './events/job-events';
import { eventTypeFor, isTerminal } from './job-state';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { VideoJobEntity } from './video-job.entity';

type StreamEvent = { type: JobEventType | 'ping'; data: JobEventData | { at: string } };

const TERMINAL_EVENTS: ReadonlySet<string> = new Set([
  JobEventType.Succeeded,
  JobEventType.Failed,
  JobEventType.Cancelled,
]);

type Snapshot = StreamEvent & { job: VideoJobEntity; data: JobEventData };

/** What a stream keeps of its reader: enough to re-check the session, and no more. */
interface Reader {
  userId: string;
  sessionId: string;
  expiresAt: number;
}

/**
 * Builds the SSE streams. Each starts with a snapshot read from the database, so a reload or a
 * reconnect always resynchronises; live events that happen while the snapshot is read are
 * buffered, not lost.
 */
@Injectable()
export class JobStreams {
  constructor(
    private readonly jobs: JobsService,
    private readonly repository: JobsRepository,
    private readonly events: JobEvents,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /** Snapshot, then the job's events until its terminal event, then the end. */
  forJob(job: VideoJobEntity, principal: AuthenticatedUser): Observable<MessageEvent> {
    return this.withHeartbeat(
      readerOf(principal),
      this.snapshotThenLive(
        (event) => event.data.job.id === job.id,
        async () => [(await this.repository.findById(job.id)) ?? job],
        ([snapshot], live) => {
          if (isTerminal(snapshot.job.status)) {
            return of(snapshot, { type: eventTypeFor(snapshot.job.status), data: snapshot.data });
          }
          return concat(
            of(snapshot),
            live.pipe(takeWhile((event) => !TERMINAL_EVENTS.has(event.type), true)),
          );
        },
      ),
    );
  }

  /** Snapshots of the user's active jobs, then all of their events, until the session ends. */
  forUser(principal: AuthenticatedUser): Observable<MessageEvent> {
    const userId = principal.user.id;
    return this.withHeartbeat(
      readerOf(principal),
      this.snapshotThenLive(
        (event) => event.userId === userId,
        () => this.repository.listActive(userId),
        (snapshots, live) => concat(from(snapshots), live),
      ),
    );
  }

  /**
   * Subscribes to live events first and buffers them, then reads the snapshots, then hands both
   * to `build`; the live subscription lasts as long as the resulting stream.
   */
  private snapshotThenLive(
    wanted: (event: JobEvent) => boolean,
    load: () => Promise<VideoJobEntity[]>,
    build: (snapshots: Snapshot[], live: Observable<StreamEvent>) => Observable<StreamEvent>,
  ): Observable<StreamEvent> {
    return defer(() => {
      // Events that arrive before `build` listens wait here; after that they pass straight on.
      // When the events end (the process is shutting down), the streams end too, so closing the
      // server does not wait for clients to leave.
      const waiting: StreamEvent[] = [];
      let listener: Subscriber<StreamEvent> | null = null;
      let ended = false;
      const live = new Observable<StreamEvent>((subscriber) => {
        waiting.splice(0).forEach((event) => subscriber.next(event));
        if (ended) subscriber.complete();
        listener = subscriber;
        return () => (listener = null);
      });
      const subscription = this.events
        .events()
        .pipe(filter(wanted))
        .subscribe({
          next: ({ type, data }) =>
            listener ? listener.next({ type, data }) : waiting.push({ type, data }),
          complete: () => {
            ended = true;
            listener?.complete();
          },
        });
      return from(load()).pipe(
        mergeMap((jobs) =>
          Promise.all(
            jobs.map(
              async (job): Promise<Snapshot> => ({
                type: JobEventType.Snapshot,
                job,
                data: await this.jobs.snapshot(job),
              }),
            ),
          ),
        ),
        switchMap((snapshots) => build(snapshots, live)),
        finalize(() => subscription.unsubscribe()),
      );
    });
  }

  /**
   * Each heartbeat first re-checks the reader's session: once it has ended (logout, a password
   * change elsewhere, the account deleted, the token expired) the stream completes instead, and
   * the EventSource's reconnection is refused with 401. `null` marks that end.
   */
  private withHeartbeat(reader: Reader, events: Observable<StreamEvent>): Observable<MessageEvent> {
    const shared = events.pipe(share());
    const heartbeat = interval(this.config.sseHeartbeatSeconds * 1000).pipe(
      exhaustMap(() => this.isStillSignedIn(reader)),
      map((signedIn): StreamEvent | null =>
        signedIn ? { type: 'ping', data: { at: new Date().toISOString() } } : null,
      ),
      takeUntil(shared.pipe(ignoreElements(), endWith(null))),
    );
    return defer(() => {
      // Counted from the client's subscription to its end, however it ends (completed, closed).
      this.metrics.streamOpened();
      return merge(shared, heartbeat).pipe(
        takeWhile((event): event is StreamEvent => event !== null),
        map((event, index) => ({ id: String(index + 1), type: event.type, data: event.data })),
        finalize(() => this.metrics.streamClosed()),
      );
    });
  }

  /** A check that fails (the database is away) ends the stream too: reconnecting re-checks. */
  private async isStillSignedIn({ userId, sessionId, expiresAt }: Reader): Promise<boolean> {
    if (Date.now() >= expiresAt) return false;
    return this.sessions.isActive(sessionId, userId).catch(() => false);
  }
}

function readerOf({ user, sessionId, expiresAt }: AuthenticatedUser): Reader {
  return { userId: user.id, sessionId, expiresAt: expiresAt.getTime() };
}

import { inject, Injectable, InjectionToken } from '@angular/core';
import { ApiRoutes, JobEventData, JobEventType, TERMINAL_JOB_STATUSES } from '@vidgen/contracts';
import {
  defer,
  EMPTY,
  filter,
  from,
  mergeMap,
  Observable,
  of,
  retry,
  switchMap,
  timer,
} from 'rxjs';
import { AuthService } from '../auth/auth.service';
import { ReconnectDelay } from './reconnect-delay';

/** Opens a server-sent event stream; tests swap in a fake, since jsdom has no EventSource. */
export type EventSourceFactory = (url: string) => EventSource;

export const EVENT_SOURCE_FACTORY = new InjectionToken<EventSourceFactory>('EventSourceFactory', {
  providedIn: 'root',
  // Same origin, so the session cookie goes along; EventSource cannot send headers.
  factory: () => (url) => new EventSource(url),
});

export interface JobEvent {
  type: JobEventType;
  data: JobEventData;
}

/**
 * Told by `all()` each time its stream opens again after a gap. Events of the gap are not sent
 * again (the server may replay them, but it may also send only a snapshot of the active jobs),
 * so whatever the consumer shows may be out of date: it fetches it again.
 */
export interface JobStreamReopened {
  type: 'reopened';
}

export type JobStreamMessage = JobEvent | JobStreamReopened;

const REOPENED: JobStreamReopened = { type: 'reopened' };

/** The EventSource's `open`, passed from `open()` to `all()`, which alone needs it. */
interface StreamOpened {
  type: 'open';
}

/**
 * The browser gave up on the stream: the server answered other than 200 (401, 404, 429 or 503,
 * a proxy's 502) or sent a body that is not an event stream.
 */
export class JobStreamClosedError extends Error {
  constructor(readonly url: string) {
    super(`The live updates from ${url} stopped.`);
    this.name = 'JobStreamClosedError';
  }
}

const EVENT_TYPES = Object.values(JobEventType);
const TERMINAL_EVENTS: readonly JobEventType[] = [
  JobEventType.Succeeded,
  JobEventType.Failed,
  JobEventType.Cancelled,
];
// EventSource.CLOSED; read as a literal so a fake without the static still compares.
const CLOSED = 2;

/** The job event streams as Observables; components turn them into signals. */
@Injectable({ providedIn: 'root' })
export class JobStreamService {
  private readonly createEventSource = inject(EVENT_SOURCE_FACTORY);
  private readonly auth = inject(AuthService);

  /**
   * Events of one job, completing after its terminal event. The connection is closed then,
   * or EventSource would reconnect to a stream the server has ended on purpose.
   */
  job(jobId: string): Observable<JobEvent> {
    return this.open(ApiRoutes.jobStream(jobId), true).pipe(filter(isJobEvent));
  }

  /**
   * Events of all of the caller's jobs, with a `reopened` message each time the stream opens
   * again after a gap: after the browser's own reconnection, or a new connection after the
   * server refused one. A refusal before the first open counts as a gap too, since the consumer
   * loaded what it shows when it subscribed.
   *
   * When the browser gives up (the server answered other than 200, which EventSource does not
   * say), the session is asked about over HTTP: if it has ended, the error interceptor sends the
   * person to log in and this completes; otherwise a new connection follows after a growing wait.
   */
  all(): Observable<JobStreamMessage> {
    return defer(() => {
      const delay = new ReconnectDelay();
      let gap = false;
      return this.open(ApiRoutes.jobsStream, false).pipe(
        retry({
          delay: () => {
            gap = true;
            return this.reopenAfter(delay);
          },
        }),
        mergeMap((message): Observable<JobStreamMessage> => {
          if (isJobEvent(message)) return of(message);
          delay.reset();
          const reopened = gap;
          gap = true;
          return reopened ? of(REOPENED) : EMPTY;
        }),
      );
    });
  }

  /** Completes at once, ending the retries, when the session has ended; else waits a while. */
  private reopenAfter(delay: ReconnectDelay): Observable<unknown> {
    return from(this.auth.sessionEnded()).pipe(
      switchMap((ended) => (ended ? EMPTY : timer(delay.next()))),
    );
  }

  private open(url: string, endsOnTerminal: boolean): Observable<JobEvent | StreamOpened> {
    return new Observable<JobEvent | StreamOpened>((subscriber) => {
      const source = this.createEventSource(url);

      const onOpen = () => subscriber.next({ type: 'open' });
      source.addEventListener('open', onOpen);

      const listener = (event: Event) => {
        const type = event.type as JobEventType;
        const data = parseData((event as MessageEvent).data);
        if (!data) return;
        subscriber.next({ type, data });
        if (endsOnTerminal && isTerminal(type, data)) {
          source.close();
          subscriber.complete();
        }
      };
      for (const type of EVENT_TYPES) source.addEventListener(type, listener);

      // While readyState is CONNECTING the browser retries by itself, and `open` says it is back.
      source.onerror = () => {
        if (source.readyState === CLOSED) {
          subscriber.error(new JobStreamClosedError(url));
        }
      };

      return () => {
        source.removeEventListener('open', onOpen);
        for (const type of EVENT_TYPES) source.removeEventListener(type, listener);
        source.onerror = null;
        source.close();
      };
    });
  }
}

function isJobEvent(message: JobEvent | StreamOpened): message is JobEvent {
  return message.type !== 'open';
}

/**
 * A snapshot of a finished job counts too: the server ends that stream right away, and waiting
 * for another event would only make EventSource reconnect.
 */
function isTerminal(type: JobEventType, data: JobEventData): boolean {
  if (TERMINAL_EVENTS.includes(type)) return true;
  return type === JobEventType.Snapshot && TERMINAL_JOB_STATUSES.includes(data.job.status);
}

function parseData(raw: unknown): JobEventData | null {
  if (typeof raw !== 'string') return null;
  try {
    const data = JSON.parse(raw) as Partial<JobEventData> | null;
    return data && typeof data.job === 'object' && data.job !== null
      ? (data as JobEventData)
      : null;
  } catch {
    return null;
  }
}

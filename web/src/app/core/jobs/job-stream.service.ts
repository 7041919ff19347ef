import { inject, Injectable, InjectionToken } from '@angular/core';
import { ApiRoutes, JobEventData, JobEventType, TERMINAL_JOB_STATUSES } from '@vidgen/contracts';
import { Observable, retry, timer } from 'rxjs';

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

/** The browser gave up on the stream (a 401 or 404, or a body that is not an event stream). */
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
const ALL_JOBS_RETRY_MS = 5000;

/** The job event streams as Observables; components turn them into signals. */
@Injectable({ providedIn: 'root' })
export class JobStreamService {
  private readonly createEventSource = inject(EVENT_SOURCE_FACTORY);

  /**
   * Events of one job, completing after its terminal event. The connection is closed then,
   * or EventSource would reconnect to a stream the server has ended on purpose.
   */
  job(jobId: string): Observable<JobEvent> {
    return this.open(ApiRoutes.jobStream(jobId), true);
  }

  /** Events of all of the caller's jobs; never completes, and reopens if the browser gives up. */
  all(): Observable<JobEvent> {
    return this.open(ApiRoutes.jobsStream, false).pipe(
      retry({ delay: () => timer(ALL_JOBS_RETRY_MS) }),
    );
  }

  private open(url: string, endsOnTerminal: boolean): Observable<JobEvent> {
    return new Observable<JobEvent>((subscriber) => {
      const source = this.createEventSource(url);

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

      // While readyState is CONNECTING the browser retries by itself and the snapshot re-syncs.
      source.onerror = () => {
        if (source.readyState === CLOSED) {
          subscriber.error(new JobStreamClosedError(url));
        }
      };

      return () => {
        for (const type of EVENT_TYPES) source.removeEventListener(type, listener);
        source.onerror = null;
        source.close();
      };
    });
  }
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

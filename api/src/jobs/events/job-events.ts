import { JobEventData, JobEventType } from '@vidgen/contracts';
import { Observable } from 'rxjs';

/** A change of a job, as published: the port gives it its id. */
export interface NewJobEvent {
  userId: string;
  type: JobEventType;
  data: JobEventData;
}

/**
 * A change of a job as the streams see it. `id` is a position in its user's events (see
 * event-ids.ts): a stream that resumes from it misses nothing published after it.
 */
export interface JobEvent extends NewJobEvent {
  id: string;
}

/**
 * What each user's replay buffer keeps: the changes of state (status and terminal events), not
 * progress, which the next progress event or any snapshot supersedes. A gap longer than this, or
 * with more events, resumes from a snapshot instead (see JobStreams).
 */
export const REPLAY_BUFFER = { events: 100, ttlMs: 15 * 60_000 } as const;

/** Whether an event of this type goes into the replay buffer. */
export function isReplayed(type: JobEventType): boolean {
  return type !== JobEventType.Progress;
}

/**
 * The port through which job changes reach the SSE streams, in this process or across many, and
 * through which a stream that reconnects gets what its user missed.
 */
export abstract class JobEvents {
  /** Never throws: an event that cannot be sent is logged and dropped (streams resync on reconnect). */
  abstract publish(event: NewJobEvent): void;
  /** Every event published by any process, from now on; completes when the process shuts down. */
  abstract events(): Observable<JobEvent>;
  /**
   * An id marking the present in the user's events: a stream resuming from it misses nothing
   * published after this call. Never throws.
   */
  abstract position(userId: string): Promise<string>;
  /**
   * The user's replayed events published after `afterId`, oldest first; `null` when the buffer
   * does not reach back that far (trimmed, expired, never seen, or not reachable right now).
   * Never throws.
   */
  abstract replay(userId: string, afterId: string): Promise<JobEvent[] | null>;
  /** Throws when events cannot cross processes right now (for the health check). */
  abstract check(): Promise<void>;
}

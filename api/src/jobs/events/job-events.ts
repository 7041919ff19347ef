import { JobEventData, JobEventType } from '@vidgen/contracts';
import { Observable } from 'rxjs';

export interface JobEvent {
  userId: string;
  type: JobEventType;
  data: JobEventData;
}

/** The port through which job changes reach the SSE streams, in this process or across many. */
export abstract class JobEvents {
  /** Never throws: an event that cannot be sent is logged and dropped (streams resync on reconnect). */
  abstract publish(event: JobEvent): void;
  /** Every event published by any process, from now on; completes when the process shuts down. */
  abstract events(): Observable<JobEvent>;
  /** Throws when events cannot cross processes right now (for the health check). */
  abstract check(): Promise<void>;
}

/** How a job's run ended; `interrupted`: the process shut down and the job runs again later. */
export type JobOutcome = 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

/**
 * The port the platform reports what it does through, as it happens. Counts that the database
 * or the queue already hold (jobs by state, queue depth) are read when the metrics are scraped
 * instead (see JobGauges).
 */
export abstract class Metrics {
  abstract jobEnded(provider: string, outcome: JobOutcome, seconds: number): void;
  abstract streamOpened(): void;
  abstract streamClosed(): void;
  /** `route` is the route's pattern (`/api/videos/:id`), never the URL: labels must stay few. */
  abstract httpAnswered(method: string, route: string, statusCode: number, seconds: number): void;
}

/** Metrics off (the default): nothing is kept. */
export class NoMetrics extends Metrics {
  jobEnded(): void {
    // Metrics are off.
  }

  streamOpened(): void {
    // Metrics are off.
  }

  streamClosed(): void {
    // Metrics are off.
  }

  httpAnswered(): void {
    // Metrics are off.
  }
}

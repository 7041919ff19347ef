export type JobHandler = (jobId: string) => Promise<void>;

/**
 * The port that delivers job ids to workers. It only delivers: the job row says whether there
 * is still work to do, so a lost or repeated delivery is harmless.
 */
export abstract class JobQueue {
  /**
   * True when this process is the only one taking jobs from this queue (the embedded adapter):
   * a job still marked running when it starts was then left by a process that is gone.
   */
  abstract readonly onlyConsumer: boolean;
  /**
   * An id already waiting is not queued twice. An id being delivered right now is delivered
   * again once that delivery ends (how a job handed back at shutdown reaches another worker).
   * Throws when the queue is unreachable, so the caller can refuse the work.
   */
  abstract enqueue(jobId: string): Promise<void>;
  /** Starts delivering to `handler`, at most the configured number at a time. */
  abstract process(handler: JobHandler): void;
  /** Stops delivering and waits for the handlers that are running. */
  abstract stop(): Promise<void>;
  /** Throws when the queue cannot take work. */
  abstract check(): Promise<void>;
  /** Jobs waiting for a worker, not counting those running (for the metrics). */
  abstract depth(): Promise<number>;
}

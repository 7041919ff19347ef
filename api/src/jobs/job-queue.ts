import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

export type JobHandler = (jobId: string) => Promise<void>;

/**
 * The port that delivers job ids to workers. It only delivers: the job row says whether there
 * is still work to do, so a lost or repeated delivery is harmless.
 */
export abstract class JobQueue {
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

/** The embedded adapter: a FIFO in memory, for a single process. */
@Injectable()
export class InProcessJobQueue extends JobQueue {
  private readonly logger = new Logger(InProcessJobQueue.name);
  private readonly pending: string[] = [];
  private readonly running = new Set<Promise<void>>();
  private handler?: JobHandler;
  private stopped = false;

  constructor(private readonly config: AppConfig) {
    super();
  }

  async enqueue(jobId: string): Promise<void> {
    if (this.pending.includes(jobId)) return;
    this.pending.push(jobId);
    this.drain();
  }

  process(handler: JobHandler): void {
    this.handler = handler;
    this.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.running]);
  }

  async check(): Promise<void> {
    if (this.stopped) throw new Error('The job queue has stopped.');
  }

  async depth(): Promise<number> {
    return this.pending.length;
  }

  private drain(): void {
    const handler = this.handler;
    while (
      handler &&
      !this.stopped &&
      this.running.size < this.config.jobConcurrency &&
      this.pending.length > 0
    ) {
      const jobId = this.pending.shift() as string;
      const run = handler(jobId)
        .catch((error) =>
          this.logger.error({ msg: 'Job handler failed', jobId, err: String(error) }),
        )
        .finally(() => {
          this.running.delete(run);
          this.drain();
        });
      this.running.add(run);
    }
  }
}

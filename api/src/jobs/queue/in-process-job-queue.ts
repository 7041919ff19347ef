import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { JobHandler, JobQueue } from './job-queue';

/** The embedded adapter: a FIFO in memory, for a single process. */
@Injectable()
export class InProcessJobQueue extends JobQueue {
  readonly onlyConsumer = true;
  private readonly logger = new Logger(InProcessJobQueue.name);
  private readonly pending: string[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly delivering = new Set<string>();
  /** Ids enqueued while being delivered, to be delivered again after. */
  private readonly redeliver = new Set<string>();
  private handler?: JobHandler;
  private stopped = false;

  constructor(private readonly config: AppConfig) {
    super();
  }

  async enqueue(jobId: string): Promise<void> {
    if (this.delivering.has(jobId)) {
      this.redeliver.add(jobId);
      return;
    }
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
      this.delivering.add(jobId);
      const run = handler(jobId)
        .catch((error) =>
          this.logger.error({ msg: 'Job handler failed', jobId, err: String(error) }),
        )
        .finally(() => {
          this.running.delete(run);
          this.delivering.delete(jobId);
          // First in line: it was accepted before anything waiting now (as in the BullMQ adapter).
          if (this.redeliver.delete(jobId)) this.pending.unshift(jobId);
          this.drain();
        });
      this.running.add(run);
    }
  }
}

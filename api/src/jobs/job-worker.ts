import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { JobEventType } from '@vidgen/contracts';
import { filter, Subscription } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { JobEvents } from './events/job-events';
import { JobCancellations, JobCancelledError, ShutdownError } from './job-cancellations';
import { JobRunner, RESTART_STAGE } from './job-runner';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { JobQueue } from './queue/job-queue';

/**
 * A worker's life: it takes jobs from the queue, takes over the jobs of workers that died
 * (their lease ran out), and at shutdown lets its running jobs finish within a grace period and
 * hands the rest back at once.
 */
@Injectable()
export class JobWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobWorker.name);
  private sweeps?: NodeJS.Timeout;
  private cancels?: Subscription;

  constructor(
    private readonly jobs: JobsService,
    private readonly repository: JobsRepository,
    private readonly queue: JobQueue,
    private readonly events: JobEvents,
    private readonly cancellations: JobCancellations,
    private readonly runner: JobRunner,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A cancel may be answered by another process: the event tells this one to stop the run.
    this.cancels = this.events
      .events()
      .pipe(filter((event) => event.type === JobEventType.Cancelled))
      .subscribe((event) => this.cancellations.abort(event.data.job.id, new JobCancelledError()));
    // With the queue its own, nothing else can be running a job: every running row is orphaned.
    await this.sweepQuietly(this.queue.onlyConsumer ? undefined : new Date());
    this.queue.process((jobId) => this.runner.run(jobId));
    const every = (this.config.jobLeaseSeconds * 1000) / 2;
    this.sweeps = setInterval(() => void this.sweepQuietly(new Date()), every).unref();
  }

  /**
   * In the first phase of the shutdown: the queue, the events and the storage close in the later
   * ones, so jobs finishing in the grace period are stored and announced, and those handed back
   * reach another worker at once.
   */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweeps);
    this.cancels?.unsubscribe();
    const stopped = this.queue.stop();
    let graceOver: NodeJS.Timeout | undefined;
    await Promise.race([
      stopped,
      new Promise(
        (done) => (graceOver = setTimeout(done, this.config.jobShutdownGraceSeconds * 1000)),
      ),
    ]);
    clearTimeout(graceOver);
    // The runs still going hand their jobs back (JobRunner.fail).
    this.cancellations.abortAll(new ShutdownError());
    await stopped;
  }

  /**
   * Gives the jobs of dead workers (lease expired by `leaseExpiredBy`; all running ones when
   * unset) back to the queue as their next attempt, and enqueues every queued job again: the
   * row is the truth, and an enqueue lost to a crash or a queue outage must not strand a job.
   */
  private async sweep(leaseExpiredBy?: Date): Promise<void> {
    for (const job of await this.repository.listOrphaned(leaseExpiredBy)) {
      if (await this.jobs.requeue(job, RESTART_STAGE, leaseExpiredBy)) {
        this.logger.warn({
          msg: 'Taking over a job whose worker stopped',
          jobId: job.id,
          previousWorker: job.workerId,
          attempt: job.attempt + 1,
        });
      }
    }
    for (const jobId of await this.repository.queuedOrder()) await this.queue.enqueue(jobId);
  }

  /** A sweep that fails (the database or the queue is away) is tried again at the next tick. */
  private async sweepQuietly(leaseExpiredBy?: Date): Promise<void> {
    try {
      await this.sweep(leaseExpiredBy);
    } catch (error) {
      this.logger.warn({ msg: 'Could not sweep the jobs; trying again', err: String(error) });
    }
  }
}

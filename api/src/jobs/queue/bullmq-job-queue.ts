import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { isNotConnectionError, Job, Queue, WaitingError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config';
import {
  deadline,
  FAIL_FAST,
  REDIS_TIMEOUT_MS,
  RedisConnections,
  RedisUnavailableError,
  whenReady,
} from '../../redis/redis-connections';
import { JobHandler, JobQueue } from './job-queue';

const QUEUE_NAME = 'video-jobs';
const DELIVERY_NAME = 'video-job';
/**
 * BullMQ would fail a job after this many stalls; the row, not the queue, decides whether a
 * job is over, so a delivery is handed out again however often its worker dies.
 */
const NEVER_FAIL_STALLED = Number.MAX_SAFE_INTEGER;
/** How long stop() waits, once the handlers are done, for BullMQ to record their ends. */
const RECORD_ENDS_TIMEOUT_MS = 5000;

/**
 * The scaled adapter: job ids in a BullMQ queue, taken by the workers of every process. The
 * BullMQ job id is the row id, so an id waiting or being delivered is one BullMQ job.
 */
@Injectable()
export class BullmqJobQueue extends JobQueue implements OnApplicationShutdown {
  readonly onlyConsumer = false;
  private readonly logger = new Logger(BullmqJobQueue.name);
  private readonly producer: Redis;
  private readonly queue: Queue;
  private worker?: Worker;
  private workerClient?: Redis;
  /**
   * Ids this process is delivering, with how many deliveries of each: two when BullMQ hands out
   * again a delivery whose lock lapsed (Redis away for a lease) while its handler still ran.
   */
  private readonly delivering = new Map<string, number>();
  /** Ids enqueued while this process delivered them, to be delivered again after. */
  private readonly redeliver = new Set<string>();
  private readonly handlers = new Set<Promise<void>>();

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisConnections,
  ) {
    super();
    // Fail fast, as BullMQ advises for producers: a submit must be refused, not left hanging.
    this.producer = redis.create('queue', FAIL_FAST);
    this.queue = new Queue(QUEUE_NAME, { connection: this.producer, prefix: redis.keyPrefix });
    this.queue.on('error', (error) => this.logError('queue', error));
  }

  async enqueue(jobId: string): Promise<void> {
    // BullMQ ignores an add while the job exists; the delivery puts it back when it ends. (An
    // enqueue in the instant between the handler's end and BullMQ's record of it is ignored:
    // the row is still queued then, and the runner's sweep of queued rows enqueues it again.)
    if (this.delivering.has(jobId)) {
      this.redeliver.add(jobId);
      return;
    }
    await this.connected();
    try {
      await this.queue.add(
        DELIVERY_NAME,
        {},
        // Removed once delivered, so that the same id can be enqueued again later (a retry).
        { jobId, removeOnComplete: true, removeOnFail: true },
      );
    } catch (error) {
      throw new RedisUnavailableError('The job queue cannot take work right now.', error);
    }
  }

  process(handler: JobHandler): void {
    if (this.worker) throw new Error('The job queue already delivers to a handler.');
    const leaseMs = this.config.jobLeaseSeconds * 1000;
    // Blocking reads and lock renewals wait for Redis instead of failing, as BullMQ requires.
    this.workerClient = this.redis.create('queue-worker', { maxRetriesPerRequest: null });
    this.worker = new Worker(QUEUE_NAME, (job, token) => this.deliver(handler, job, token), {
      connection: this.workerClient,
      prefix: this.redis.keyPrefix,
      concurrency: this.config.jobConcurrency,
      // A delivery whose worker stopped renewing its lock for a lease, as long as the row's
      // lease, is found by the next stall check (twice a lease) and handed out again.
      lockDuration: leaseMs,
      stalledInterval: leaseMs / 2,
      maxStalledCount: NEVER_FAIL_STALLED,
    });
    this.worker.on('error', (error) => this.logError('worker', error));
    this.worker.on('stalled', (jobId) =>
      this.logger.warn({ msg: 'A delivery outlived its worker and is handed out again', jobId }),
    );
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    // Takes no new delivery; those already fetched still start, so their handlers are awaited too.
    const closed = worker.close();
    for (;;) {
      await Promise.allSettled([...this.handlers]);
      try {
        // What is left is BullMQ recording the ends, which waits for Redis while it is away; the
        // locks then expire by themselves and the rows still say what is left to do.
        await deadline(closed, RECORD_ENDS_TIMEOUT_MS, 'Recording the ended deliveries');
        return;
      } catch (error) {
        if (this.handlers.size > 0) continue;
        this.logger.warn({ msg: 'The job queue stopped without recording', err: String(error) });
        return;
      }
    }
  }

  async check(): Promise<void> {
    await this.connected();
    await this.producer.ping();
  }

  async depth(): Promise<number> {
    await this.connected();
    return this.queue.getJobCountByTypes('waiting', 'delayed', 'prioritized');
  }

  async onApplicationShutdown(): Promise<void> {
    // A handler still running now is abandoned as in a crash: its lock expires and BullMQ
    // hands the delivery out again.
    const closing = [this.worker?.close(true), this.queue.close()];
    await deadline(Promise.all(closing), REDIS_TIMEOUT_MS, 'Closing the queue').catch(
      () => undefined,
    );
    await Promise.all(
      [this.producer, this.workerClient].map((client) => client && this.redis.close(client)),
    );
  }

  /** BullMQ would wait for the first connection without a bound; callers get an answer in one. */
  private connected(): Promise<void> {
    return whenReady(this.producer, 'The job queue');
  }

  private async deliver(handler: JobHandler, job: Job, token?: string): Promise<void> {
    const jobId = job.id;
    if (!jobId) return;
    this.delivering.set(jobId, (this.delivering.get(jobId) ?? 0) + 1);
    // A handler that throws leaves its row as it was; the runner's sweep enqueues it again.
    const handled = handler(jobId).catch((error) =>
      this.logger.error({ msg: 'Job handler failed', jobId, err: String(error) }),
    );
    this.handlers.add(handled);
    await handled;
    this.handlers.delete(handled);
    const left = (this.delivering.get(jobId) ?? 1) - 1;
    if (left > 0) this.delivering.set(jobId, left);
    else this.delivering.delete(jobId);
    if (!this.redeliver.delete(jobId)) return;
    // Back to the head of the waiting list in one step, so no crash in between can lose it.
    await job.moveToWait(token);
    throw new WaitingError();
  }

  private logError(source: 'queue' | 'worker', error: Error): void {
    // Lost connections are logged once per outage by RedisConnections.
    if (isNotConnectionError(error)) {
      this.logger.error({ msg: `BullMQ ${source} error`, err: String(error) });
    }
  }
}

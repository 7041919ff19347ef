import { Injectable, Logger } from '@nestjs/common';
import { JobEventType, JobStatus } from '@vidgen/contracts';
import { EntityManager } from 'typeorm';
import { InvalidStateError, NotFoundError } from '../common/errors/domain-errors';
import { VideoEntity } from '../videos/video.entity';
import { VideoView } from '../videos/video.presenter';
import { JobEvents } from './events/job-events';
import { JobCancellations, JobCancelledError } from './job-cancellations';
import { canTransition, eventTypeFor, InvalidJobTransitionError, isTerminal } from './job-state';
import { JobView } from './job.presenter';
import { JobChanges, JobRun, JobsRepository } from './jobs.repository';
import { LiveProgress } from './progress/live-progress';
import { JobQueue } from './queue/job-queue';
import { VideoJobEntity } from './video-job.entity';

export interface JobWithVideo {
  job: JobView;
  video: VideoView;
}

/**
 * Told of each job that ends (succeeded, failed or cancelled), inside the transaction that ends
 * it, with the job and its video as written: what it writes commits with the job's final state or
 * not at all, so no crash in between can lose it (an outbox). Modules that react to outcomes
 * (webhooks) add theirs, so that jobs depend on none of them.
 */
export interface JobOutcomeListener {
  jobEnded(job: VideoJobEntity, video: VideoEntity, manager: EntityManager): Promise<void>;
}

@Injectable()
export class JobsService {
  private readonly logger = new Logger(JobsService.name);
  private readonly outcomeListeners: JobOutcomeListener[] = [];

  constructor(
    private readonly jobs: JobsRepository,
    private readonly events: JobEvents,
    private readonly queue: JobQueue,
    private readonly cancellations: JobCancellations,
    private readonly liveProgress: LiveProgress,
  ) {}

  async getOwned(id: string, userId: string): Promise<VideoJobEntity> {
    const job = await this.jobs.findOwned(id, userId);
    if (!job) throw new NotFoundError('There is no job with this id.');
    return job;
  }

  async get(id: string, userId: string): Promise<JobView> {
    return this.present(await this.getOwned(id, userId));
  }

  async list(userId: string, activeOnly: boolean): Promise<JobView[]> {
    const [jobs, order] = await Promise.all([
      activeOnly ? this.jobs.listActive(userId) : this.jobs.listRecent(userId),
      this.jobs.queuedOrder(),
    ]);
    const live = await this.withLiveProgress(jobs);
    return live.map((job) => JobView.from(job, positionIn(order, job.id)));
  }

  async present(job: VideoJobEntity): Promise<JobView> {
    if (job.status !== JobStatus.Queued) {
      const [live] = await this.withLiveProgress([job]);
      return JobView.from(live);
    }
    return JobView.from(job, positionIn(await this.jobs.queuedOrder(), job.id));
  }

  /** The job and its video as they are now, for snapshots. */
  async snapshot(job: VideoJobEntity): Promise<JobWithVideo> {
    const [view, video] = await Promise.all([this.present(job), this.jobs.findVideo(job.videoId)]);
    if (!video) throw new NotFoundError('There is no video for this job.');
    return { job: view, video: VideoView.from(video) };
  }

  /** Adds a listener of the jobs that end, for the life of the process (see JobOutcomeListener). */
  listenToOutcomes(listener: JobOutcomeListener): void {
    this.outcomeListeners.push(listener);
  }

  /** Tells the streams about a new job, so lists open elsewhere show it at once. */
  async announce(job: VideoJobEntity): Promise<JobWithVideo> {
    const result = await this.snapshot(job);
    this.events.publish({ userId: job.userId, type: JobEventType.Status, data: result });
    return result;
  }

  /**
   * Hands a queued job to the workers. Never fails: while the queue is away (Redis down) the job
   * stays queued in its row, and the workers' sweep enqueues it once the queue is back.
   */
  async enqueue(jobId: string): Promise<void> {
    await this.queue.enqueue(jobId).catch((error) =>
      this.logger.warn({
        msg: 'Could not enqueue a job; the workers will once the queue is back',
        jobId,
        err: String(error),
      }),
    );
  }

  /**
   * The one way a job changes state: writes the job and its video, then tells the streams.
   * Returns null when the job had already left `job.status` (another actor moved it first).
   */
  async transition(
    job: VideoJobEntity,
    to: JobStatus,
    changes: JobChanges = {},
    videoChanges: Partial<VideoEntity> = {},
  ): Promise<JobWithVideo | null> {
    return this.move(job, to, changes, videoChanges);
  }

  /**
   * Gives a running job back to the queue as its next attempt: its worker stopped, or died and
   * left a lease that ran out by `onlyIfLeaseExpiredBy`. An upstream job id stays, so the next
   * attempt resumes the same upstream work. Null when the job had moved on meanwhile.
   */
  async requeue(
    job: VideoJobEntity,
    stage: string,
    onlyIfLeaseExpiredBy?: Date,
  ): Promise<JobWithVideo | null> {
    const changes: JobChanges = {
      attempt: job.attempt + 1,
      progress: 0,
      stage,
      startedAt: null,
      workerId: null,
      leaseExpiresAt: null,
    };
    const moved = await this.move(job, JobStatus.Queued, changes, {}, onlyIfLeaseExpiredBy);
    if (moved) {
      this.liveProgress.forget(job.id);
      await this.enqueue(job.id);
    }
    return moved;
  }

  private async move(
    job: VideoJobEntity,
    to: JobStatus,
    changes: JobChanges,
    videoChanges: Partial<VideoEntity>,
    onlyIfLeaseExpiredBy?: Date,
  ): Promise<JobWithVideo | null> {
    if (!canTransition(job.status, to)) throw new InvalidJobTransitionError(job.status, to);
    const moved = await this.jobs.transition(
      job,
      [job.status],
      to,
      changes,
      videoChanges,
      onlyIfLeaseExpiredBy,
      isTerminal(to) ? (manager) => this.tellOutcome(job, manager) : undefined,
    );
    if (!moved) return null;
    // At once, whatever happens to the reads below: a cancelled job's runner must stop.
    if (to === JobStatus.Cancelled) this.cancellations.abort(job.id, new JobCancelledError());
    const updated = await this.jobs.findById(job.id);
    if (!updated) return null;
    const result = await this.snapshot(updated);
    this.events.publish({ userId: job.userId, type: eventTypeFor(to), data: result });
    return result;
  }

  private async tellOutcome(job: VideoJobEntity, manager: EntityManager): Promise<void> {
    if (this.outcomeListeners.length === 0) return;
    const ended = await this.jobs.findById(job.id, manager);
    const video = await this.jobs.findVideo(job.videoId, manager);
    if (!ended || !video) return;
    for (const listener of this.outcomeListeners) await listener.jobEnded(ended, video, manager);
  }

  /** Tells the streams about progress; the runner saves it to the row at a slower pace. */
  publishProgress(job: VideoJobEntity, progress: number, stage: string): void {
    this.liveProgress.set(job.id, { progress, stage });
    const view = JobView.from({ ...job, progress, stage });
    this.events.publish({ userId: job.userId, type: JobEventType.Progress, data: { job: view } });
  }

  saveProgress(run: JobRun, progress: number, stage: string): Promise<void> {
    return this.jobs.saveProgress(run, progress, stage);
  }

  /** The runner is done with the job: from now on its row alone tells its progress. */
  forgetProgress(jobId: string): void {
    this.liveProgress.forget(jobId);
  }

  /**
   * Running jobs as far as their runner last published: the row is saved at most once a second,
   * and a page loading just after an update must not start behind what the streams showed.
   */
  private async withLiveProgress(jobs: VideoJobEntity[]): Promise<VideoJobEntity[]> {
    const running = jobs.filter((job) => job.status === JobStatus.Running).map((job) => job.id);
    if (running.length === 0) return jobs;
    const live = await this.liveProgress.read(running);
    return jobs.map((job) => {
      const progress = live.get(job.id);
      // Never behind the row: an entry may outlive a take-over by its time to live.
      return progress && progress.progress >= job.progress ? { ...job, ...progress } : job;
    });
  }

  /** Stops a queued or running job (see transition); the runner removes its partial files. */
  async cancel(id: string, userId: string): Promise<JobView> {
    // A queued job may start while we cancel it: then the move fails and is tried from running.
    for (;;) {
      const job = await this.getOwned(id, userId);
      if (isTerminal(job.status)) {
        const state = job.status === JobStatus.Succeeded ? 'finished' : job.status;
        throw new InvalidStateError(`This job has already ${state}.`);
      }
      const result = await this.transition(job, JobStatus.Cancelled, {
        stage: 'Cancelled',
        finishedAt: new Date(),
      });
      if (result) return result.job;
    }
  }
}

function positionIn(order: string[], jobId: string): number | null {
  const index = order.indexOf(jobId);
  return index === -1 ? null : index + 1;
}

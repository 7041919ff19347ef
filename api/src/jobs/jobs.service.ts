import { Injectable } from '@nestjs/common';
import { JobEventType, JobStatus } from '@vidgen/contracts';
import { InvalidStateError, NotFoundError } from '../common/errors/domain-errors';
import { VideoEntity } from '../videos/video.entity';
import { VideoView } from '../videos/video.presenter';
import { JobCancellations, JobCancelledError } from './job-cancellations';
import { JobEvents } from './job-events';
import { JobQueue } from './job-queue';
import { canTransition, eventTypeFor, InvalidJobTransitionError, isTerminal } from './job-state';
import { JobView } from './job.presenter';
import { JobChanges, JobsRepository } from './jobs.repository';
import { VideoJobEntity } from './video-job.entity';

export interface JobWithVideo {
  job: JobView;
  video: VideoView;
}

@Injectable()
export class JobsService {
  /**
   * The progress of this process's running jobs as last published. The row is saved at most
   * once a second, so reads overlay this: a page loading just after an update must not start
   * behind what the streams already showed.
   */
  private readonly liveProgress = new Map<string, { progress: number; stage: string }>();

  constructor(
    private readonly jobs: JobsRepository,
    private readonly events: JobEvents,
    private readonly queue: JobQueue,
    private readonly cancellations: JobCancellations,
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
    return jobs.map((job) => JobView.from(this.withLiveProgress(job), positionIn(order, job.id)));
  }

  async present(job: VideoJobEntity): Promise<JobView> {
    if (job.status !== JobStatus.Queued) return JobView.from(this.withLiveProgress(job));
    return JobView.from(job, positionIn(await this.jobs.queuedOrder(), job.id));
  }

  /** The job and its video as they are now, for snapshots. */
  async snapshot(job: VideoJobEntity): Promise<JobWithVideo> {
    const [view, video] = await Promise.all([this.present(job), this.jobs.findVideo(job.videoId)]);
    if (!video) throw new NotFoundError('There is no video for this job.');
    return { job: view, video: VideoView.from(video) };
  }

  /** Tells the streams about a new job, so lists open elsewhere show it at once. */
  async announce(job: VideoJobEntity): Promise<JobWithVideo> {
    const result = await this.snapshot(job);
    this.events.publish({ userId: job.userId, type: JobEventType.Status, data: result });
    return result;
  }

  enqueue(jobId: string): Promise<void> {
    return this.queue.enqueue(jobId);
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
    if (!canTransition(job.status, to)) throw new InvalidJobTransitionError(job.status, to);
    if (!(await this.jobs.transition(job, [job.status], to, changes, videoChanges))) return null;
    // At once, whatever happens to the reads below: a cancelled job's runner must stop.
    if (to === JobStatus.Cancelled) this.cancellations.abort(job.id, new JobCancelledError());
    const updated = await this.jobs.findById(job.id);
    if (!updated) return null;
    const result = await this.snapshot(updated);
    this.events.publish({ userId: job.userId, type: eventTypeFor(to), data: result });
    return result;
  }

  /** Tells the streams about progress; the runner saves it to the row at a slower pace. */
  publishProgress(job: VideoJobEntity, progress: number, stage: string): void {
    this.liveProgress.set(job.id, { progress, stage });
    const view = JobView.from({ ...job, progress, stage });
    this.events.publish({ userId: job.userId, type: JobEventType.Progress, data: { job: view } });
  }

  saveProgress(jobId: string, progress: number, stage: string): Promise<void> {
    return this.jobs.saveProgress(jobId, progress, stage);
  }

  /** The runner is done with the job: from now on its row alone tells its progress. */
  forgetProgress(jobId: string): void {
    this.liveProgress.delete(jobId);
  }

  private withLiveProgress(job: VideoJobEntity): VideoJobEntity {
    const live = job.status === JobStatus.Running ? this.liveProgress.get(job.id) : undefined;
    return live ? { ...job, ...live } : job;
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

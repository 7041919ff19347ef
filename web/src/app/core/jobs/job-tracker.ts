import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { JobStatus, TERMINAL_JOB_STATUSES, Video, VideoJob } from '@vidgen/contracts';
import { Subscription } from 'rxjs';
import { JobsApi } from '../api/jobs-api';
import { VideosApi } from '../api/videos-api';
import { ApiError, toApiError } from '../http/api-error';
import { JobStreamService } from './job-stream.service';
import { ReconnectDelay } from './reconnect-delay';

/**
 * Follows one job live for a page: the latest job and video as signals. Provide it in the
 * component, so leaving the page closes the stream.
 */
@Injectable()
export class JobTracker {
  private readonly streams = inject(JobStreamService);
  private readonly jobsApi = inject(JobsApi);
  private readonly videosApi = inject(VideosApi);

  private readonly currentJob = signal<VideoJob | null>(null);
  private readonly currentVideo = signal<Video | null>(null);
  private readonly failure = signal<ApiError | null>(null);

  readonly job = this.currentJob.asReadonly();
  readonly video = this.currentVideo.asReadonly();
  /** Set when the job could not be followed at all (not found, server unreachable). */
  readonly error = this.failure.asReadonly();
  readonly active = computed(() => {
    const status = this.currentJob()?.status;
    return status === JobStatus.Queued || status === JobStatus.Running;
  });

  private jobId: string | null = null;
  private subscription: Subscription | null = null;
  private reconnect: ReturnType<typeof setTimeout> | null = null;
  private readonly reconnectDelay = new ReconnectDelay();

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  get trackedJobId(): string | null {
    return this.jobId;
  }

  /** Starts following `jobId`; `seed` shows what the caller already knows until the snapshot. */
  track(jobId: string, seed?: { job: VideoJob; video?: Video }): void {
    if (jobId !== this.jobId) {
      this.stop();
      this.jobId = jobId;
      this.currentJob.set(null);
      this.currentVideo.set(null);
      this.failure.set(null);
      if (seed) this.apply(seed);
      this.listen(jobId);
    } else if (seed) {
      this.apply(seed);
    }
  }

  /** Answers of actions (cancel) land here too, ahead of the stream's own event. */
  apply(data: { job: VideoJob; video?: Video }): void {
    if (data.job.id !== this.jobId) return;
    this.currentJob.set(data.job);
    if (data.video) this.currentVideo.set(data.video);
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    if (this.reconnect) clearTimeout(this.reconnect);
    this.reconnect = null;
    this.reconnectDelay.reset();
    this.jobId = null;
  }

  private listen(jobId: string): void {
    this.subscription = this.streams.job(jobId).subscribe({
      next: (event) => {
        // The stream is up: the snapshot comes first on every connection.
        this.reconnectDelay.reset();
        this.apply(event.data);
      },
      error: () => void this.recover(jobId),
    });
  }

  /**
   * The browser gave up on the stream: ask once over HTTP, and listen again a while later if the
   * job still runs. That request also finds out about an ended session: its 401 sends the person
   * to log in, and nothing is retried. A refused stream (too many streams, a busy server) is
   * tried again after a growing wait.
   */
  private async recover(jobId: string): Promise<void> {
    try {
      const job = await this.jobsApi.get(jobId);
      const video = await this.videosApi.get(job.videoId);
      if (jobId !== this.jobId) return;
      this.apply({ job, video });
      if (!TERMINAL_JOB_STATUSES.includes(job.status)) {
        this.reconnect = setTimeout(() => this.listen(jobId), this.reconnectDelay.next());
      }
    } catch (error) {
      if (jobId === this.jobId) this.failure.set(toApiError(error));
    }
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobStatus, Orientation } from '@vidgen/contracts';
import { AppConfig } from '../config/app-config';
import { MediaError, MediaInfo, MediaTool } from '../media/media-tool';
import { JobOutcome, Metrics } from '../metrics/metrics';
import { ResultDownloader } from '../providers/result-downloader';
import {
  GenerationProgress,
  ProviderError,
  VIDEO_PROVIDER,
  VideoProvider,
} from '../providers/video-provider';
import { VideoStorage } from '../storage/video-storage';
import { VideoEntity } from '../videos/video.entity';
import { JobCancellations, JobCancelledError, ShutdownError } from './job-cancellations';
import { JobRun, JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { checkResult, WrongOrientationError } from './result-check';
import { VideoJobEntity } from './video-job.entity';

const PROGRESS_SAVE_INTERVAL_MS = 1000;

/** What a provider produced, once it is a file in the job's work folder. */
interface JobOutput {
  file: string;
  model: string | null;
  /** The upstream link it was copied from: provenance only, such links expire. */
  sourceUrl: string | null;
}

export class JobTimeoutError extends Error {
  constructor(readonly seconds: number) {
    super(`The generation took longer than ${formatDuration(seconds)} and was stopped.`);
    this.name = 'JobTimeoutError';
  }
}

/** The abort reason of a run whose job this worker no longer holds (taken over, or cancelled). */
export class LeaseLostError extends Error {
  constructor() {
    super('Another worker took the job over.');
    this.name = 'LeaseLostError';
  }
}

/** The stage a job shows while it waits for its next attempt after an interruption. */
export const RESTART_STAGE = 'Restarting after an interruption';

/**
 * Runs one delivered job: provider, then probe, thumbnail and storage, then the final state,
 * holding the job's lease all along.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);

  constructor(
    private readonly jobs: JobsService,
    private readonly repository: JobsRepository,
    private readonly cancellations: JobCancellations,
    private readonly storage: VideoStorage,
    private readonly media: MediaTool,
    private readonly config: AppConfig,
    @Inject(VIDEO_PROVIDER) private readonly provider: VideoProvider,
    private readonly downloader: ResultDownloader,
    private readonly metrics: Metrics,
  ) {}

  async run(jobId: string): Promise<void> {
    // Before the job turns running, so that no cancel or shutdown can fall in between.
    const controller = this.cancellations.register(jobId);
    if (!controller) return;
    try {
      const started = await this.start(jobId, controller.signal);
      if (started) await this.generate(started.job, started.video, controller);
    } finally {
      this.cancellations.unregister(jobId);
    }
  }

  /** Moves a queued job to running; null when there is nothing (more) to do. */
  private async start(
    jobId: string,
    signal: AbortSignal,
  ): Promise<{ job: VideoJobEntity; video: VideoEntity } | null> {
    const queued = await this.repository.findById(jobId);
    if (!queued || queued.status !== JobStatus.Queued) return null;
    const video = await this.repository.findVideo(queued.videoId);
    // Stopped before it started: a cancel has already moved it; after a shutdown it stays queued.
    if (!video || signal.aborted) return null;
    const now = Date.now();
    const changes = {
      startedAt: new Date(now),
      progress: 0,
      stage: 'Starting',
      workerId: this.config.workerId,
      leaseExpiresAt: new Date(now + this.config.jobLeaseSeconds * 1000),
    };
    if (!(await this.jobs.transition(queued, JobStatus.Running, changes))) return null;
    return { job: { ...queued, ...changes, status: JobStatus.Running }, video };
  }

  private async generate(
    job: VideoJobEntity,
    video: VideoEntity,
    controller: AbortController,
  ): Promise<void> {
    const timeout = setTimeout(
      () => controller.abort(new JobTimeoutError(this.config.jobTimeoutSeconds)),
      this.config.jobTimeoutSeconds * 1000,
    );
    const run: JobRun = { jobId: job.id, attempt: job.attempt, workerId: this.config.workerId };
    const lease = this.keepLease(run, controller);
    const report = this.progressReporter(job, run);
    const startedAt = performance.now();
    let outcome: JobOutcome = 'failed';
    let workDir: string | undefined;
    try {
      // A cancel or shutdown may have come while the job turned running.
      controller.signal.throwIfAborted();
      await this.removeEarlierAttempts(job, video);
      workDir = await this.storage.createWorkDir(`${job.id}-${job.attempt}`);
      const result = await this.provider.generate(
        {
          jobId: job.id,
          prompt: video.prompt,
          orientation: video.requestedOrientation,
          durationSeconds: video.requestedDurationSeconds,
          workDir,
          upstreamJobId: job.upstreamJobId,
          rememberUpstreamJob: (id) => this.repository.saveUpstreamJobId(job.id, id),
        },
        report,
        controller.signal,
      );
      if (result.kind === 'url') report({ percent: 99, stage: 'Downloading the video' });
      const output: JobOutput =
        result.kind === 'file'
          ? { file: result.path, model: result.model, sourceUrl: null }
          : {
              file: await this.downloader.download(result.url, workDir, controller.signal),
              model: result.model,
              sourceUrl: result.url,
            };
      controller.signal.throwIfAborted();
      report({ percent: 99, stage: 'Saving the video' });
      outcome = (await this.finish(job, video, output, workDir)) ? 'succeeded' : 'cancelled';
    } catch (error) {
      outcome = await this.fail(job, controller.signal.aborted ? controller.signal.reason : error);
    } finally {
      clearTimeout(timeout);
      clearInterval(lease);
      const seconds = (performance.now() - startedAt) / 1000;
      this.metrics.jobEnded(this.config.videoProvider, outcome, seconds);
      this.jobs.forgetProgress(job.id);
      if (workDir) await this.storage.removeWorkDir(workDir).catch(() => undefined);
    }
  }

  /**
   * Renews the run's lease a few times per lease period; once the job is no longer this run's
   * (another worker took it over after a stall, or it was cancelled elsewhere) the run stops.
   * A renewal that fails (the database is away) is tried again at the next tick.
   */
  private keepLease(run: JobRun, controller: AbortController): NodeJS.Timeout {
    const leaseMs = this.config.jobLeaseSeconds * 1000;
    const renew = async () => {
      try {
        const held = await this.repository.renewLease(run, new Date(Date.now() + leaseMs));
        if (!held && !controller.signal.aborted) controller.abort(new LeaseLostError());
      } catch (error) {
        this.logger.warn({ msg: 'Could not renew a job lease', ...run, err: String(error) });
      }
    };
    return setInterval(() => void renew(), leaseMs / 3).unref();
  }

  /**
   * A worker that died mid-job may have stored files of its attempt without recording them;
   * the attempt that takes over removes them, so a video never keeps more than one file.
   */
  private async removeEarlierAttempts(job: VideoJobEntity, video: VideoEntity): Promise<void> {
    for (let attempt = 1; attempt < job.attempt; attempt++) {
      const keys = storedKeys(video, job.id, attempt);
      await Promise.all([this.storage.delete(keys.file), this.storage.delete(keys.thumbnail)]);
    }
  }

  /**
   * Publishes every change at once and saves it at most once a second, the last one included:
   * a page that loads between two upstream updates (30 s apart on real gateways) must not start
   * from an older stage.
   */
  private progressReporter(
    job: VideoJobEntity,
    run: JobRun,
  ): (progress: GenerationProgress) => void {
    let last = 0;
    let latest = { progress: 0, stage: '' };
    let savedAt = 0;
    let pendingSave: NodeJS.Timeout | undefined;
    const save = () => {
      pendingSave = undefined;
      savedAt = Date.now();
      // Only a running job's row changes, so a save after the end is harmless.
      this.jobs
        .saveProgress(run, latest.progress, latest.stage)
        .catch((error) =>
          this.logger.warn({ msg: 'Could not save progress', jobId: job.id, err: String(error) }),
        );
    };
    return ({ percent, stage }) => {
      // Never backwards, and 100 only once the file is stored.
      const progress = Math.max(last, Math.min(99, Math.round(percent)));
      last = progress;
      latest = { progress, stage };
      this.jobs.publishProgress(job, progress, stage);
      if (pendingSave) return;
      const wait = savedAt + PROGRESS_SAVE_INTERVAL_MS - Date.now();
      if (wait <= 0) save();
      else pendingSave = setTimeout(save, wait).unref();
    };
  }

  private async finish(
    job: VideoJobEntity,
    video: VideoEntity,
    output: JobOutput,
    workDir: string,
  ): Promise<boolean> {
    const { file, model, sourceUrl } = output;
    const info = await this.media.probe(file);
    const orientation = this.checkResult(job, video, info, model);
    const thumbnail = `${workDir}/thumbnail.jpg`;
    await this.media.makeThumbnail(file, thumbnail, Math.min(1, info.durationSeconds / 2));
    // Keys of this attempt alone: a runner that loses its final transition removes only its own
    // files, never those of a later attempt of the same video.
    const { file: fileKey, thumbnail: thumbnailKey } = storedKeys(video, job.id, job.attempt);
    const removeStored = () =>
      Promise.all([this.storage.delete(fileKey), this.storage.delete(thumbnailKey)]);
    let sizeBytes: number;
    try {
      await this.storage.put(fileKey, file);
      await this.storage.put(thumbnailKey, thumbnail);
      sizeBytes = info.sizeBytes + (await this.storage.size(thumbnailKey));
    } catch (error) {
      await removeStored().catch(() => undefined);
      throw error;
    }
    const finishedAt = new Date();
    const done = await this.jobs.transition(
      job,
      JobStatus.Succeeded,
      { progress: 100, stage: 'Done', finishedAt },
      {
        model,
        orientation,
        width: info.width,
        height: info.height,
        durationSeconds: info.durationSeconds,
        codec: info.videoCodec,
        sizeBytes,
        fileKey,
        thumbnailKey,
        sourceUrl,
        completedAt: finishedAt,
      },
    );
    // Cancelled at the last moment: nothing may stay stored for it. (Should the transition throw,
    // the files stay in the video's folder, which goes with the video.)
    if (!done) await removeStored();
    return done !== null;
  }

  /**
   * The orientation to store for the probed file; throws WrongOrientationError when it differs
   * from the request and such files are refused. Nothing is stored yet at this point.
   */
  private checkResult(
    job: VideoJobEntity,
    video: VideoEntity,
    file: MediaInfo,
    model: string | null,
  ): Orientation {
    const requested = {
      orientation: video.requestedOrientation,
      durationSeconds: video.requestedDurationSeconds,
    };
    const check = checkResult(requested, file, model);
    if (check.wrongOrientation) {
      if (this.config.orientationMismatch === 'fail') {
        throw new WrongOrientationError(check.wrongOrientation);
      }
      this.logger.warn({
        msg: 'Keeping a video of another orientation than requested',
        jobId: job.id,
        detail: check.wrongOrientation,
      });
    }
    // Stored either way (the video keeps both lengths); logged for whoever sets up the models.
    if (check.lengthFar) {
      this.logger.warn({
        msg: 'The video is much longer or shorter than requested',
        jobId: job.id,
        model,
        requestedSeconds: requested.durationSeconds,
        actualSeconds: file.durationSeconds,
      });
    }
    return check.orientation;
  }

  private async fail(job: VideoJobEntity, error: unknown): Promise<JobOutcome> {
    if (error instanceof JobCancelledError) return 'cancelled';
    if (error instanceof LeaseLostError) return 'interrupted';
    if (error instanceof ShutdownError) {
      // Handed back at once: another worker (or this one after a restart) takes it up.
      await this.jobs.requeue(job, RESTART_STAGE);
      return 'interrupted';
    }
    const { code, message } = describeFailure(error);
    if (code === 'GENERATION_FAILED') {
      this.logger.error({
        msg: 'Job failed unexpectedly',
        jobId: job.id,
        err: error instanceof Error ? error.stack : String(error),
      });
    }
    const failed = await this.jobs.transition(job, JobStatus.Failed, {
      stage: 'Failed',
      errorCode: code,
      errorMessage: message,
      finishedAt: new Date(),
    });
    // Not failed: a cancel got there first.
    return failed ? 'failed' : 'cancelled';
  }
}

function storedKeys(video: VideoEntity, jobId: string, attempt: number) {
  const base = `${video.userId}/${video.id}/${jobId}-${attempt}`;
  return { file: `${base}.mp4`, thumbnail: `${base}.jpg` };
}

function describeFailure(error: unknown): { code: string; message: string } {
  if (error instanceof JobTimeoutError) return { code: 'JOB_TIMEOUT', message: error.message };
  if (error instanceof ProviderError) return { code: error.code, message: error.message };
  if (error instanceof WrongOrientationError) return { code: error.code, message: error.message };
  if (error instanceof MediaError) {
    return {
      code: 'INVALID_VIDEO',
      message: `The generated file is not a playable video: ${error.message}`,
    };
  }
  return {
    code: 'GENERATION_FAILED',
    message: 'Generation failed unexpectedly. Please try again.',
  };
}

function formatDuration(seconds: number): string {
  if (seconds % 60 !== 0) return `${seconds} seconds`;
  const minutes = seconds / 60;
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

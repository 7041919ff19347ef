import { Injectable, Logger } from '@nestjs/common';
import { IncomingHttpHeaders } from 'node:http';
import { AppConfig } from '../../config/app-config';
import { progressUpdates, ProgressUpdate } from '../upstream/progress-updates';
import { sleep, UpstreamClient } from '../upstream/upstream-client';
import { UpstreamStatusError } from '../upstream/upstream-errors';
import {
  GenerationProgress,
  GenerationRequest,
  GenerationResult,
  ProviderError,
  VideoProvider,
} from '../video-provider';
import {
  failureOf,
  parseVideoObject,
  pollDelayMs,
  sizeFor,
  VIDEO_SECONDS,
  VideoObject,
} from './video-object';

export const STAGE_SUBMITTING = 'Sending the job to the video service';
export const STAGE_RESUMING = 'Checking on the job at the video service';
/** Without hints from the upstream, polls slow down to this interval at most. */
const MAX_FALLBACK_POLL_MS = 30_000;

/** A poll's answer: the job, and the headers that say when to ask again. */
interface Snapshot {
  video: VideoObject;
  headers: IncomingHttpHeaders;
}

/**
 * OpenAI-style video jobs (`/v1/videos`, served by new-api, go-sora2api and other gateways):
 * create a job, poll it, then the runner downloads `/videos/{id}/content`. The upstream's job
 * id is saved on our job as soon as it exists, so a restart resumes polling that same job
 * instead of paying for a second generation.
 *
 * The product has no image input yet, so the job is always created as JSON; the multipart
 * form newer SDKs send is only needed for `input_reference`.
 */
@Injectable()
export class OpenAiVideosVideoProvider implements VideoProvider {
  readonly name = 'openai-videos';
  readonly label: string;
  readonly isLocalPreview = false;
  readonly durationOptions = VIDEO_SECONDS;
  private readonly logger = new Logger(OpenAiVideosVideoProvider.name);
  private readonly client: UpstreamClient;

  constructor(private readonly config: AppConfig) {
    this.label = `${config.upstream.model} (OpenAI-style video API)`;
    this.client = UpstreamClient.fromConfig(config.upstream, this.logger);
  }

  acceptsDuration(seconds: number): boolean {
    return this.durationOptions.includes(seconds);
  }

  async generate(
    request: GenerationRequest,
    onProgress: (progress: GenerationProgress) => void,
    signal: AbortSignal,
  ): Promise<GenerationResult> {
    signal.throwIfAborted();
    const report = progressUpdates(onProgress, STAGE_SUBMITTING);
    const started =
      (request.upstreamJobId && (await this.resume(request.upstreamJobId, report, signal))) ||
      (await this.create(request, report, signal));
    const finished = await this.follow(started, report, signal);
    if (finished.status === 'failed') throw failureOf(finished);
    return {
      kind: 'url',
      url: `${this.client.baseUrl}/videos/${encodeURIComponent(finished.id)}/content`,
      model: this.config.upstream.model,
    };
  }

  private async create(
    request: GenerationRequest,
    report: (progress: ProgressUpdate) => void,
    signal: AbortSignal,
  ): Promise<Snapshot> {
    report({ percent: 0, stage: STAGE_SUBMITTING });
    const snapshot = await this.call('/videos', signal, {
      model: this.config.upstream.model,
      prompt: request.prompt,
      // A string: OpenAI answers 400 invalid_type to a number.
      seconds: String(request.durationSeconds),
      size: sizeFor(request.orientation),
    });
    // Saved before anything else can fail: from here on, the generation is paid for.
    await request.rememberUpstreamJob?.(snapshot.video.id);
    return snapshot;
  }

  /** The job an earlier attempt created, or null when the upstream no longer knows it. */
  private async resume(
    id: string,
    report: (progress: ProgressUpdate) => void,
    signal: AbortSignal,
  ): Promise<Snapshot | null> {
    report({ percent: 0, stage: STAGE_RESUMING });
    try {
      return await this.poll(id, Date.now(), signal);
    } catch (error) {
      if (!(error instanceof UpstreamStatusError && error.status === 404)) throw error;
      this.logger.warn({ msg: 'The video service forgot the job; starting a new one', id });
      return null;
    }
  }

  /** Polls until the job has ended, at the pace the upstream asks for. */
  private async follow(
    first: Snapshot,
    report: (progress: ProgressUpdate) => void,
    signal: AbortSignal,
  ): Promise<VideoObject> {
    let { video, headers } = first;
    let fallbackMs = this.config.upstream.pollIntervalMs;
    for (;;) {
      if (video.status === 'completed' || video.status === 'failed') return video;
      report(progressOf(video));
      const answeredAt = Date.now();
      await sleep(pollDelayMs(headers, fallbackMs), signal);
      fallbackMs = Math.min(MAX_FALLBACK_POLL_MS, Math.round(fallbackMs * 1.5));
      ({ video, headers } = await this.poll(video.id, answeredAt, signal));
    }
  }

  /**
   * One look at the job. It is paid for and runs on upstream whatever happens here, so a poll
   * that fails for a passing reason is tried again; only an upstream silent for the idle
   * timeout since `answeredAt` fails the job.
   */
  private async poll(id: string, answeredAt: number, signal: AbortSignal): Promise<Snapshot> {
    let waitMs = this.config.upstream.pollIntervalMs;
    for (;;) {
      try {
        return await this.call(`/videos/${encodeURIComponent(id)}`, signal);
      } catch (error) {
        const silentMs = Date.now() - answeredAt;
        if (!isPassing(error) || silentMs >= this.config.upstream.idleTimeoutMs) throw error;
        this.logger.warn({ msg: 'A poll failed; polling again', id, err: String(error) });
        await sleep(waitMs, signal);
        waitMs = Math.min(MAX_FALLBACK_POLL_MS, Math.round(waitMs * 1.5));
      }
    }
  }

  private async call(path: string, signal: AbortSignal, json?: unknown): Promise<Snapshot> {
    const response = await this.client.request(path, {
      method: json === undefined ? 'GET' : 'POST',
      json,
      signal,
    });
    return { video: parseVideoObject(await response.text()), headers: response.headers };
  }
}

/** Failures of one poll that say nothing about the job: the upstream may answer the next one. */
const PASSING_FAILURES = new Set([
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_STREAM_CUT',
  'UPSTREAM_INVALID_ANSWER',
]);

function isPassing(error: unknown): boolean {
  return error instanceof ProviderError && PASSING_FAILURES.has(error.code);
}

function progressOf(video: VideoObject): GenerationProgress {
  if (video.status === 'queued') {
    return { percent: 0, stage: 'Waiting in the video service’s queue' };
  }
  const stage =
    video.status === 'in_progress'
      ? 'Generating the video'
      : `Generating the video (${video.status})`;
  return { percent: video.progress ?? 0, stage };
}

import { Injectable, Logger } from '@nestjs/common';
import { IncomingHttpHeaders } from 'node:http';
import { AppConfig } from '../../config/app-config';
import { progressUpdates, ProgressUpdate } from '../upstream/progress-updates';
import { sleep, UpstreamClient } from '../upstream/upstream-client';
import {
  GenerationProgress,
  GenerationRequest,
  GenerationResult,
  ProviderError,
  VideoProvider,
} from '../video-provider';
import { asksForForm, explainCreateRefusal, isGoneJob, jobLost } from './job-refusals';
import { multipartBody } from './multipart-body';
import { failureOf, parseVideoObject, pollDelayMs, sizeFor, VideoObject } from './video-object';
import { upstreamModel } from '../upstream/model-names';
import { jobDurations, modelsLabel } from './video-models';

export const STAGE_SUBMITTING = 'Sending the job to the video service';
export const STAGE_RESUMING = 'Checking on the job at the video service';
/** Without hints from the upstream, polls slow down to this interval at most. */
const MAX_FALLBACK_POLL_MS = 30_000;

/** A poll's answer: the job, and the headers that say when to ask again. */
interface Snapshot {
  video: VideoObject;
  headers: IncomingHttpHeaders;
}

/** How `POST /videos` is sent. */
type BodyForm = 'json' | 'multipart';

/**
 * OpenAI-style video jobs (`/v1/videos`, served by new-api, go-sora2api, grok2api,
 * Modified_Sora2api): create a job, poll it, then the runner downloads `/videos/{id}/content`.
 * The upstream's job id is saved on our job as soon as it exists, so a restart resumes polling
 * that same job instead of paying for a second generation.
 *
 * The model may differ by orientation and length (gateways that read them from the name);
 * `size` and `seconds` are sent all the same. Jobs are created as JSON, or as a multipart form
 * for gateways that read form fields only (VIDEO_API_FORM; `auto` switches once one asks).
 */
@Injectable()
export class OpenAiVideosVideoProvider implements VideoProvider {
  readonly name = 'openai-videos';
  readonly label: string;
  readonly isLocalPreview = false;
  readonly durationOptions: readonly number[];
  private readonly logger = new Logger(OpenAiVideosVideoProvider.name);
  private readonly client: UpstreamClient;
  /** How jobs are created; `auto` starts with JSON and stays with a form once the gateway asks. */
  private form: BodyForm;

  constructor(private readonly config: AppConfig) {
    this.label = `${modelsLabel(config.upstream)} (OpenAI-style video API)`;
    this.durationOptions = jobDurations(config.upstream);
    this.form = config.upstream.videoApiForm === 'multipart' ? 'multipart' : 'json';
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
    const model = upstreamModel(this.config.upstream, request.orientation, request.durationSeconds);
    const report = progressUpdates(onProgress, STAGE_SUBMITTING);
    const started =
      (request.upstreamJobId && (await this.resume(request.upstreamJobId, report, signal))) ||
      (await this.create(request, model, report, signal));
    const finished = await this.follow(started, report, signal);
    if (finished.status === 'failed') throw failureOf(finished);
    return {
      kind: 'url',
      url: `${this.client.baseUrl}/videos/${encodeURIComponent(finished.id)}/content`,
      model,
    };
  }

  private async create(
    request: GenerationRequest,
    model: string,
    report: (progress: ProgressUpdate) => void,
    signal: AbortSignal,
  ): Promise<Snapshot> {
    report({ percent: 0, stage: STAGE_SUBMITTING });
    const fields = {
      model,
      prompt: request.prompt,
      // A string: OpenAI answers 400 invalid_type to a number.
      seconds: String(request.durationSeconds),
      size: sizeFor(request.orientation),
    };
    const snapshot = await this.submit(fields, signal);
    // Saved before anything else can fail: from here on, the generation is paid for.
    await request.rememberUpstreamJob?.(snapshot.video.id);
    return snapshot;
  }

  /**
   * Creates the job in the form the gateway takes. With VIDEO_API_FORM=auto, a JSON create
   * refused because the gateway reads form fields is sent once more as a form, and every later
   * job goes as a form from the start.
   */
  private async submit(fields: Record<string, string>, signal: AbortSignal): Promise<Snapshot> {
    const context = {
      model: fields['model'],
      durationOptions: this.durationOptions,
      sentFields: Object.keys(fields),
    };
    const form = this.form;
    try {
      return await this.post(fields, form, signal);
    } catch (error) {
      const fallBack =
        form === 'json' &&
        this.config.upstream.videoApiForm === 'auto' &&
        asksForForm(error, context.sentFields);
      if (!fallBack) throw explainCreateRefusal(error, { ...context, form });
      this.logger.warn({
        msg: 'The video service reads form fields; sending a form',
        err: String(error),
      });
    }
    const snapshot = await this.post(fields, 'multipart', signal).catch((error: unknown) => {
      throw explainCreateRefusal(error, { ...context, form: 'multipart' });
    });
    this.form = 'multipart';
    return snapshot;
  }

  private async post(
    fields: Record<string, string>,
    form: BodyForm,
    signal: AbortSignal,
  ): Promise<Snapshot> {
    const response = await this.client.request('/videos', {
      method: 'POST',
      ...(form === 'multipart' ? { body: multipartBody(fields) } : { json: fields }),
      signal,
    });
    return { video: parseVideoObject(await response.text()), headers: response.headers };
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
      if (!isGoneJob(error)) throw error;
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
      const id = video.id;
      ({ video, headers } = await this.poll(id, answeredAt, signal).catch((error: unknown) => {
        throw isGoneJob(error) ? jobLost(id, error) : error;
      }));
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
        const response = await this.client.request(`/videos/${encodeURIComponent(id)}`, {
          signal,
        });
        return { video: parseVideoObject(await response.text()), headers: response.headers };
      } catch (error) {
        const silentMs = Date.now() - answeredAt;
        if (!isPassing(error) || silentMs >= this.config.upstream.idleTimeoutMs) throw error;
        this.logger.warn({ msg: 'A poll failed; polling again', id, err: String(error) });
        await sleep(waitMs, signal);
        waitMs = Math.min(MAX_FALLBACK_POLL_MS, Math.round(waitMs * 1.5));
      }
    }
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
  // new-api says `unknown` until its first sync with the upstream: the job is waiting.
  if (video.status === 'queued' || video.status === 'unknown') {
    return { percent: 0, stage: 'Waiting in the video service’s queue' };
  }
  const stage =
    video.status === 'in_progress'
      ? 'Generating the video'
      : `Generating the video (${video.status})`;
  return { percent: video.progress ?? 0, stage };
}

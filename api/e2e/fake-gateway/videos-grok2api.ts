import type { IncomingMessage, ServerResponse } from 'node:http';
import { scenarioOf } from './gateway-context';
import { bearerToken, ParsedRequest, randomHex, sendStarlette } from './http-util';
import { Json } from './json-formats';
import { behaviourOf, formFields, VideoKit, VideosDialect, videosRoute } from './video-dialect';
import { JobBehaviour, orientationOfSize, VideoJob } from './video-jobs';

const JOB_SCENARIOS: readonly JobBehaviour[] = [
  'success',
  'no-progress',
  'jump',
  'poll-hang',
  'poll-cut-once',
  'forgotten',
];

/** How its jobs fail: the exception's text, `video_generation_failed` (app/products/openai/video.py). */
const FAILURES: Record<string, string> = {
  failed: 'Video generation returned no final video URL',
  'no-account': 'No available accounts for video generation',
};

const MODELS = ['grok-imagine-video'];
const LENGTHS = [6, 10, 12, 16, 20];
/** Only the ratio counts: 9:16, 16:9 or 1:1. */
const SIZES = ['720x1280', '1280x720', '1024x1024', '1024x1792', '1792x1024'];
const RESOLUTIONS = ['480p', '720p'];
const PRESETS = ['fun', 'normal', 'spicy', 'custom'];

interface Refusal {
  message: string;
  param: string;
  code?: string;
}

/**
 * grok2api v2's `/v1/videos` (chenyme/grok2api from 2026-04-08, section C.4): FastAPI `Form`
 * fields only, so a JSON body is a validation error (`Field required`, param `model`);
 * `seconds` 6/10/12/16/20; `video_<32 hex>` jobs kept in memory for an hour, then
 * `400 Video '<id>' not found`; `/content` 409 `video_not_ready` until it is done.
 */
export class Grok2ApiVideos implements VideosDialect {
  readonly scenarios: readonly string[] = [...JOB_SCENARIOS, ...Object.keys(FAILURES)];

  constructor(private readonly kit: VideoKit) {}

  handle(req: IncomingMessage, res: ServerResponse, parsed: ParsedRequest): boolean {
    const matched = videosRoute(parsed);
    if (!matched) return false;
    const token = bearerToken(req);
    if (!token) {
      sendStarlette(res, 401, { detail: 'Missing or invalid Authorization header.' });
      return true;
    }
    if (token !== this.kit.ctx.apiKey) {
      sendStarlette(res, 403, { detail: 'Invalid API key.' });
      return true;
    }
    const { route, id } = matched;
    if (route === 'POST') this.create(res, formFields(req, parsed) ?? {});
    else if (route === 'GET :id') this.withJob(res, id, (job) => this.poll(res, job));
    else if (route === 'GET :id/content') this.withJob(res, id, (job) => this.content(res, job));
    else sendStarlette(res, 405, { detail: 'Method Not Allowed' });
    return true;
  }

  private create(res: ServerResponse, form: Record<string, string>): void {
    const refused = validate(form);
    if (refused) return refuse(res, 400, refused);
    const seconds = form['seconds'] === undefined ? 6 : Number(form['seconds']);
    const size = form['size'] ?? '720x1280';
    const scenario = scenarioOf(form['prompt']);
    if (!this.scenarios.includes(scenario)) {
      const message = `fake gateway: unknown scenario "${scenario}" (known: ${this.scenarios.join(', ')})`;
      return refuse(res, 400, { message, param: 'prompt' });
    }
    const job = this.kit.jobs.create(`video_${randomHex(32)}`, {
      prompt: form['prompt'].trim(),
      model: form['model'],
      seconds: String(seconds),
      size,
      orientation: orientationOfSize(size),
      lengthSeconds: seconds,
      behaviour: FAILURES[scenario] ? 'failed' : behaviourOf(scenario, JOB_SCENARIOS),
      failure: { code: 'video_generation_failed', message: FAILURES[scenario] ?? '' },
      remixedFrom: null,
    });
    sendStarlette(res, 200, this.present(job));
  }

  private poll(res: ServerResponse, job: VideoJob): void {
    if (this.kit.heldPoll(res, job)) return;
    sendStarlette(res, 200, this.present(job));
  }

  /** `_VideoJob.to_dict()`: optional fields only once they have a value. */
  private present(job: VideoJob): { [key: string]: Json } {
    const { status, progress } = this.kit.jobs.state(job);
    const body: { [key: string]: Json } = {
      id: job.id,
      object: 'video',
      created_at: Math.floor(job.createdAtMs / 1000),
      status,
      model: job.model,
      // The job sets 1 as it starts, then the segments' scaled progress.
      progress: status === 'in_progress' ? Math.max(1, progress) : progress,
      prompt: job.prompt,
      seconds: job.seconds,
      size: job.size,
      quality: 'standard',
    };
    const completedAt = this.kit.jobs.completedAt(job);
    if (completedAt !== null) body['completed_at'] = completedAt;
    if (status === 'failed') body['error'] = job.failure;
    return body;
  }

  private content(res: ServerResponse, job: VideoJob): void {
    if (this.kit.jobs.state(job).status !== 'completed') {
      return refuse(res, 409, {
        message: 'Video content is not ready yet',
        param: '',
        code: 'video_not_ready',
      });
    }
    this.kit.serveVideo(res, job, {
      'content-disposition': `attachment; filename="${job.id}.mp4"`,
    });
  }

  private withJob(res: ServerResponse, id: string, then: (job: VideoJob) => void): void {
    const job = this.kit.jobs.get(id);
    if (job) return then(job);
    refuse(res, 400, { message: `Video '${id}' not found`, param: 'video_id' });
  }
}

/**
 * FastAPI's form validation (first problem only, as its handler reports it), then
 * `create_video`'s own checks.
 */
function validate(form: Record<string, string>): Refusal | null {
  for (const field of ['model', 'prompt']) {
    if (form[field] === undefined) return { message: 'Field required', param: field };
  }
  if (form['seconds'] !== undefined && !/^\s*[+-]?\d+\s*$/.test(form['seconds'])) {
    const message = 'Input should be a valid integer, unable to parse string as an integer';
    return { message, param: 'seconds' };
  }
  const literal = (field: string, allowed: string[]): Refusal | null =>
    form[field] === undefined || allowed.includes(form[field])
      ? null
      : { message: `Input should be ${pythonChoices(allowed)}`, param: field };
  const badLiteral =
    literal('size', SIZES) ?? literal('resolution_name', RESOLUTIONS) ?? literal('preset', PRESETS);
  if (badLiteral) return badLiteral;
  if (!MODELS.includes(form['model']))
    return { message: `Model '${form['model']}' is not a video model`, param: 'model' };
  if (form['prompt'].trim() === '') return { message: 'prompt cannot be empty', param: 'prompt' };
  if (form['seconds'] !== undefined && !LENGTHS.includes(Number(form['seconds'])))
    return { message: `seconds must be one of [${LENGTHS.join(', ')}]`, param: 'seconds' };
  return null;
}

/** pydantic's list of literal choices: `'a', 'b' or 'c'`. */
function pythonChoices(allowed: string[]): string {
  const quoted = allowed.map((value) => `'${value}'`);
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

function refuse(res: ServerResponse, status: number, refusal: Refusal): void {
  const error: { [key: string]: Json } = {
    message: refusal.message,
    type: 'invalid_request_error',
    code: refusal.code ?? 'invalid_value',
  };
  if (refusal.param) error['param'] = refusal.param;
  sendStarlette(res, status, { error });
}

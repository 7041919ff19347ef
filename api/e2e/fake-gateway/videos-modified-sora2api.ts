import type { IncomingMessage, ServerResponse } from 'node:http';
import { scenarioOf } from './gateway-context';
import { bearerToken, ParsedRequest, randomHex, sendStarlette } from './http-util';
import { Json } from './json-formats';
import { behaviourOf, formFields, VideoKit, VideosDialect, videosRoute } from './video-dialect';
import { JobBehaviour, orientationOfSize, VideoJob } from './video-jobs';

const JOB_SCENARIOS: readonly JobBehaviour[] = [
  'success',
  'failed',
  'no-progress',
  'jump',
  'poll-hang',
  'poll-cut-once',
];

/** A policy stop raises nothing: the job ends `completed` without a link. */
const CONTENT_POLICY = 'content-policy';
const FAILURE = 'Upstream API timeout: Video generation exceeded 1500 seconds limit';
const MODEL_ALIASES: Record<string, string> = {
  sora: 'sora-2',
  'sora-2': 'sora-2',
  sora2: 'sora-2',
  'sora-2-pro': 'sora-2-pro',
  'sora2-pro': 'sora-2-pro',
  sora2pro: 'sora-2-pro',
};
const SIZES: Record<string, string[]> = {
  'sora-2': ['720x1280', '1280x720'],
  'sora-2-pro': ['720x1280', '1280x720', '1024x1792', '1792x1024'],
};

/**
 * Modified_Sora2api's `/v1/videos` (zhu88cc/Modified_Sora2api, section C.2), a FastAPI app:
 * JSON or form fields; `seconds` 10 or 15 only (default 15); landscape unless `size` or
 * `orientation: portrait` says otherwise; ids `<model>-<12 hex>`; never `queued`; `/content` a
 * 307 to the cached file, and `404 content_not_found` for a job that completed without one.
 */
export class ModifiedSora2ApiVideos implements VideosDialect {
  readonly scenarios: readonly string[] = [...JOB_SCENARIOS, CONTENT_POLICY];
  /** Its file cache, served under `/tmp/`. */
  private readonly cached = new Map<string, VideoJob>();

  constructor(private readonly kit: VideoKit) {}

  handle(req: IncomingMessage, res: ServerResponse, parsed: ParsedRequest): boolean {
    if (parsed.pathname.startsWith('/tmp/')) {
      const job = this.cached.get(parsed.pathname.slice('/tmp/'.length));
      if (job) this.kit.serveVideo(res, job);
      else sendStarlette(res, 404, { detail: 'Not Found' });
      return true;
    }
    const matched = videosRoute(parsed);
    if (!matched) return false;
    const token = bearerToken(req);
    if (!token) {
      sendStarlette(res, 403, { detail: 'Not authenticated' });
      return true;
    }
    if (token !== this.kit.ctx.apiKey) {
      sendStarlette(res, 401, { detail: 'Invalid API key' });
      return true;
    }
    const { route, id } = matched;
    if (route === 'POST') this.create(res, req, parsed);
    else if (route === 'GET :id') this.withJob(res, id, (job) => this.poll(res, job));
    else if (route === 'GET :id/content') this.content(res, id);
    else sendStarlette(res, 405, { detail: 'Method Not Allowed' });
    return true;
  }

  private create(res: ServerResponse, req: IncomingMessage, parsed: ParsedRequest): void {
    const isJson = (req.headers['content-type'] ?? '').includes('application/json');
    if (isJson && parsed.jsonError) {
      // `await request.json()` raises inside the handler's catch-all.
      const message = 'Expecting value: line 1 column 1 (char 0)';
      return sendStarlette(res, 500, { error: { message, code: 'server_error' } });
    }
    const fields = (isJson ? parsed.body : formFields(req, parsed)) as
      | Record<string, unknown>
      | undefined;
    const { prompt, model = 'sora-2', seconds, size, orientation } = fields ?? {};
    if (typeof prompt !== 'string' || prompt === '')
      return sendStarlette(res, 400, { detail: 'prompt is required' });
    const name = MODEL_ALIASES[String(model)];
    if (!name) {
      const detail = `Unsupported model: ${String(model)}. Valid: sora-2, sora-2-pro`;
      return sendStarlette(res, 400, { detail });
    }
    const chosenSize =
      typeof size === 'string' && size !== ''
        ? size
        : orientation === 'portrait'
          ? '720x1280'
          : '1280x720';
    if (!SIZES[name].includes(chosenSize)) {
      const valid = SIZES[name].map((s) => `'${s}'`).join(', ');
      return sendStarlette(res, 400, {
        detail: `Invalid size for ${name}. Valid sizes: [${valid}]`,
      });
    }
    const duration = pythonInt(seconds) ?? 15;
    if (duration !== 10 && duration !== 15) {
      return sendStarlette(res, 400, { detail: `Invalid seconds: ${duration}. Valid: 10, 15` });
    }
    const scenario = scenarioOf(prompt);
    if (!this.scenarios.includes(scenario)) {
      const detail = `fake gateway: unknown scenario "${scenario}" (known: ${this.scenarios.join(', ')})`;
      return sendStarlette(res, 400, { detail });
    }
    const job = this.kit.jobs.create(`${name}-${randomHex(12)}`, {
      prompt,
      model: name,
      seconds: String(duration),
      size: chosenSize,
      orientation: orientationOfSize(chosenSize),
      lengthSeconds: duration,
      behaviour: scenario === CONTENT_POLICY ? 'no-content' : behaviourOf(scenario, JOB_SCENARIOS),
      failure: { message: FAILURE, code: 'generation_failed' },
      remixedFrom: null,
    });
    sendStarlette(res, 200, { ...this.present(job), status: 'in_progress', progress: 0 });
  }

  private poll(res: ServerResponse, job: VideoJob): void {
    if (this.kit.heldPoll(res, job)) return;
    sendStarlette(res, 200, this.present(job));
  }

  /** Its in-memory task, as `GET /v1/videos/{id}` builds it. */
  private present(job: VideoJob): { [key: string]: Json } {
    const state = this.kit.jobs.state(job);
    // The task is `in_progress` from the start; progress is the stream's last percentage.
    const status = state.status === 'queued' ? 'in_progress' : state.status;
    const body: { [key: string]: Json } = {
      id: job.id,
      object: 'video',
      model: job.model,
      status,
      progress: state.progress,
      created_at: Math.floor(job.createdAtMs / 1000),
      seconds: job.seconds,
      size: job.size,
    };
    const completedAt = this.kit.jobs.completedAt(job);
    if (completedAt !== null) body['completed_at'] = completedAt;
    if (status === 'failed') body['error'] = job.failure;
    return body;
  }

  private content(res: ServerResponse, id: string): void {
    const job = this.kit.jobs.get(id);
    if (!job) return detailError(res, 404, 'Task not found', 'task_not_found');
    const { status } = this.kit.jobs.state(job);
    const shown = status === 'queued' ? 'in_progress' : status;
    if (shown !== 'completed') {
      const message = `Task not completed. Current status: ${shown}`;
      return detailError(res, 400, message, 'task_not_completed');
    }
    if (job.behaviour === 'no-content')
      return detailError(res, 404, 'Video content not available', 'content_not_found');
    const name = `${randomHex(32)}.mp4`;
    this.cached.set(name, job);
    res.writeHead(307, { location: `${this.kit.ctx.origin()}/tmp/${name}`, 'content-length': '0' });
    res.end();
  }

  private withJob(res: ServerResponse, id: string, then: (job: VideoJob) => void): void {
    const job = this.kit.jobs.get(id);
    if (job) return then(job);
    sendStarlette(res, 404, { detail: 'Task not found' });
  }
}

/** `HTTPException(detail={"error": {...}})`: FastAPI wraps the dict in `detail`. */
function detailError(res: ServerResponse, status: number, message: string, code: string): void {
  sendStarlette(res, status, { detail: { error: { message, code } } });
}

/** `int(seconds)` when it parses; the handler falls back to its default otherwise. */
function pythonInt(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
  return null;
}

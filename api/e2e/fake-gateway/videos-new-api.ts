import type { IncomingMessage, ServerResponse } from 'node:http';
import { scenarioOf } from './gateway-context';
import { bearerToken, ParsedRequest, send } from './http-util';
import { goDumps, Json, openAiDumps, openAiErrorDumps } from './json-formats';
import { isMultipartBody } from './multipart';
import { parseCreate } from './video-create';
import { behaviourOf, VideoKit, VideosDialect, videosRoute } from './video-dialect';
import {
  JobBehaviour,
  MODERATION_FAILURE,
  openAiVideoId,
  orientationOfSize,
  VideoJob,
} from './video-jobs';

const JOB_SCENARIOS: readonly JobBehaviour[] = [
  'success',
  'failed',
  'stall-poll',
  'no-progress',
  'jump',
  'poll-hang',
  'poll-cut-once',
  'forgotten',
];

/** Failures new-api words itself, over whatever the upstream said. */
const OWN_FAILURES: Record<string, string> = {
  'task-timeout': '任务超时（1440分钟）',
  'poll-error': 'upstream returned error',
  'failed-no-reason': 'task failed',
};

/**
 * Refusals at submit, before a task exists (the newer quota text, a missing channel and a failing
 * `/content` proxy are the shared `quota-403`, `no-channel-503` and `content-502` of
 * error-bodies.ts).
 */
const SUBMIT_REFUSALS = ['moderation-submit', 'quota-old', 'saturated-once'];

/** The models of the sora channel; anything else has no channel at all. */
const MODELS = ['sora-2', 'sora-2-pro'];
const SIZES: Record<string, string[]> = {
  'sora-2': ['720x1280', '1280x720'],
  'sora-2-pro': ['720x1280', '1280x720', '1792x1024', '1024x1792'],
};

/**
 * new-api (QuantumNous/new-api) relaying OpenAI-style video tasks to an OpenAI-like upstream
 * (section C.5): `task_…` ids of its own, a status read from its table and synced from the
 * upstream on a loop (so `unknown` before the first sync, then progress 20 / 30 / 100), relay
 * errors `{"code","message","data"}` and middleware errors `{"error":{...,"type":"new_api_error"}}`,
 * `400 task_not_exist` for a task it does not know, and `/content` proxied with its own errors.
 */
export class NewApiVideos implements VideosDialect {
  readonly scenarios: readonly string[] = [
    ...JOB_SCENARIOS,
    ...Object.keys(OWN_FAILURES),
    ...SUBMIT_REFUSALS,
  ];
  /** The upstream's own body at submit, which new-api shows until its first sync. */
  private readonly submitted = new Map<string, { [key: string]: Json }>();

  constructor(private readonly kit: VideoKit) {}

  handle(req: IncomingMessage, res: ServerResponse, parsed: ParsedRequest): boolean {
    const matched = videosRoute(parsed);
    if (!matched) return false;
    if (bearerToken(req) !== this.kit.ctx.apiKey) {
      middlewareError(res, 401, '无效的令牌');
      return true;
    }
    const { route, id } = matched;
    if (route === 'POST') this.create(res, parsed);
    else if (route === 'GET :id') this.poll(res, id);
    else if (route === 'GET :id/content') this.content(res, id);
    else send(res, 404, '404 page not found', { 'content-type': 'text/plain' });
    return true;
  }

  private create(res: ServerResponse, parsed: ParsedRequest): void {
    const fields = isMultipartBody(parsed.body) ? parsed.body.fields : parsed.body;
    if (parsed.jsonError || typeof fields !== 'object' || fields === null) {
      const message = parsed.jsonError?.message ?? 'unexpected end of JSON input';
      return relayError(res, 400, 'invalid_json', message);
    }
    const { model, prompt, size } = fields as Record<string, unknown>;
    if (typeof model !== 'string' || model.trim() === '')
      return relayError(res, 400, 'missing_model', 'model field is required');
    // The distributor picks a channel by model before the relay reads anything else.
    if (!MODELS.includes(model)) return noChannel(res, model);
    if (typeof prompt !== 'string' || prompt.trim() === '')
      return relayError(res, 400, 'invalid_request', 'prompt is required');
    if (!SIZES[model].includes(typeof size === 'string' && size !== '' ? size : '720x1280'))
      return relayError(res, 400, 'invalid_size', 'sora-2 size is invalid');
    const scenario = scenarioOf(prompt);
    if (!this.scenarios.includes(scenario)) {
      const message = `fake gateway: unknown scenario "${scenario}" (known: ${this.scenarios.join(', ')})`;
      return relayError(res, 400, 'invalid_request', message);
    }
    if (this.refusedAtSubmit(res, scenario, prompt)) return;

    // What the upstream (OpenAI's API) answers to the body new-api forwards unchanged.
    const upstream = parseCreate(parsed.body);
    if ('error' in upstream) {
      const body = openAiErrorDumps({
        error: { ...upstream.error, type: 'invalid_request_error' },
      });
      return relayError(res, 400, 'fail_to_fetch_task', body);
    }
    const { params } = upstream;
    const job = this.kit.jobs.create(`task_${randomAlnum(32)}`, {
      prompt: params.prompt,
      model: params.model,
      seconds: params.seconds,
      size: params.size,
      orientation: orientationOfSize(params.size),
      lengthSeconds: Number(params.seconds),
      behaviour: OWN_FAILURES[scenario] ? 'failed' : behaviourOf(scenario, JOB_SCENARIOS),
      failure: OWN_FAILURES[scenario] ? { message: OWN_FAILURES[scenario] } : MODERATION_FAILURE,
      remixedFrom: null,
    });
    const upstreamBody: { [key: string]: Json } = {
      ...this.kit.jobs.present(job),
      id: openAiVideoId(),
    };
    this.submitted.set(job.id, upstreamBody);
    // The answer is new-api's own struct: the upstream's fields it knows, both ids its own.
    sendGo(res, 200, {
      id: job.id,
      task_id: job.id,
      object: 'video',
      model: job.model,
      status: 'queued',
      progress: 0,
      created_at: upstreamBody['created_at'],
      seconds: job.seconds,
      size: job.size,
    });
  }

  private refusedAtSubmit(res: ServerResponse, scenario: string, prompt: string): boolean {
    switch (scenario) {
      case 'moderation-submit': {
        // The upstream's refusal, relayed as its raw body in the message.
        const body = openAiErrorDumps({
          error: { ...MODERATION_FAILURE, type: 'invalid_request_error', param: null },
        });
        relayError(res, 400, 'fail_to_fetch_task', body);
        return true;
      }
      case 'quota-old':
        relayError(res, 403, 'quota_not_enough', 'user quota is not enough');
        return true;
      case 'saturated-once':
        if (!this.kit.ctx.failFirst(`new-api:${prompt}`)) return false;
        relayError(res, 429, 'rate_limit_exceeded', '当前分组上游负载已饱和，请稍后再试');
        return true;
      default:
        return false;
    }
  }

  private poll(res: ServerResponse, id: string): void {
    const job = this.kit.jobs.get(id);
    if (!job) return relayError(res, 400, 'task_not_exist', 'task_not_exist');
    if (this.kit.heldPoll(res, job)) return;
    // The stored upstream body, edited in place (sjson): OpenAI's pretty printing survives.
    send(res, 200, openAiDumps(this.shown(job)), { 'content-type': 'application/json' });
  }

  /** The task as new-api's table has it: the upstream's state at the last sync of its loop. */
  private shown(job: VideoJob, now = Date.now()): { [key: string]: Json } {
    const syncEvery = this.kit.jobs.durationMs * 0.15;
    const lastSync = Math.floor((now - job.createdAtMs) / syncEvery) * syncEvery;
    const submitted = this.submitted.get(job.id) ?? {};
    if (lastSync === 0) return { ...submitted, id: job.id, status: 'unknown', progress: 0 };
    const upstream = this.kit.jobs.present(job, job.createdAtMs + lastSync);
    const progress = upstream['progress'] as number;
    const shown = { ...upstream, id: job.id };
    switch (upstream['status']) {
      case 'queued':
        return { ...shown, progress: 20 };
      case 'in_progress':
        return { ...shown, progress: progress >= 1 && progress <= 99 ? progress : 30 };
      case 'failed':
        return { ...shown, progress: 100 };
      default:
        return shown;
    }
  }

  private content(res: ServerResponse, id: string): void {
    const job = this.kit.jobs.get(id);
    if (!job) return proxyError(res, 404, 'invalid_request_error', 'Task not found');
    const status = TASK_STATUS[this.shown(job)['status'] as string];
    if (status !== 'SUCCESS') {
      const message = `Task is not completed yet, current status: ${status}`;
      return proxyError(res, 400, 'invalid_request_error', message);
    }
    this.kit.serveVideo(res, job, { 'cache-control': 'public, max-age=86400' });
  }
}

/** new-api's task statuses, by the video status it shows. */
const TASK_STATUS: Record<string, string> = {
  unknown: 'NOT_START',
  queued: 'QUEUED',
  in_progress: 'IN_PROGRESS',
  completed: 'SUCCESS',
  failed: 'FAILURE',
};

function sendGo(res: ServerResponse, status: number, body: Json): void {
  send(res, status, goDumps(body), { 'content-type': 'application/json; charset=utf-8' });
}

/** A relay (task) error: `{"code","message","data":null}`. */
function relayError(res: ServerResponse, status: number, code: string, message: string): void {
  sendGo(res, status, { code, message, data: null });
}

/** A middleware error: the message ends with the request id that finds it in the logs. */
function middlewareError(res: ServerResponse, status: number, message: string, code?: string) {
  const error: { [key: string]: Json } = {
    message: `${message} (request id: ${requestId()})`,
    type: 'new_api_error',
  };
  if (code) error['code'] = code;
  sendGo(res, status, { error });
}

function noChannel(res: ServerResponse, model: string): void {
  middlewareError(
    res,
    503,
    `分组 default 下模型 ${model} 无可用渠道（distributor）`,
    'model_not_found',
  );
}

/** The `/content` proxy's own errors: OpenAI-like, without a code. */
function proxyError(res: ServerResponse, status: number, type: string, message: string): void {
  sendGo(res, status, { error: { message, type } });
}

/** `20260301120000123456789aBcDeFgH`: a timestamp, digits, letters, as new-api makes them. */
function requestId(): string {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return `${stamp}${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}${randomAlnum(8)}`;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlnum(length: number): string {
  return Array.from({ length }, () => ALNUM[Math.floor(Math.random() * ALNUM.length)]).join('');
}

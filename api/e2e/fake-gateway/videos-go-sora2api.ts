import type { IncomingMessage, ServerResponse } from 'node:http';
import { scenarioOf } from './gateway-context';
import { ParsedRequest, randomHex, send } from './http-util';
import { goDumps, Json } from './json-formats';
import { Orientation } from './media';
import { behaviourOf, VideoKit, VideosDialect, videosRoute } from './video-dialect';
import { JobBehaviour, VideoJob } from './video-jobs';

const JOB_SCENARIOS: readonly JobBehaviour[] = [
  'success',
  'no-progress',
  'jump',
  'poll-hang',
  'poll-cut-once',
  'stuck',
];

/** How its jobs fail, in its words (server/service/task_store.go). */
const FAILURES: Record<string, string> = {
  'content-violation': '获取下载链接失败: 内容违规: 内容违反使用政策',
  'not-in-drafts': '获取下载链接失败: 在最近草稿中未找到任务 task_01kj8m3v5qf2t9',
};
/** How a stuck job ends: its poller gives up after 30 minutes. */
const POLL_TIMEOUT = '轮询超时';

/** Refusals before a task exists. */
const SUBMIT_REFUSALS: Record<string, [number, string]> = {
  'no-group': [403, '此 API Key 未绑定分组，无法调用接口，请先在管理后台绑定分组'],
  'no-account': [503, '无可用账号: 没有可用的 Sora 账号'],
  'submit-failed': [500, '提交 Sora 任务失败: sentinel token 获取失败: 403 Forbidden'],
};

/** What the model name says (server/model/parser.go). */
interface ModelParams {
  orientation: Orientation;
  seconds: number;
  large: boolean;
}

/**
 * go-sora2api (DouDOU-start/go-sora2api, section C.6): JSON only (gin's ShouldBindJSON, so a
 * multipart body is a JSON syntax error), `seconds` and `size` ignored because the model name
 * carries orientation and length, `task_<8 hex>` ids, errors `{"error":{"message"}}` only, and
 * Chinese failure texts. Tasks live in its database, so none is ever forgotten.
 */
export class GoSora2ApiVideos implements VideosDialect {
  readonly scenarios: readonly string[] = [
    ...JOB_SCENARIOS,
    ...Object.keys(FAILURES),
    ...Object.keys(SUBMIT_REFUSALS),
  ];

  constructor(private readonly kit: VideoKit) {}

  handle(req: IncomingMessage, res: ServerResponse, parsed: ParsedRequest): boolean {
    const matched = videosRoute(parsed);
    if (!matched) return false;
    if (!this.authorized(req, res)) return true;
    const { route, id } = matched;
    if (route === 'POST') this.create(res, parsed);
    else if (route === 'GET :id') this.withJob(res, id, (job) => this.poll(res, job));
    else if (route === 'GET :id/content') this.withJob(res, id, (job) => this.content(res, job));
    else send(res, 404, '404 page not found', { 'content-type': 'text/plain' });
    return true;
  }

  private authorized(req: IncomingMessage, res: ServerResponse): boolean {
    const header = req.headers.authorization;
    if (!header) return fail(res, 401, '缺少 Authorization 头');
    if (!header.startsWith('Bearer '))
      return fail(res, 401, 'Authorization 格式错误，需要 Bearer Token');
    if (header.slice('Bearer '.length) !== this.kit.ctx.apiKey)
      return fail(res, 401, '无效的 API Key');
    return true;
  }

  private create(res: ServerResponse, parsed: ParsedRequest): void {
    const body = bindJson(parsed);
    if (typeof body === 'string') return void fail(res, 400, `请求参数错误: ${body}`);
    const model = parseModelName(body.model);
    if (typeof model === 'string') return void fail(res, 400, model);
    const scenario = scenarioOf(body.prompt);
    if (!this.scenarios.includes(scenario)) {
      const message = `fake gateway: unknown scenario "${scenario}" (known: ${this.scenarios.join(', ')})`;
      return void fail(res, 400, message);
    }
    const refusal = SUBMIT_REFUSALS[scenario];
    if (refusal) return void fail(res, ...refusal);
    const size = resolution(model);
    const job = this.kit.jobs.create(`task_${randomHex(8)}`, {
      prompt: body.prompt,
      model: body.model,
      seconds: String(model.seconds),
      size,
      orientation: model.orientation,
      lengthSeconds: model.seconds,
      behaviour: FAILURES[scenario] ? 'failed' : behaviourOf(scenario, JOB_SCENARIOS),
      failure: { message: FAILURES[scenario] ?? POLL_TIMEOUT },
      remixedFrom: null,
    });
    sendGo(res, 200, {
      id: job.id,
      object: 'video',
      model: job.model,
      status: 'queued',
      progress: 0,
      created_at: Math.floor(job.createdAtMs / 1000),
      size,
    });
  }

  private poll(res: ServerResponse, job: VideoJob): void {
    if (this.kit.heldPoll(res, job)) return;
    const { status, progress } = this.kit.jobs.state(job);
    const body: { [key: string]: Json } = {
      id: job.id,
      object: 'video',
      model: job.model,
      status,
      // Its poller sets 5 as it starts, then Sora's percentage whenever it rises.
      progress: status === 'in_progress' ? Math.max(5, progress) : progress,
      created_at: Math.floor(job.createdAtMs / 1000),
      size: job.size,
    };
    if (status === 'failed') body['error'] = job.failure;
    sendGo(res, 200, body);
  }

  private content(res: ServerResponse, job: VideoJob): void {
    const { status } = this.kit.jobs.state(job);
    if (status !== 'completed') return void fail(res, 400, `任务尚未完成（当前状态: ${status}）`);
    this.kit.serveVideo(res, job);
  }

  private withJob(res: ServerResponse, id: string, then: (job: VideoJob) => void): void {
    const job = this.kit.jobs.get(id);
    if (job) return then(job);
    fail(res, 404, '任务不存在');
  }
}

/** The request as gin's ShouldBindJSON sees it, whatever the content type, or its error text. */
function bindJson(parsed: ParsedRequest): { model: string; prompt: string } | string {
  const text = parsed.raw.toString('utf8').trimStart();
  if (text === '') return 'EOF';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // encoding/json's words for the first byte that cannot begin a value.
    return text.startsWith('-')
      ? `invalid character '${text[1] ?? '-'}' in numeric literal`
      : `invalid character '${text[0]}' looking for beginning of value`;
  }
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const missing = ['Model', 'Prompt']
    .filter(
      (field) =>
        typeof fields[field.toLowerCase()] !== 'string' || fields[field.toLowerCase()] === '',
    )
    .map(
      (field) =>
        `Key: 'VideoSubmitRequest.${field}' Error:Field validation for '${field}' failed on the 'required' tag`,
    );
  if (missing.length > 0) return missing.join('\n');
  return { model: fields['model'] as string, prompt: fields['prompt'] as string };
}

/** server/model/parser.go: orientation and length from the name, or its error text. */
export function parseModelName(name: string): ModelParams | string {
  const n = name.toLowerCase().split('sora_video2-').join('sora-2-');
  const orientation: Orientation | null = n.includes('landscape')
    ? 'landscape'
    : n.includes('portrait')
      ? 'portrait'
      : null;
  if (!orientation) return `模型名称中未找到方向（landscape/portrait）: ${name}`;
  const seconds = [10, 15, 25].find((s) => n.endsWith(`${s}s`) || n.includes(`${s}s-`));
  if (!seconds) return `模型名称中未找到时长（10s/15s/25s）: ${name}`;
  return { orientation, seconds, large: /-hd-|_hd_|-hd_/.test(n) };
}

/** `size` as it answers it: from the name, never from what was sent. */
function resolution({ orientation, large }: ModelParams): string {
  if (large) return orientation === 'landscape' ? '1920x1080' : '1080x1920';
  return orientation === 'landscape' ? '1280x720' : '720x1280';
}

function sendGo(res: ServerResponse, status: number, body: Json): void {
  send(res, status, goDumps(body), { 'content-type': 'application/json; charset=utf-8' });
}

/** Its one error shape; false, for the callers that stop on it. */
function fail(res: ServerResponse, status: number, message: string): false {
  sendGo(res, status, { error: { message } });
  return false;
}

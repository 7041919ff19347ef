import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { builtSince, ChatSettings } from './chat-dialects';
import { ChunkStream } from './chunk-stream';
import { ClipShape, loadClip } from './clips';
import { GatewayContext, scenarioOf } from './gateway-context';
import {
  GROK_V1_SCENARIOS,
  GrokPlan,
  grokV1Script,
  grokV2Scenarios,
  grokV2Script,
} from './grok-scenarios';
import { bearerToken, ParsedRequest, randomHex, sendStarlette } from './http-util';
import { Json } from './json-formats';

/**
 * grok2api's `POST /v1/chat/completions` for its video models (sections C.3 and C.4 of the
 * protocols page), in the order it checks things, with the video of the shape it really makes.
 */
export async function handleGrokChat(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  parsed: ParsedRequest,
): Promise<void> {
  const v1 = ctx.chat.dialect === 'grok2api-v1';
  if (!(v1 ? authorizedV1(ctx, req, res) : authorizedV2(ctx, req, res))) return;
  const body = (parsed.jsonError ? undefined : parsed.body) as Record<string, unknown> | undefined;
  const messages = Array.isArray(body?.['messages']) ? (body['messages'] as unknown[]) : null;
  if (!body || typeof body['model'] !== 'string' || !messages) {
    return v1
      ? sendStarlette(res, 422, {
          detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }],
        })
      : invalid(res, 'Field required', 'body');
  }
  const { prompt, hasImage } = messageParts(messages);
  const scenario = scenarioOf(prompt);
  const known = v1 ? GROK_V1_SCENARIOS : grokV2Scenarios(ctx.chat);
  if (!known.includes(scenario)) return unknownScenario(res, scenario, known);
  if (body['stream'] === false)
    return sendStarlette(res, 400, {
      detail: 'fake gateway: only streamed video answers are imitated',
    });

  if (v1) {
    if (body['model'] !== 'grok-imagine-0.9')
      return sendStarlette(res, 400, {
        detail: 'fake gateway: grok2api v1 imitates grok-imagine-0.9 only',
      });
    if (failsBeforeStreamV1(res, scenario)) return;
    const s = new ChunkStream(res, ctx.closing);
    // Grok makes portrait videos of its own size whatever was asked; only an image starts one.
    const plan = grokPlan(ctx, { width: 704, height: 1280, seconds: 6 }, v1ImageName(), 'images');
    return grokV1Script(s, plan, scenario, hasImage);
  }
  const shape = v2Shape(ctx.chat, body['model'], body['video_config'], res);
  if (!shape) return;
  const s = new ChunkStream(res, ctx.closing);
  const plan = grokPlan(ctx, shape, randomHex(32), 'v1-files');
  return grokV2Script(s, plan, scenario);
}

/** Where grok2api serves its cached copies: v1 `/images/<path>`, v2 `/v1/files/video?id=<hex>`. */
export function serveGrokFile(
  ctx: GatewayContext,
  parsed: ParsedRequest,
  res: ServerResponse,
): boolean {
  if (parsed.pathname.startsWith('/images/'))
    return ctx.files.serveClip(
      decodeURIComponent(parsed.pathname.slice('/images/'.length)),
      parsed.method,
      res,
    );
  if (parsed.pathname === '/v1/files/video') {
    if (!ctx.files.serveClip(parsed.query.get('id') ?? '', parsed.method, res))
      sendStarlette(res, 404, { detail: 'Not Found' });
    return true;
  }
  return false;
}

function grokPlan(
  ctx: GatewayContext,
  shape: ClipShape,
  name: string,
  place: 'images' | 'v1-files',
): GrokPlan {
  const origin = ctx.origin();
  const local = place === 'images' ? `/images/${name}` : `/v1/files/video?id=${name}`;
  return {
    settings: ctx.chat,
    interval: ctx.progressIntervalMs,
    serve: async () => {
      ctx.files.registerClip(await loadClip(shape), name);
      // Stands in for `https://assets.grok.com/…`, which the fake cannot serve.
      return `${origin}/files/${name}`;
    },
    localUrl: ctx.chat.publicUrl ? `${origin}${local}` : local,
    responseId: `chatcmpl-${Date.now()}${randomHex(8)}`,
    shape,
  };
}

/** `users-<uuid>-generated-<uuid>-generated_video.mp4`: Grok's asset path with `/` as `-`. */
function v1ImageName(): string {
  return `users-${randomUUID()}-generated-${randomUUID()}-generated_video.mp4`;
}

/** Text of all messages joined, first image only (v1); the last text and every image (v2). */
function messageParts(messages: unknown[]): { prompt: string; hasImage: boolean } {
  let prompt = '';
  let hasImage = false;
  for (const message of messages) {
    const content = (message as { content?: unknown } | null)?.content;
    if (typeof content === 'string') prompt += content;
    if (!Array.isArray(content)) continue;
    for (const part of content as Array<Record<string, unknown>>) {
      if (part?.['type'] === 'text') prompt += String(part['text'] ?? '');
      if (part?.['type'] === 'image_url') hasImage = true;
    }
  }
  return { prompt, hasImage };
}

/** v1 checks the key only when one is set (the fake always has one), FastAPI's HTTPException. */
function authorizedV1(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse): boolean {
  const token = bearerToken(req);
  const fail = (message: string, code: string): false => {
    sendStarlette(res, 401, { detail: { error: { message, type: 'authentication_error', code } } });
    return false;
  };
  if (!token) return fail('缺少认证令牌', 'missing_token');
  if (token !== ctx.apiKey) return fail(`令牌无效，长度: ${token.length}`, 'invalid_token');
  return true;
}

function authorizedV2(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse): boolean {
  const token = bearerToken(req);
  if (!token) sendStarlette(res, 401, { detail: 'Missing or invalid Authorization header.' });
  else if (token !== ctx.apiKey) sendStarlette(res, 403, { detail: 'Invalid API key.' });
  else return true;
  return false;
}

/** v1's failures before the stream: its errors printed as Python text inside a 500. */
function failsBeforeStreamV1(res: ServerResponse, scenario: string): boolean {
  const fail = (message: string): true => {
    sendStarlette(res, 500, { error: { message, type: 'api_error' } });
    return true;
  };
  if (scenario === 'no-token')
    return fail(
      "{'error': {'message': '没有可用Token: grok-imagine-0.9', 'type': 'api_error', 'code': 'NO_AVAILABLE_TOKEN'}}",
    );
  if (scenario === 'ip-blocked')
    return fail(
      '请求错误: 请求失败: 403 - 您的IP被拦截，请尝试以下方法之一: 1.更换IP 2.使用代理 3.配置CF值',
    );
  return false;
}

function invalid(
  res: ServerResponse,
  message: string,
  param: string,
  code = 'invalid_value',
): void {
  sendStarlette(res, 400, { error: { message, type: 'invalid_request_error', code, param } });
}

const SIZES_NOW = ['720x1280', '1280x720', '1024x1024', '1024x1792', '1792x1024'];
const RATIO_OF_SIZE: Record<string, string> = {
  '720x1280': '9:16',
  '1024x1792': '9:16',
  '1280x720': '16:9',
  '1792x1024': '16:9',
  '1024x1024': '1:1',
};
const RATIOS_BEFORE = ['2:3', '3:2', '1:1', '9:16', '16:9'];

/**
 * What a v2 build makes of `video_config`, or null once it has answered 400. Each build reads
 * only its own keys: a current build given only `aspect_ratio` makes its default portrait 6 s,
 * an older one given only `size` its default 3:2 6 s.
 */
function v2Shape(
  settings: ChatSettings,
  model: unknown,
  config: unknown,
  res: ServerResponse,
): ClipShape | null {
  if (model !== 'grok-imagine-video') {
    invalid(
      res,
      `Model '${String(model)}' does not exist or you do not have access to it.`,
      'model',
      'model_not_found',
    );
    return null;
  }
  const given = (config && typeof config === 'object' ? config : {}) as Record<string, Json>;
  if (builtSince(settings, '2026-04-08')) {
    const seconds = given['seconds'] ?? 6;
    const size = given['size'] ?? '720x1280';
    const resolution = given['resolution_name'] ?? '720p';
    if (typeof size !== 'string' || !SIZES_NOW.includes(size)) {
      invalid(
        res,
        `Input should be ${SIZES_NOW.map((s) => `'${s}'`)
          .join(', ')
          .replace(/, ([^,]*)$/, ' or $1')}`,
        'video_config.size',
        'literal_error',
      );
      return null;
    }
    if (typeof seconds !== 'number' || ![6, 10, 12, 16, 20].includes(seconds)) {
      invalid(res, 'seconds must be one of [6, 10, 12, 16, 20]', 'seconds');
      return null;
    }
    return ratioShape(RATIO_OF_SIZE[size], String(resolution), seconds);
  }
  const ratio = given['aspect_ratio'] ?? '3:2';
  const length = given['video_length'] ?? 6;
  const resolution = given['resolution_name'] ?? '480p';
  const ratioName = typeof ratio === 'string' ? (RATIO_OF_SIZE[ratio] ?? ratio) : '';
  if (!RATIOS_BEFORE.includes(ratioName)) {
    invalid(
      res,
      `aspect_ratio must be one of ${JSON.stringify(RATIOS_BEFORE)}`,
      'video_config.aspect_ratio',
      'invalid_aspect_ratio',
    );
    return null;
  }
  const lengths = builtSince(settings, '2026-03-06') ? range(6, 30) : [6, 10, 15];
  if (typeof length !== 'number' || !lengths.includes(length)) {
    const allowed = builtSince(settings, '2026-03-06')
      ? 'between 6 and 30 seconds'
      : 'must be 6, 10, or 15 seconds';
    invalid(res, `video_length ${allowed}`, 'video_config.video_length', 'invalid_video_length');
    return null;
  }
  return ratioShape(ratioName, String(resolution), length);
}

/** The frame of a ratio at 480p or 720p: the short side is the resolution. */
function ratioShape(ratio: string, resolution: string, seconds: number): ClipShape {
  const short = resolution === '480p' ? 480 : 720;
  const [w, h] = ratio.split(':').map(Number);
  const long = Math.round((short * Math.max(w, h)) / Math.min(w, h) / 2) * 2;
  return w >= h ? { width: long, height: short, seconds } : { width: short, height: long, seconds };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function unknownScenario(res: ServerResponse, scenario: string, known: readonly string[]): void {
  sendStarlette(res, 400, {
    detail: `fake gateway: unknown scenario "${scenario}" for this dialect (known: ${known.join(', ')})`,
  });
}

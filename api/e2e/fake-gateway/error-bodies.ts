import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayContext, scenarioOf } from './gateway-context';
import { bearerToken, ParsedRequest, randomHex, send } from './http-util';
import { isMultipartBody } from './multipart';

/**
 * Refusals whose meaning is in their words, not their status, answered the way the gateways of
 * section C write them: the same answer to `POST /v1/chat/completions` and `POST /v1/videos`,
 * since new-api and grok2api put both behind one error path. `content-502` is a new-api job
 * whose `/content` proxy fails. Checked before the protocol handlers, and only with the right key
 * (every gateway checks the key first).
 */
export const ERROR_BODY_SCENARIOS: readonly string[] = [
  'quota-403',
  'ip-blocked-500',
  'no-token-500',
  'invalid-model-500',
  'no-channel-503',
  'forbidden-403',
  'content-502',
];

interface Answer {
  status: number;
  body: string;
  /** gin (new-api) and uvicorn (grok2api) answer with different headers; the type is what counts. */
  server: 'gin' | 'uvicorn';
}

function answerFor(scenario: string, model: string): Answer | null {
  switch (scenario) {
    case 'quota-403':
      // new-api's pre-consume check (service/pre_consume_quota.go), newer builds.
      return gin(403, {
        code: 'insufficient_user_quota',
        message: '用户额度不足, 剩余额度: ＄0.000000',
        data: null,
      });
    case 'ip-blocked-500':
      // grok2api v1: Grok's 403 for the gateway's address, printed into its own error.
      return uvicorn(500, {
        detail: {
          error: {
            message: '请求错误: 请求失败: 403 - 您的IP被拦截，请稍后再试或更换代理',
            type: 'api_error',
          },
        },
      });
    case 'no-token-500':
      // grok2api v1: the provider's error dict printed with Python's str().
      return uvicorn(500, {
        error: {
          message: `{'error': {'message': '没有可用Token: ${model}', 'type': 'rate_limit_error'}}`,
          type: 'api_error',
        },
      });
    case 'invalid-model-500':
      // sora2api: HTTPException(400) caught by `except Exception` and answered as a 500.
      return uvicorn(500, {
        error: {
          message: `400: Invalid model: ${model}`,
          type: 'server_error',
          param: null,
          code: null,
        },
      });
    case 'no-channel-503': {
      // new-api's distributor middleware (abortWithOpenAiMessage adds the request id).
      const requestId = `${new Date().toISOString().replace(/\D/g, '').slice(0, 17)}${randomHex(8)}`;
      return gin(503, {
        error: {
          message: `分组 default 下模型 ${model} 无可用渠道（distributor） (request id: ${requestId})`,
          type: 'new_api_error',
          code: 'model_not_found',
        },
      });
    }
    case 'forbidden-403':
      return gin(403, { error: { message: 'Forbidden', type: 'new_api_error', code: '' } });
    default:
      return null;
  }
}

function gin(status: number, body: unknown): Answer {
  return { status, body: JSON.stringify(body), server: 'gin' };
}

function uvicorn(status: number, body: unknown): Answer {
  return { status, body: JSON.stringify(body), server: 'uvicorn' };
}

/** new-api-style jobs of `content-502`: created, done at the first poll, content never served. */
export class ErrorBodies {
  private readonly contentJobs = new Set<string>();

  constructor(private readonly ctx: GatewayContext) {}

  /** False when the request is not one of these scenarios (or not for an error body at all). */
  handle(req: IncomingMessage, res: ServerResponse, parsed: ParsedRequest): boolean {
    if (bearerToken(req) !== this.ctx.apiKey) return false;
    const job = /^\/v1\/videos\/([^/]+)(\/content)?$/.exec(parsed.pathname);
    if (job && parsed.method === 'GET' && this.contentJobs.has(job[1])) {
      if (job[2]) {
        // controller/video_proxy.go when the channel's own `/content` fails.
        reply(
          res,
          gin(502, {
            error: { message: 'Upstream service returned status 404', type: 'server_error' },
          }),
        );
      } else {
        reply(res, gin(200, videoObject(job[1], 'completed', 100)));
      }
      return true;
    }
    const isChat = parsed.pathname === '/v1/chat/completions';
    if (parsed.method !== 'POST' || (!isChat && parsed.pathname !== '/v1/videos')) return false;
    const { prompt, model } = promptOf(parsed.body, isChat);
    const scenario = scenarioOf(prompt);
    if (!ERROR_BODY_SCENARIOS.includes(scenario)) return false;
    if (scenario === 'content-502' && !isChat) {
      const id = `task_${randomHex(32)}`;
      this.contentJobs.add(id);
      reply(res, gin(200, videoObject(id, 'queued', 0)));
      return true;
    }
    const answer = answerFor(scenario, model);
    if (!answer) return false;
    reply(res, answer);
    return true;
  }
}

function videoObject(id: string, status: string, progress: number) {
  return {
    id,
    task_id: id,
    object: 'video',
    model: 'sora-2',
    status,
    progress,
    created_at: Math.floor(Date.now() / 1000),
    seconds: '4',
    size: '720x1280',
  };
}

function promptOf(body: unknown, isChat: boolean): { prompt: string; model: string } {
  const fields = isMultipartBody(body)
    ? body.fields
    : typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)
      : {};
  const model = typeof fields['model'] === 'string' ? fields['model'] : 'sora-2';
  if (!isChat) return { prompt: String(fields['prompt'] ?? ''), model };
  const messages = Array.isArray(fields['messages']) ? fields['messages'] : [];
  const content = (messages[messages.length - 1] as { content?: unknown } | undefined)?.content;
  const parts = Array.isArray(content) ? content : [{ type: 'text', text: content }];
  const text = parts
    .map((part) => (part as { text?: unknown })?.text)
    .filter((part) => typeof part === 'string')
    .join(' ');
  return { prompt: text, model };
}

function reply(res: ServerResponse, { status, body, server }: Answer): void {
  send(res, status, body, {
    'content-type': server === 'gin' ? 'application/json; charset=utf-8' : 'application/json',
    ...(server === 'uvicorn' ? { server: 'uvicorn' } : {}),
  });
}

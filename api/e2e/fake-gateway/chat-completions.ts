import type { IncomingMessage, ServerResponse } from 'node:http';
import { ChatSettings, soraModels, soraModelShape } from './chat-dialects';
import { soraScenarioExists, soraVoice, STREAM_SCRIPTS } from './chat-scenarios';
import { ChatRequest, lastMessageParts, validateChatRequest } from './chat-validation';
import { ChunkStream } from './chunk-stream';
import { ClipShape, loadClip } from './clips';
import { FileKind } from './files';
import { GatewayContext, scenarioOf } from './gateway-context';
import { handleGrokChat } from './grok-chat';
import { GROK_V1_SCENARIOS, grokV2Scenarios } from './grok-scenarios';
import { bearerToken, ParsedRequest, send, sendStarlette } from './http-util';

/** Scenarios answered before any streaming, with an HTTP error status. */
export const HTTP_SCENARIOS = [
  'http-401',
  'http-422',
  'http-500',
  'http-429-once',
  'http-503-once',
];

const NGINX_503 =
  '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n' +
  '<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** Prompt markers the gateway's chat dialect understands. */
export function chatScenarioNames(settings: ChatSettings): string[] {
  if (settings.dialect === 'grok2api-v1') return [...GROK_V1_SCENARIOS];
  if (settings.dialect === 'grok2api-v2') return grokV2Scenarios(settings);
  const streamed = Object.keys(STREAM_SCRIPTS).filter((name) => soraScenarioExists(name, settings));
  return [...streamed, ...HTTP_SCENARIOS];
}

/** `GET /v1/models`, as sora2api lists its MODEL_CONFIG. */
export function handleModels(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse): void {
  if (!authorized(ctx, req, res)) return;
  const data = Object.entries(soraModels(ctx.chat)).map(([id, orientation]) => ({
    id,
    object: 'model',
    owned_by: 'sora2api',
    description: `Video generation - ${orientation}`,
  }));
  sendStarlette(res, 200, { object: 'list', data });
}

/** `POST /v1/chat/completions`, in the order FastAPI and sora2api check things. */
export async function handleChatCompletions(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  parsed: ParsedRequest,
): Promise<void> {
  if (ctx.chat.dialect === 'grok2api-v1' || ctx.chat.dialect === 'grok2api-v2')
    return handleGrokChat(ctx, req, res, parsed);
  // FastAPI decodes the JSON body before it runs the auth dependency.
  if (parsed.jsonError) {
    const error = {
      type: 'json_invalid',
      loc: ['body', parsed.jsonError.position],
      msg: 'JSON decode error',
    };
    return sendStarlette(res, 422, {
      detail: [{ ...error, input: {}, ctx: { error: 'Expecting value' } }],
    });
  }
  if (!authorized(ctx, req, res)) return;
  if (parsed.body === undefined) {
    return sendStarlette(res, 422, {
      detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }],
    });
  }
  const { value: request, errors } = validateChatRequest(parsed.body);
  if (!request) return sendStarlette(res, 422, { detail: errors.map((e) => ({ ...e })) });
  // sora2api raises HTTPException(400) inside a try whose `except Exception` answers 500 with
  // str(exc), hence "400: ..." in a 500.
  if (request.messages.length === 0) return serverError(res, '400: Messages cannot be empty');
  const { prompt, hasImage } = lastMessageParts(request);
  const scenario = scenarioOf(prompt);
  if (!HTTP_SCENARIOS.includes(scenario) && !soraScenarioExists(scenario, ctx.chat))
    return unknownScenario(ctx, res, scenario);
  if (httpScenario(ctx, res, scenario, request, prompt)) return;
  const shape = soraModelShape(ctx.chat, request.model);
  if (!shape) return serverError(res, `400: Invalid model: ${request.model}`);
  if (!request.stream) return availabilityCheck(res);

  const stream = new ChunkStream(
    res,
    ctx.closing,
    ctx.chat.dialect === 'modified-sora2api' ? 'modified-sora2api' : 'sora2api',
  );
  const plan = {
    withImage: hasImage,
    interval: ctx.progressIntervalMs,
    resultUrl: () => resultUrl(ctx, scenario, shape),
    voice: soraVoice(ctx.chat),
  };
  // The `*-once` scenarios stream a normal generation once the retry gets through.
  await (STREAM_SCRIPTS[scenario] ?? STREAM_SCRIPTS['success'])(stream, plan);
}

/** sora2api's `verify_api_key_header` behind FastAPI's HTTPBearer. */
function authorized(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse): boolean {
  const token = bearerToken(req);
  if (token === undefined || token === '') sendStarlette(res, 403, { detail: 'Not authenticated' });
  else if (token === null)
    sendStarlette(res, 403, { detail: 'Invalid authentication credentials' });
  else if (token !== ctx.apiKey) sendStarlette(res, 401, { detail: 'Invalid API key' });
  else return true;
  return false;
}

function httpScenario(
  ctx: GatewayContext,
  res: ServerResponse,
  scenario: string,
  request: ChatRequest,
  prompt: string,
): boolean {
  switch (scenario) {
    case 'http-401':
      sendStarlette(res, 401, { detail: 'Invalid API key' });
      return true;
    case 'http-422': {
      const loc = ['body', 'messages', request.messages.length - 1, 'content', 'str'];
      const msg = 'String should have at most 4000 characters';
      const detail = [
        { type: 'string_too_long', loc, msg, input: prompt, ctx: { max_length: 4000 } },
      ];
      sendStarlette(res, 422, { detail });
      return true;
    }
    case 'http-500':
      serverError(res, `400: Invalid model: ${request.model}`);
      return true;
    case 'http-429-once': {
      if (!ctx.failFirst(`chat:${scenario}:${prompt}`)) return false;
      const error = {
        message: 'Rate limit exceeded, please retry later',
        type: 'rate_limit_error',
        param: null,
        code: 'rate_limit_exceeded',
      };
      sendStarlette(res, 429, { error }, { 'retry-after': '1' });
      return true;
    }
    case 'http-503-once':
      // A reverse proxy in front of the gateway answers with its own HTML page, not JSON.
      if (!ctx.failFirst(`chat:${scenario}:${prompt}`)) return false;
      send(res, 503, NGINX_503, { 'content-type': 'text/html', server: 'nginx' });
      return true;
    default:
      return false;
  }
}

function serverError(res: ServerResponse, message: string): void {
  sendStarlette(res, 500, { error: { message, type: 'server_error', param: null, code: null } });
}

/** Without `stream: true` sora2api generates nothing and only reports availability. */
function availabilityCheck(res: ServerResponse): void {
  const now = Date.now();
  sendStarlette(res, 200, {
    id: `chatcmpl-${now / 1000}`,
    object: 'chat.completion',
    created: Math.floor(now / 1000),
    model: 'sora',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content:
            'All tokens available for video generation. Please enable streaming to use the generation feature.',
        },
        finish_reason: 'stop',
      },
    ],
  });
}

/** Not something a real gateway does: a typo in a test's marker must not pass as `success`. */
function unknownScenario(ctx: GatewayContext, res: ServerResponse, scenario: string): void {
  const known = chatScenarioNames(ctx.chat).join(', ');
  sendStarlette(res, 400, {
    detail: `fake gateway: unknown scenario "${scenario}" (known: ${known})`,
  });
}

/** The result's URL once it is served: a clip of the shape the model makes, or a bad file. */
async function resultUrl(ctx: GatewayContext, scenario: string, shape: ClipShape): Promise<string> {
  const kinds: Record<string, FileKind> = {
    'redirect-private': 'redirect-private',
    oversized: 'oversized',
    'not-video': 'not-video',
    'wrong-type': 'wrong-type',
    drip: 'drip',
  };
  const origin = scenario === 'private-url' ? ctx.privateOrigin() : ctx.origin();
  const kind = kinds[scenario];
  const name = kind ? ctx.files.register(kind) : ctx.files.registerClip(await loadClip(shape));
  return `${origin}/files/${name}`;
}

import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { chatScenarioNames, handleChatCompletions, handleModels } from './chat-completions';
import { ChatDialect, ChatDialectOptions, chatSettings } from './chat-dialects';
import { ErrorBodies } from './error-bodies';
import { FileStore } from './files';
import { GatewayContext, onceCounter } from './gateway-context';
import { serveGrokFile } from './grok-chat';
import { BodyTooLargeError, ParsedRequest, readRequest, sendStarlette } from './http-util';
import { loadMedia } from './media';
import { VideosApi, VideosDialectName } from './videos-api';

/**
 * A fake upstream video gateway speaking both protocols of ../../../shared/upstream-protocols.md:
 * sora2api-style streaming chat completions and OpenAI-style `/v1/videos` jobs, quirks and
 * failures included, with real MP4 results. Scenarios are chosen per prompt with
 * `[scenario:NAME]`; see README.md beside this file.
 */

export interface RecordedRequest {
  method: string;
  /** Path and query string, e.g. `/v1/videos/video_1/content?variant=thumbnail`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, `{fields, files}` for multipart, the text of anything else, undefined if empty. */
  body: unknown;
}

export interface FakeGateway {
  /** OpenAI-style base including /v1, e.g. http://127.0.0.1:PORT/v1 */
  readonly url: string;
  readonly apiKey: string;
  /** Every request received, in order (the private 127.0.0.2 file server's included). */
  readonly requests: RecordedRequest[];
  /** Base URL of the gateway's own file server (result videos are served from here). */
  readonly filesUrl: string;
  /** Prompt markers `POST /v1/videos` understands in the gateway's videos dialect. */
  readonly videoScenarios: readonly string[];
  /** Prompt markers `POST /v1/chat/completions` understands in the gateway's chat dialect. */
  readonly chatScenarios: readonly string[];
  close(): Promise<void>;
}

export interface FakeGatewayOptions {
  /** 0 = any free port (default) */
  port?: number;
  /** Default 127.0.0.1; only loopback addresses are accepted. */
  host?: string;
  /** Default 'test-key' */
  apiKey?: string;
  /** Time between progress chunks (the real gateway: 30 s); tests use ~50-200 ms. Default 100. */
  progressIntervalMs?: number;
  /** Simulated generation time for openai-videos jobs. Default 1000. */
  jobDurationMs?: number;
  /**
   * Whose `/v1/videos` to speak (section C of the protocols page): `openai` (default), `new-api`,
   * `go-sora2api`, `grok2api` (v2) or `modified-sora2api`.
   */
  videosDialect?: VideosDialectName;
  /**
   * Whose chat completions to speak (chat-dialects.ts): `sora2api` (default, today's builds),
   * `sora2api-legacy`, `modified-sora2api`, `grok2api-v1`, `grok2api-v2`, or with the build and
   * settings, e.g. `{ dialect: 'grok2api-v2', build: '2026-03-20' }`.
   */
  chatDialect?: ChatDialect | ChatDialectOptions;
}

/** The loopback address result URLs of `private-url` point at: not the gateway's own host. */
export const PRIVATE_HOST = '127.0.0.2';

export async function startFakeGateway(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) throw new Error(`The fake gateway binds to loopback only, not to ${host}`);
  const media = await loadMedia();
  const closing = new AbortController();
  const requests: RecordedRequest[] = [];
  const origins = { public: '', private: '' };
  const ctx: GatewayContext = {
    apiKey: options.apiKey ?? 'test-key',
    progressIntervalMs: options.progressIntervalMs ?? 100,
    jobDurationMs: options.jobDurationMs ?? 1000,
    videosDialect: options.videosDialect ?? 'openai',
    chat: chatSettings(
      typeof options.chatDialect === 'string'
        ? { dialect: options.chatDialect }
        : options.chatDialect,
    ),
    media,
    files: new FileStore(media, () => origins.private),
    origin: () => origins.public,
    privateOrigin: () => origins.private,
    closing: closing.signal,
    failFirst: onceCounter(),
  };
  const videos = new VideosApi(ctx);
  const errorBodies = new ErrorBodies(ctx);

  const route = async (
    req: IncomingMessage,
    res: ServerResponse,
    parsed: ParsedRequest,
  ): Promise<void> => {
    const { method, pathname } = parsed;
    if (
      ctx.files.handle(method, pathname, res) ||
      serveGrokFile(ctx, parsed, res) ||
      errorBodies.handle(req, res, parsed) ||
      videos.handle(req, res, parsed)
    )
      return;
    if (pathname === '/v1/chat/completions' && method === 'POST')
      return handleChatCompletions(ctx, req, res, parsed);
    if (pathname === '/v1/models' && method === 'GET') return handleModels(ctx, req, res);
    if (pathname === '/v1/chat/completions' || pathname === '/v1/models') {
      return sendStarlette(res, 405, { detail: 'Method Not Allowed' });
    }
    sendStarlette(res, 404, { detail: 'Not Found' });
  };
  // The private server only serves files: it stands for some internal host a result URL names.
  const privateRoute = async (
    _req: IncomingMessage,
    res: ServerResponse,
    parsed: ParsedRequest,
  ) => {
    if (!ctx.files.handle(parsed.method, parsed.pathname, res))
      sendStarlette(res, 404, { detail: 'Not Found' });
  };

  const server = createServer(recorder(requests, route));
  const port = await listen(server, options.port ?? 0, host);
  origins.public = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // Binding 127.0.0.2 works on Linux; elsewhere the URL still names it and simply refuses.
  const privateServer = createServer(recorder(requests, privateRoute));
  const privatePort = await listen(privateServer, 0, PRIVATE_HOST).catch(() => undefined);
  origins.private = `http://${PRIVATE_HOST}:${privatePort ?? port}`;

  let closed: Promise<void> | undefined;
  return {
    url: `${origins.public}/v1`,
    apiKey: ctx.apiKey,
    requests,
    filesUrl: `${origins.public}/files`,
    videoScenarios: videos.scenarios,
    chatScenarios: chatScenarioNames(ctx.chat),
    close: () => {
      closing.abort();
      closed ??= Promise.all([
        stop(server),
        privatePort === undefined ? undefined : stop(privateServer),
      ]).then(() => undefined);
      return closed;
    },
  };
}

type Route = (req: IncomingMessage, res: ServerResponse, parsed: ParsedRequest) => Promise<void>;

/** Reads and records each request, then routes it; a crash answers 500 instead of hanging. */
function recorder(requests: RecordedRequest[], route: Route) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      let parsed: ParsedRequest;
      try {
        parsed = await readRequest(req);
      } catch (error) {
        if (error instanceof BodyTooLargeError)
          sendStarlette(res, 413, { detail: 'Request Entity Too Large' });
        else res.destroy();
        return;
      }
      requests.push({
        method: parsed.method,
        path: parsed.path,
        headers: { ...req.headers },
        body: parsed.body,
      });
      await route(req, res, parsed);
    })().catch((error: unknown) => {
      console.error('fake gateway: request failed', error);
      if (!res.headersSent) sendStarlette(res, 500, { detail: 'Internal Server Error' });
      else res.destroy();
    });
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

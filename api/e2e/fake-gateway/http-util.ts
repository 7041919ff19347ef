import type { IncomingMessage, ServerResponse } from 'node:http';
import { Json, openAiDumps, openAiErrorDumps, starletteDumps } from './json-formats';
import { MultipartBody, parseMultipart } from './multipart';

/** Uploads larger than this are refused (413) instead of being buffered. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface ParsedRequest {
  method: string;
  /** Path with the query string, as received. */
  path: string;
  pathname: string;
  query: URLSearchParams;
  raw: Buffer;
  /** Parsed JSON, `{fields, files}` for multipart, the text for anything else, undefined if empty. */
  body: unknown;
  /** Set when the body claimed to be JSON but is not: the error message and offset. */
  jsonError?: { message: string; position: number };
}

export class BodyTooLargeError extends Error {}

export async function readRequest(req: IncomingMessage): Promise<ParsedRequest> {
  const raw = await readRaw(req);
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  const parsed: ParsedRequest = {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    pathname: url.pathname,
    query: url.searchParams,
    raw,
    body: undefined,
  };
  if (raw.length === 0) return parsed;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    parsed.body = parseMultipart(raw, type) satisfies MultipartBody | undefined;
    return parsed;
  }
  const text = raw.toString('utf8');
  try {
    parsed.body = JSON.parse(text);
  } catch (error) {
    parsed.body = text;
    parsed.jsonError = {
      message: (error as Error).message,
      position: jsonErrorPosition(error, text),
    };
  }
  return parsed;
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new BodyTooLargeError(`body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function jsonErrorPosition(error: unknown, text: string): number {
  const match = /position (\d+)/.exec(String((error as Error).message));
  return match ? Number(match[1]) : text.length;
}

/** A FastAPI/Starlette JSON response: compact, non-ASCII as UTF-8. */
export function sendStarlette(
  res: ServerResponse,
  status: number,
  body: Json,
  headers: Record<string, string> = {},
): void {
  send(res, status, starletteDumps(body), {
    'content-type': 'application/json',
    server: 'uvicorn',
    ...headers,
  });
}

/** An OpenAI API resource, pretty printed as api.openai.com does. */
export function sendOpenAi(
  res: ServerResponse,
  status: number,
  body: Json,
  headers: Record<string, string> = {},
): void {
  const text = status >= 400 ? openAiErrorDumps(body) : openAiDumps(body);
  send(res, status, text, { 'content-type': 'application/json', ...openAiHeaders(), ...headers });
}

export function openAiError(
  res: ServerResponse,
  status: number,
  error: { message: string; type: string; param?: string | null; code?: string | null },
  headers: Record<string, string> = {},
): void {
  const body = {
    error: {
      message: error.message,
      type: error.type,
      param: error.param ?? null,
      code: error.code ?? null,
    },
  };
  sendOpenAi(res, status, body, headers);
}

export function openAiHeaders(): Record<string, string> {
  return {
    'x-request-id': `req_${randomHex(32)}`,
    'openai-version': '2020-10-01',
    'openai-processing-ms': String(20 + Math.floor(Math.random() * 200)),
  };
}

export function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string>,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
  res.end(bytes);
}

export function randomHex(length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}

/** The Bearer token of a request, `undefined` without an Authorization header, `null` if malformed. */
export function bearerToken(req: IncomingMessage): string | null | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match ? match[1].trim() : null;
}

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Test helpers that look at the fake's bytes as they travel, with no client library between. */

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** How the body ended: complete, cut by the server, or stopped by us (timeout / byte limit). */
  ending: 'complete' | 'server-cut' | 'timeout' | 'limit';
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Stop reading (and close) after this long, keeping what arrived. */
  timeoutMs?: number;
  /** Stop reading (and close) once this many bytes arrived. */
  maxBytes?: number;
}

export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const finish = (ending: RawResponse['ending']): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text: body.toString('utf8'),
          ending,
        });
        if (ending === 'timeout' || ending === 'limit') req.destroy();
      };
      const timer = options.timeoutMs
        ? setTimeout(() => finish('timeout'), options.timeoutMs)
        : undefined;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (options.maxBytes !== undefined && size >= options.maxBytes) finish('limit');
      });
      res.on('end', () => finish('complete'));
      res.on('aborted', () => finish('server-cut'));
      res.on('error', () => finish('server-cut'));
      res.on('close', () => finish(res.complete ? 'complete' : 'server-cut'));
    });
    req.end(options.body);
  });
}

/** The events of an SSE body: the text between blank lines, as sent. */
export function sseBlocks(text: string): string[] {
  return text.split('\n\n').filter((block) => block !== '');
}

/** The JSON of each `data:` block except [DONE]. */
export function sseJson<T = Record<string, unknown>>(text: string): T[] {
  return sseBlocks(text)
    .flatMap((block) => block.split('\n').filter((line) => line.startsWith('data: ')))
    .map((line) => line.slice('data: '.length))
    .filter((data) => data !== '[DONE]' && data.startsWith('{'))
    .map((data) => JSON.parse(data) as T);
}

export interface Probe {
  width: number;
  height: number;
  codec: string;
  formatName: string;
}

/** ffprobe (the bundled one) on bytes, through a temporary file. */
export async function probe(bytes: Buffer): Promise<Probe> {
  const ffprobe = (require('@ffprobe-installer/ffprobe') as { path: string }).path;
  const dir = await mkdtemp(join(tmpdir(), 'fake-gateway-probe-'));
  try {
    const file = join(dir, 'media');
    await writeFile(file, bytes);
    const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file];
    const { stdout } = await promisify(execFile)(ffprobe, args);
    const output = JSON.parse(stdout) as {
      streams: { codec_type: string; codec_name: string; width: number; height: number }[];
      format: { format_name: string };
    };
    const video = output.streams.find((s) => s.codec_type === 'video');
    if (!video) throw new Error(`no video stream: ${stdout}`);
    return {
      width: video.width,
      height: video.height,
      codec: video.codec_name,
      formatName: output.format.format_name,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `POST {url}` with a JSON body and a Bearer key, read raw. */
export function postJson(
  url: string,
  body: unknown,
  apiKey?: string,
  options: RawRequestOptions = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...options.headers,
  };
  if (apiKey !== undefined) headers['authorization'] = `Bearer ${apiKey}`;
  return rawRequest(url, { ...options, method: 'POST', headers, body: JSON.stringify(body) });
}

/** A chat-completions request as the chat-stream provider sends it. */
export function chatRequest(
  gatewayUrl: string,
  apiKey: string,
  prompt: string,
  options: RawRequestOptions & { model?: string; stream?: boolean; image?: string } = {},
): Promise<RawResponse> {
  const { model = 'sora2-portrait-15s', stream = true, image, ...rest } = options;
  const content = image
    ? [
        { type: 'text', text: prompt },
        { type: 'image_url', image_url: { url: image } },
      ]
    : prompt;
  return postJson(
    `${gatewayUrl}/chat/completions`,
    { model, messages: [{ role: 'user', content }], stream },
    apiKey,
    rest,
  );
}

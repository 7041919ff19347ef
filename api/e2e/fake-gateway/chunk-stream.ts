import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sleep } from './gateway-context';
import { Json, pythonDumps, pythonDumpsUtf8 } from './json-formats';

export interface SoraDelta {
  role?: 'assistant';
  content?: string;
  reasoning?: string;
}

/**
 * sora2api writes every delta field, `native_finish_reason` and `usage`, non-ASCII escaped;
 * Modified_Sora2api only the fields that are set, raw UTF-8 (`ensure_ascii=False`).
 */
export type SoraChunkStyle = 'sora2api' | 'modified-sora2api';

/**
 * One streaming response, written the way sora2api's `_format_stream_chunk` does: Python
 * `json.dumps` defaults, `data: <json>\n\n`, no `event:` lines. Waits end early when the client
 * goes away or the gateway closes, so no timer outlives the test that started it.
 */
export class ChunkStream {
  private readonly stopped = new AbortController();
  /** sora2api's ids are `chatcmpl-<ms>`; its chunks are never within a millisecond of each other. */
  private lastMs = 0;

  constructor(
    private readonly res: ServerResponse,
    closing: AbortSignal,
    private readonly soraStyle: SoraChunkStyle = 'sora2api',
  ) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      server: 'uvicorn',
    });
    res.flushHeaders();
    const onClosing = (): void => {
      this.stopped.abort();
      res.destroy();
    };
    closing.addEventListener('abort', onClosing, { once: true });
    res.on('close', () => {
      this.stopped.abort();
      closing.removeEventListener('abort', onClosing);
    });
  }

  get open(): boolean {
    return !this.stopped.signal.aborted && !this.res.destroyed;
  }

  write(text: string): void {
    if (this.open) this.res.write(text);
  }

  /** A sora2api `chat.completion.chunk`, or Modified_Sora2api's sparser one. */
  sora(delta: SoraDelta, finishReason: string | null = null): void {
    this.lastMs = Math.max(Date.now(), this.lastMs + 1);
    const json =
      this.soraStyle === 'sora2api'
        ? pythonDumps(soraChunk(delta, finishReason, this.lastMs))
        : pythonDumpsUtf8(modifiedChunk(delta, finishReason, this.lastMs));
    this.write(`data: ${json}\n\n`);
  }

  /** sora2api's in-band failure: a top-level error and no `choices`. */
  soraError(message: string, eventLine = false): void {
    const body = { error: { message, type: 'server_error', param: null, code: null } };
    this.write(`${eventLine ? 'event: error\n' : ''}data: ${pythonDumps(body)}\n\n`);
  }

  /** grok2api v1's chunk (pydantic `model_dump_json`: compact, UTF-8 unescaped, lower-case stop). */
  grok(content: string, finishReason: string | null = null): void {
    const chunk = {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: 'grok-imagine-0.9',
      system_fingerprint: null,
      choices: [
        {
          index: 0,
          delta: content ? { role: 'assistant', content } : {},
          finish_reason: finishReason,
        },
      ],
    };
    this.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }

  /**
   * grok2api v2's chunk (orjson, compact): `{"role","content"}` or `{"role","reasoning_content"}`,
   * `finish_reason` only on the last one. One id for the whole answer.
   */
  grok2(id: string, delta: { content?: string; reasoning?: string }, finish?: 'stop'): void {
    const body: Record<string, Json> = { role: 'assistant' };
    if (delta.reasoning !== undefined) body['reasoning_content'] = delta.reasoning;
    else body['content'] = delta.content ?? '';
    const choice: Record<string, Json> = { index: 0, delta: body };
    if (finish) choice['finish_reason'] = finish;
    const chunk = {
      id,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: 'grok-imagine-video',
      choices: [choice],
    };
    this.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }

  /** grok2api v2's in-band failure: an `event: error` line, then `[DONE]`. */
  grok2Error(message: string, type: string, code: string): void {
    this.write(`event: error\ndata: ${JSON.stringify({ error: { message, type, code } })}\n\n`);
    this.done();
  }

  done(): void {
    this.write('data: [DONE]\n\n');
    this.end();
  }

  end(): void {
    if (this.open) this.res.end();
  }

  /** Drops the connection without finishing the chunked body, as a crashed worker or proxy does. */
  cut(): void {
    this.res.destroy();
  }

  /** Waits `ms`; false when the stream has stopped meanwhile. */
  wait(ms: number): Promise<boolean> {
    return sleep(ms, this.stopped.signal);
  }

  /** Keeps the connection open, silent, until the client or the gateway closes it. */
  hold(): Promise<void> {
    const signal = this.stopped.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  }
}

function soraChunk(delta: SoraDelta, finishReason: string | null, now: number): Json {
  const body: Record<string, Json> = {};
  if (delta.role) body['role'] = delta.role;
  body['content'] = delta.content ?? null;
  body['reasoning_content'] = delta.reasoning ?? null;
  body['tool_calls'] = null;
  const usage: Record<string, Json> = { prompt_tokens: 0 };
  if (finishReason) {
    usage['completion_tokens'] = 1;
    usage['total_tokens'] = 1;
  }
  return {
    id: `chatcmpl-${now}`,
    object: 'chat.completion.chunk',
    created: Math.floor(now / 1000),
    model: 'sora',
    choices: [
      { index: 0, delta: body, finish_reason: finishReason, native_finish_reason: finishReason },
    ],
    usage,
  };
}

function modifiedChunk(delta: SoraDelta, finishReason: string | null, now: number): Json {
  const body: Record<string, Json> = {};
  if (delta.role) body['role'] = delta.role;
  if (delta.content !== undefined) body['content'] = delta.content;
  if (delta.reasoning !== undefined) body['reasoning_content'] = delta.reasoning;
  return {
    id: `chatcmpl-${now}`,
    object: 'chat.completion.chunk',
    created: Math.floor(now / 1000),
    model: 'sora',
    choices: [{ index: 0, delta: body, finish_reason: finishReason }],
  };
}

import { LoggerService } from '@nestjs/common';
import { IncomingHttpHeaders } from 'node:http';
import { UpstreamConfig } from '../../config/app-config';
import { ProviderError } from '../video-provider';
import {
  IdleTimeoutError,
  OpenResponse,
  TransportError,
  openRequest,
  readSome,
} from './http-transport';
import { readUpstreamError, UpstreamErrorBody } from './upstream-error-text';
import { idleError, isRetryable, networkError, redact, statusError } from './upstream-errors';

const ERROR_BODY_MAX_BYTES = 64 * 1024;

export interface UpstreamClientOptions {
  /** OpenAI-style base including `/v1`. */
  baseUrl: string;
  apiKey?: string;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  maxRetries: number;
  /** Full-jitter backoff: a random wait up to min(maxDelayMs, baseDelayMs * 2^retry). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the request fails at once. */
  maxRetryAfterMs?: number;
  random?: () => number;
  onRetry?: (retry: RetryNotice) => void;
}

export interface RetryNotice {
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  /** `HTTP 503`, `ECONNREFUSED`, ... */
  reason: string;
}

export interface UpstreamRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  json?: unknown;
  /** A body other than JSON (a multipart form), sent as is with its media type. */
  body?: { contentType: string; data: Buffer };
  accept?: string;
  signal: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The media type without parameters, lower case (`text/event-stream`). */
  contentType: string;
  /**
   * The body as it arrives. Fails with ProviderError `UPSTREAM_IDLE_TIMEOUT` after a silence,
   * `UPSTREAM_STREAM_CUT` when the connection breaks, or the signal's reason.
   */
  body: AsyncIterable<Buffer>;
  text(): Promise<string>;
  discard(): void;
}

/**
 * Calls an OpenAI-style upstream: Bearer key, connect and idle timeouts, and bounded retries
 * with full-jitter backoff, but only while nothing was accepted upstream (no connection, 408,
 * 409, 429, 5xx) and the answer's words name no lasting cause (see `isRetryable`). A success is
 * returned as soon as its headers arrive, so a stream that has begun is never sent twice. Every
 * failure is a ProviderError carrying the upstream's words.
 */
export class UpstreamClient {
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly random: () => number;

  constructor(private readonly options: UpstreamClientOptions) {
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.random = options.random ?? Math.random;
  }

  /** The client for the configured upstream; its retries are logged as warnings. */
  static fromConfig(upstream: UpstreamConfig, logger: LoggerService): UpstreamClient {
    if (!upstream.baseUrl) throw new Error('VIDEO_API_BASE_URL is not set');
    const { baseUrl, apiKey, connectTimeoutMs, idleTimeoutMs, maxRetries } = upstream;
    return new UpstreamClient({
      baseUrl,
      apiKey,
      connectTimeoutMs,
      idleTimeoutMs,
      maxRetries,
      onRetry: ({ retry, delayMs, reason }) =>
        logger.warn({ msg: 'Retrying the video service', retry, delayMs, reason }),
    });
  }

  /** OpenAI-style base including `/v1`. */
  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Resolves with a 2xx answer whose body is still to be read; rejects with a ProviderError. */
  async request(path: string, request: UpstreamRequest): Promise<UpstreamResponse> {
    const url = new URL(this.options.baseUrl + path);
    const body =
      request.body ??
      (request.json === undefined
        ? undefined
        : { contentType: 'application/json', data: Buffer.from(JSON.stringify(request.json)) });
    const headers: Record<string, string> = {
      accept: request.accept ?? 'application/json',
      'user-agent': 'vidgen',
    };
    if (this.options.apiKey) headers['authorization'] = `Bearer ${this.options.apiKey}`;
    if (body)
      Object.assign(headers, {
        'content-type': body.contentType,
        'content-length': String(body.data.length),
      });
    const { connectTimeoutMs, idleTimeoutMs, maxRetries } = this.options;

    for (let attempt = 1; ; attempt++) {
      let response: OpenResponse;
      try {
        response = await openRequest({
          url,
          method: request.method ?? 'GET',
          headers,
          body: body?.data,
          connectTimeoutMs,
          idleTimeoutMs,
          signal: request.signal,
        });
      } catch (error) {
        if (request.signal.aborted) throw request.signal.reason;
        // The request was sent and nothing came back: it may have been accepted, so no retry.
        if (error instanceof IdleTimeoutError) throw idleError(error);
        // A connection that failed or broke before any answer is retried: the gateways send their
        // response headers before they start work (Starlette streams begin with them).
        if (!(error instanceof TransportError)) throw error;
        if (attempt > maxRetries) throw networkError(error, url.host, attempt, connectTimeoutMs);
        await this.pause(attempt, this.backoff(attempt), error.code, request.signal);
        continue;
      }
      if (response.status >= 200 && response.status < 300) return this.success(response);

      const said = await this.errorBody(response);
      request.signal.throwIfAborted();
      if (!isRetryable(response.status, said) || attempt > maxRetries)
        throw statusError(response.status, said, attempt);
      const asked = retryAfterMs(response.headers);
      if (asked !== null && asked > this.maxRetryAfterMs)
        throw statusError(response.status, said, attempt);
      await this.pause(
        attempt,
        asked ?? this.backoff(attempt),
        `HTTP ${response.status}`,
        request.signal,
      );
    }
  }

  /** Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): spreads retries out. */
  private backoff(attempt: number): number {
    return Math.round(
      this.random() * Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1)),
    );
  }

  private async pause(
    attempt: number,
    delayMs: number,
    reason: string,
    signal: AbortSignal,
  ): Promise<void> {
    this.options.onRetry?.({ retry: attempt, delayMs, reason });
    await sleep(delayMs, signal);
  }

  private success(response: OpenResponse): UpstreamResponse {
    const body = mapBodyErrors(response.body);
    return {
      status: response.status,
      headers: response.headers,
      contentType: mediaType(response.headers['content-type']),
      body,
      text: async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of body) chunks.push(chunk);
        return Buffer.concat(chunks).toString('utf8');
      },
      discard: response.discard,
    };
  }

  /** The upstream's explanation, read within limits; never fails (the status is reason enough). */
  private async errorBody(response: OpenResponse): Promise<UpstreamErrorBody> {
    const body = await readSome(response, ERROR_BODY_MAX_BYTES);
    const said = readUpstreamError(
      body.toString('utf8'),
      String(response.headers['content-type'] ?? ''),
    );
    return {
      text: said.text === null ? null : redact(said.text, this.options.apiKey),
      codes: said.codes,
    };
  }
}

async function* mapBodyErrors(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* body;
  } catch (error) {
    if (error instanceof IdleTimeoutError) throw idleError(error);
    if (error instanceof TransportError) {
      throw new ProviderError(
        'UPSTREAM_STREAM_CUT',
        `The connection to the video service broke off (${error.code}).`,
      );
    }
    throw error;
  }
}

/** `Retry-After` in seconds or as an HTTP date, or OpenAI's `retry-after-ms`; null when absent. */
export function retryAfterMs(headers: IncomingHttpHeaders, now = Date.now()): number | null {
  const ms = Number(headers['retry-after-ms']);
  if (headers['retry-after-ms'] !== undefined && Number.isFinite(ms) && ms >= 0)
    return Math.round(ms);
  const value = headers['retry-after'];
  if (typeof value !== 'string' || value.trim() === '') return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** Waits, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

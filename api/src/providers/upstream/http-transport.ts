import { IncomingHttpHeaders, IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LookupFunction } from 'node:net';

/** A network failure before or while talking to a server; `stage` says how far it got. */
export class TransportError extends Error {
  constructor(
    /** `connect`: no connection was made; `request`: connected, no response yet; `body`: the response broke off. */
    readonly stage: 'connect' | 'request' | 'body',
    /** e.g. `ECONNREFUSED`, `CONNECT_TIMEOUT`, `ECONNRESET` */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** No byte arrived for `idleTimeoutMs`: before the response headers, or between body chunks. */
export class IdleTimeoutError extends Error {
  constructor(
    readonly idleTimeoutMs: number,
    readonly stage: 'request' | 'body',
  ) {
    super(`Nothing received for ${idleTimeoutMs} ms`);
    this.name = 'IdleTimeoutError';
  }
}

export interface PinnedAddress {
  address: string;
  family: 4 | 6;
}

export interface OpenRequestOptions {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  signal: AbortSignal;
  /** Connect to exactly this address instead of resolving the host name again (SSRF checks). */
  pinned?: PinnedAddress;
}

export interface OpenResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as it arrives; throws IdleTimeoutError, TransportError or the signal's reason. */
  body: AsyncIterable<Buffer>;
  /** Drops the body and the connection (for answers that are not read). */
  discard(): void;
}

/**
 * One HTTP exchange on a fresh connection, with a connect timeout, an idle timeout that covers
 * the wait for the headers and every gap between body chunks, and the caller's AbortSignal.
 * node:http rather than fetch: fetch has no connect timeout or per-connection address pinning
 * without the undici package, which is not one of the platform's dependencies.
 */
export function openRequest(options: OpenRequestOptions): Promise<OpenResponse> {
  const { url, signal } = options;
  return new Promise<OpenResponse>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // No agent: a pooled socket could be connected to an address that was never checked.
    const req = send(url, {
      method: options.method,
      headers: options.headers,
      agent: false,
      lookup: options.pinned ? pinnedLookup(options.pinned) : undefined,
    });
    let connected = false;
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    let idleTimer: NodeJS.Timeout | undefined;
    const stopTimers = (): void => {
      clearTimeout(connectTimer);
      clearTimeout(idleTimer);
    };
    const fail = (error: unknown): void => {
      stopTimers();
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      if (!settled) {
        settled = true;
        reject(error);
      }
    };
    const onAbort = (): void => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });

    const armIdle = (): void => {
      connected = true;
      clearTimeout(connectTimer);
      idleTimer = setTimeout(
        () => fail(new IdleTimeoutError(options.idleTimeoutMs, 'request')),
        options.idleTimeoutMs,
      );
    };
    req.on('socket', (socket) => {
      if (!socket.connecting) return armIdle();
      connectTimer = setTimeout(
        () =>
          fail(
            new TransportError(
              'connect',
              'CONNECT_TIMEOUT',
              `no connection within ${options.connectTimeoutMs} ms`,
            ),
          ),
        options.connectTimeoutMs,
      );
      socket.once('connect', armIdle);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'ERROR';
      fail(new TransportError(connected ? 'request' : 'connect', code, error.message));
    });
    req.on('response', (res) => {
      stopTimers();
      signal.removeEventListener('abort', onAbort);
      settled = true;
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: readBody(res, options.idleTimeoutMs, signal),
        discard: () => res.destroy(),
      });
    });
    req.end(options.body);
  });
}

/**
 * Up to `maxBytes` of an answer that is read only for its words (an error body), then the rest is
 * dropped. Never fails: a body that breaks off, stalls or is aborted gives what arrived (callers
 * look at their own signal).
 */
export async function readSome(response: OpenResponse, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxBytes) break;
    }
  } catch {
    // a broken error body: keep what arrived
  }
  response.discard();
  return Buffer.concat(chunks).subarray(0, maxBytes);
}

async function* readBody(
  res: IncomingMessage,
  idleTimeoutMs: number,
  signal: AbortSignal,
): AsyncGenerator<Buffer> {
  if (signal.aborted) {
    // Aborted between the headers and the first read: the abort event has already fired.
    res.destroy();
    throw signal.reason;
  }
  const idle = setTimeout(
    () => res.destroy(new IdleTimeoutError(idleTimeoutMs, 'body')),
    idleTimeoutMs,
  );
  const onAbort = (): void => {
    res.destroy(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of res) {
      idle.refresh();
      yield chunk as Buffer;
      idle.refresh();
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof IdleTimeoutError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'ECONNRESET';
    throw new TransportError('body', code, (error as Error).message);
  } finally {
    clearTimeout(idle);
    signal.removeEventListener('abort', onAbort);
    if (!res.complete) res.destroy();
  }
}

/** Answers every lookup with the address already checked, in both callback shapes Node uses. */
function pinnedLookup(pinned: PinnedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
}

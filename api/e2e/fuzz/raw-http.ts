import { connect } from 'node:net';

/** Speaking HTTP/1.1 by hand: sending bytes no client library would, reading answers as bytes. */

export interface RawExchange {
  received: Buffer;
  /** How the connection ended after we sent our bytes and half-closed it. */
  ending: 'closed' | 'reset' | 'timeout';
  error?: string;
}

/** Sends `bytes`, half-closes, and reads until the server closes (or `timeoutMs` passes). */
export function exchange(baseUrl: string, bytes: Buffer, timeoutMs: number): Promise<RawExchange> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect({ host: hostname, port: Number(port) });
    const finish = (ending: RawExchange['ending'], error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received: Buffer.concat(chunks), ending, error });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => finish('closed'));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish(
        error.code === 'ECONNRESET' || error.code === 'EPIPE' ? 'reset' : 'closed',
        error.code,
      ),
    );
    socket.on('connect', () => {
      socket.write(bytes);
      socket.end();
    });
  });
}

export interface RawResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
}

export type Parsed = { responses: RawResponse[]; problem?: string };

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: [^\r\n]*)?$/;

/** Reads the answers in `bytes`; `problem` says where they stop being well-formed HTTP/1.1. */
export function parseResponses(bytes: Buffer, readToEnd: boolean): Parsed {
  const responses: RawResponse[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const headEnd = bytes.indexOf('\r\n\r\n', offset, 'latin1');
    if (headEnd < 0) return { responses, problem: 'a response head without its blank line' };
    const [statusLine, ...lines] = bytes.toString('latin1', offset, headEnd).split('\r\n');
    const match = statusLine.match(STATUS_LINE);
    if (!match) return { responses, problem: `not a status line: ${JSON.stringify(statusLine)}` };
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0 || /\s/.test(line.slice(0, colon))) {
        return { responses, problem: `not a header line: ${JSON.stringify(line)}` };
      }
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const status = Number(match[1]);
    offset = headEnd + 4;
    if (status < 200 || status === 204 || status === 304) {
      responses.push({ status, headers, body: Buffer.alloc(0) });
      continue;
    }
    if (headers['transfer-encoding'] !== undefined) {
      const chunked = readChunked(bytes, offset);
      if (!chunked) return { responses, problem: 'a chunked body that does not parse' };
      responses.push({ status, headers, body: chunked.body });
      offset = chunked.end;
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (!Number.isSafeInteger(length) || offset + length > bytes.length) {
        return { responses, problem: `Content-Length ${headers['content-length']} does not match` };
      }
      responses.push({ status, headers, body: bytes.subarray(offset, offset + length) });
      offset += length;
    } else if (readToEnd) {
      responses.push({ status, headers, body: bytes.subarray(offset) });
      offset = bytes.length;
    } else {
      return { responses, problem: 'a body with neither Content-Length nor chunked framing' };
    }
  }
  return { responses };
}

function readChunked(bytes: Buffer, start: number): { body: Buffer; end: number } | undefined {
  const parts: Buffer[] = [];
  let offset = start;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', offset, 'latin1');
    if (lineEnd < 0) return undefined;
    const size = parseInt(bytes.toString('latin1', offset, lineEnd).split(';')[0], 16);
    if (!Number.isSafeInteger(size)) return undefined;
    offset = lineEnd + 2;
    if (size === 0) {
      const end = bytes.indexOf('\r\n\r\n', offset - 2, 'latin1');
      return end < 0 ? undefined : { body: Buffer.concat(parts), end: end + 4 };
    }
    parts.push(bytes.subarray(offset, offset + size));
    offset += size + 2;
  }
}

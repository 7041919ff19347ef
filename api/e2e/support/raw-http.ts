import { connect, Socket } from 'node:net';
import { Response } from 'supertest';
import { TestApp } from './app';

export interface RawResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
  /** The server ended the connection (sent FIN) rather than leaving it open. */
  ended: boolean;
}

/** A new TCP connection to the app, for requests no HTTP client would send. */
export function connectTo(api: TestApp): Socket {
  const { hostname, port } = new URL(api.url);
  return connect(Number(port), hostname);
}

/**
 * Writes `request` exactly as given on a new connection and reads until the server closes it;
 * fails if it is still open after `deadlineMs` (the request should have been answered and the
 * connection ended long before).
 */
export function rawExchange(
  api: TestApp,
  request: string | Buffer,
  deadlineMs = 15_000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connectTo(api);
    const chunks: Buffer[] = [];
    let ended = false;
    const deadline = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server left the connection open: ${Buffer.concat(chunks)}`));
    }, deadlineMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => (ended = true));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(deadline);
      try {
        resolve({ ...parseResponse(Buffer.concat(chunks).toString('utf8')), ended });
      } catch (error) {
        reject(error);
      }
    });
    socket.write(request);
  });
}

/** One HTTP/1.1 response with a Content-Length body, as sent on the wire. */
export function parseResponse(text: string): Omit<RawResponse, 'ended'> {
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) throw new Error(`not an HTTP response: ${JSON.stringify(text)}`);
  const [statusLine, ...lines] = text.slice(0, headEnd).split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1]);
  if (!status) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: text.slice(headEnd + 4) };
}

/** The parts of a supertest Response that expectApiError reads, from a raw JSON response. */
export function asJsonResponse(raw: RawResponse): Response {
  return { status: raw.status, headers: raw.headers, body: JSON.parse(raw.body) } as Response;
}

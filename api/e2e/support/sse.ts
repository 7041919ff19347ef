import { ClientRequest, IncomingHttpHeaders, request } from 'node:http';
import { Response } from 'supertest';
import { TestApp } from './app';

/** One dispatched server-sent event, as an EventSource would see it. */
export interface SseEvent {
  /** The `id:` field of this event's own block; undefined when the block had none. */
  id: string | undefined;
  /** The `event:` field, or `message` when the block had none (as in EventSource). */
  event: string;
  /** The `data:` lines joined with newlines. */
  data: string;
}

/** Parses the data of an event as JSON. */
export function eventData<T = Record<string, unknown>>(event: SseEvent): T {
  return JSON.parse(event.data) as T;
}

/**
 * A server-sent events client on a raw HTTP request (no EventSource in Node 20): parses
 * `id:`, `event:` and `data:` lines and comment lines as the WHATWG spec says, and never
 * reconnects, so a test sees exactly what one connection delivered and when it ended.
 */
export class SseConnection {
  /** Every event in the order received, heartbeats (`ping`) included. */
  readonly events: SseEvent[] = [];
  /** The text of every comment line (`: ...`), in order. */
  readonly comments: string[] = [];
  /** The whole body as received: the JSON of an error answer, or the raw event stream. */
  text = '';
  /** The connection is over, for whatever reason. */
  ended = false;
  /** The server finished the response properly (not a dropped connection). */
  completed = false;

  private pending = '';
  private block: { id?: string; event?: string; data: string[] } = { data: [] };
  private listeners = new Set<() => void>();

  constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
    private readonly req: ClientRequest,
  ) {}

  /** The events other than heartbeats. */
  get jobEvents(): SseEvent[] {
    return this.events.filter((event) => event.event !== 'ping');
  }

  /** The answer in the shape of a supertest Response, for expectApiError() on a refused stream. */
  asResponse(): Response {
    return { status: this.status, headers: this.headers, body: this.json() } as unknown as Response;
  }

  /** The body parsed as JSON, for answers that are not an event stream (errors). */
  json<T = Record<string, unknown>>(): T {
    return JSON.parse(this.text) as T;
  }

  /** The first event, received already or still to come, that matches. */
  waitFor(
    predicate: (event: SseEvent) => boolean,
    timeoutMs = 30_000,
    what = 'a matching event',
  ): Promise<SseEvent> {
    return this.until(() => this.events.find(predicate), timeoutMs, what);
  }

  /** Resolves once at least `count` events match. */
  waitForCount(
    predicate: (event: SseEvent) => boolean,
    count: number,
    timeoutMs = 30_000,
  ): Promise<SseEvent[]> {
    return this.until(
      () => {
        const matching = this.events.filter(predicate);
        return matching.length >= count ? matching : undefined;
      },
      timeoutMs,
      `${count} matching events`,
    );
  }

  /** Resolves when the server ends the response. */
  async waitForEnd(timeoutMs = 30_000): Promise<void> {
    await this.until(() => (this.ended ? true : undefined), timeoutMs, 'the end of the stream');
  }

  /** Drops the connection, as a closed browser tab would. */
  close(): void {
    this.req.destroy();
    this.ended = true;
    this.notify();
  }

  /** @internal */
  receive(chunk: string): void {
    this.text += chunk;
    const lines = (this.pending + chunk).split(/\r\n|\r|\n/);
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.line(line);
    this.notify();
  }

  /** @internal */
  end(completed: boolean): void {
    this.completed ||= completed;
    this.ended = true;
    this.notify();
  }

  private line(line: string): void {
    if (line === '') {
      // A blank line dispatches the block; one without data is dropped, as the spec says.
      if (this.block.data.length > 0) {
        this.events.push({
          id: this.block.id,
          event: this.block.event || 'message',
          data: this.block.data.join('\n'),
        });
      }
      this.block = { data: [] };
      return;
    }
    if (line.startsWith(':')) {
      this.comments.push(line.slice(1).trimStart());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.block.data.push(value);
    else if (field === 'event') this.block.event = value;
    else if (field === 'id') this.block.id = value;
  }

  private until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const found = check();
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (this.ended) {
          done();
          reject(new Error(`The stream ended without ${what}. Received:\n${this.describe()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`No ${what} within ${timeoutMs} ms. Received:\n${this.describe()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(attempt);
      };
      this.listeners.add(attempt);
      attempt();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private describe(): string {
    return (
      this.events.map((e) => `  [${e.id}] ${e.event} ${e.data.slice(0, 200)}`).join('\n') ||
      '  (no events)'
    );
  }
}

/**
 * Opens an event stream on the app and resolves once the response headers are in: the status
 * then says whether the server accepted the stream (200) or refused it (an error body follows).
 */
export function openSse(
  api: TestApp,
  path: string,
  headers: Record<string, string>,
): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, {
      headers: { Accept: 'text/event-stream', ...headers },
      // A connection of its own: never pooled, so closing it closes exactly this stream.
      agent: false,
    });
    req.on('response', (response) => {
      const connection = new SseConnection(response.statusCode ?? 0, response.headers, req);
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => connection.receive(chunk));
      response.on('end', () => connection.end(response.complete));
      response.on('close', () => connection.end(false));
      response.on('error', () => connection.end(false));
      resolve(connection);
    });
    req.on('error', (error) => reject(error));
    req.end();
  });
}

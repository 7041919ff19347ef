import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { eventually } from '../../src/testing/eventually';

/** A request the receiver got, as a webhook consumer would read it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The raw body, exactly as sent: what signatures are checked against. */
  body: string;
}

/** How the receiver answers one request. */
export interface Answer {
  status: number;
  /** Waits this long before answering. */
  delayMs?: number;
  /** Answers only once this settles (a request held open while a test looks around). */
  until?: Promise<unknown>;
  headers?: Record<string, string>;
  body?: string;
}

const OK: Answer = { status: 204 };

/**
 * A webhook endpoint on 127.0.0.1 (node:http), as a consumer would run one: it records every
 * request and answers each path with the answers queued for it, in order, then with 204.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly queued = new Map<string, Answer[]>();

  private constructor(
    private readonly server: Server,
    /** e.g. http://127.0.0.1:41234 */
    readonly origin: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}`);
    server.on('request', (request, response) => void receiver.handle(request, response));
    return receiver;
  }

  /** The URL of an endpoint at `path` on this receiver. */
  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** Queues the answers to the next requests to `path`. */
  answer(path: string, ...answers: Answer[]): void {
    this.queued.set(path, [...(this.queued.get(path) ?? []), ...answers]);
  }

  /** The requests to `path` so far. */
  at(path: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  /** Waits until `path` has had `count` requests, and returns them. */
  async waitFor(path: string, count: number, timeoutMs = 30_000): Promise<ReceivedRequest[]> {
    return eventually(
      () => {
        const got = this.at(path);
        if (got.length < count) {
          throw new Error(`${path} got ${got.length} of ${count} requests`);
        }
        return got;
      },
      timeoutMs,
      50,
    );
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = request.url ?? '/';
    this.requests.push({
      method: request.method ?? '',
      path,
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      ),
      body: Buffer.concat(chunks).toString('utf8'),
    });
    const answer = this.queued.get(path)?.shift() ?? OK;
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    await answer.until;
    if (response.destroyed) return;
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  }
}

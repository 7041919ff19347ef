import { Agent, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { ConcreteRequest } from './resolve';

export interface Answer {
  /** Undefined when no answer came: see `error`. */
  status?: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** An event stream, read only for a moment. */
  stream: boolean;
  /** Why no (complete) answer came: a network error or the deadline. */
  error?: string;
}

/** Bytes of an answer kept at most; beyond this it is surely too large anyway. */
const MAX_BODY = 8 * 1024 * 1024;
/** How long an event stream is read before the fuzzer hangs up. */
const STREAM_READ_MS = 200;

/**
 * Sends one request with Node's own client, at most `maxSockets` at a time, and reads the whole
 * answer. No keep-alive: each request on a connection of its own, so one request's fate (a
 * connection the server closed) never lands on the next.
 */
export class Sender {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    maxSockets: number,
    private readonly timeoutMs: number,
  ) {
    this.agent = new Agent({ keepAlive: false, maxSockets });
  }

  send(request: ConcreteRequest): Promise<Answer> {
    const { hostname, port } = new URL(this.baseUrl);
    return new Promise((resolve) => {
      let settled = false;
      const chunks: Buffer[] = [];
      let size = 0;
      let answer: Omit<Answer, 'body'> | undefined;
      const finish = (error?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const body = Buffer.concat(chunks);
        resolve(
          answer && (!error || answer.stream)
            ? { ...answer, body }
            : {
                status: answer?.status,
                headers: answer?.headers ?? {},
                body,
                stream: false,
                error,
              },
        );
      };
      const timer = setTimeout(() => {
        finish(`no complete answer within ${this.timeoutMs / 1000} s`);
        req.destroy();
      }, this.timeoutMs);

      let req: ReturnType<typeof httpRequest>;
      try {
        req = httpRequest({
          hostname,
          port,
          method: request.method,
          path: request.path,
          headers: request.headers.flat(),
          agent: this.agent,
        });
      } catch (error) {
        clearTimeout(timer);
        throw new Error(`the fuzzer built a request Node refuses to send: ${String(error)}`);
      }
      req.on('response', (response) => {
        const stream = /^text\/event-stream/.test(response.headers['content-type'] ?? '');
        answer = { status: response.statusCode, headers: response.headers, stream };
        if (stream) {
          setTimeout(() => {
            finish();
            req.destroy();
          }, STREAM_READ_MS);
        }
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY) chunks.push(chunk);
        });
        response.on('end', () => finish(response.complete ? undefined : 'answer cut short'));
        response.on('error', (error) => finish(describe(error)));
      });
      req.on('error', (error) => {
        // The parser's own error answers (431, 400) cannot know a request was HEAD and carry a
        // body, which Node's client then reads as a broken next response; the status did arrive.
        const headAnswered = request.method === 'HEAD' && answer !== undefined;
        finish(
          headAnswered && /^HPE_/.test(String((error as NodeJS.ErrnoException).code))
            ? undefined
            : describe(error),
        );
      });
      if (request.body && request.chunked) {
        const half = Math.ceil(request.body.length / 2);
        req.write(request.body.subarray(0, half));
        req.end(request.body.subarray(half));
      } else {
        req.end(request.body);
      }
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function describe(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code} (${error.message})` : error.message;
}

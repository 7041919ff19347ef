import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiErrorBody, ErrorCode } from '@vidgen/contracts';
import {
  errorCodes,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { finished } from 'node:stream';
import { MalformedRequestError } from '../errors/domain-errors';
import { errorBodyFor } from '../errors/openai-error-body';
import { errorBody, statusErrorBody } from './error-body';

/**
 * How much of a refused request's body is read and thrown away before the answer is sent, and for
 * how long. Closing a connection while the client still sends makes the kernel reset it, and a
 * client that reads nothing before it has sent its whole body (many do) then never sees the
 * answer. Beyond these bounds the connection is closed anyway.
 */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;
const DISCARD_TIMEOUT_MS = 10_000;

/** How long a connection whose request could not be parsed stays half-open for its answer. */
const CLIENT_ERROR_LINGER_MS = 2_000;

/**
 * An error found before the body was read (too large, an unsupported type) waits for the rest of
 * the body to be thrown away before its answer goes out.
 */
export function discardUnreadBodiesOnError(fastify: FastifyInstance): void {
  fastify.addHook('onError', (request, reply) => discardUnreadBody(request, reply));
}

/** Node's own test for a 100-continue expectation (lib/_http_server.js), which it meets itself. */
const CONTINUE_EXPECTATION = /(?:^|\W)100-continue(?:$|\W)/i;

/**
 * Refuses, in the contract's shape, two requests Node's HTTP server would otherwise answer itself
 * with an empty body: an HTTP/1.1 request without Host (the server is created with
 * `requireHostHeader: false`, see createApp) and an Expect other than 100-continue (Node hands
 * it to 'checkExpectation' listeners; ours passes it on to the app). Added after the hooks that
 * set the request id and the security headers, so the refusals carry them.
 */
export function refuseUnservableRequests(fastify: FastifyInstance): void {
  fastify.server.on('checkExpectation', (req: IncomingMessage, res) =>
    fastify.server.emit('request', req, res),
  );
  fastify.addHook('onRequest', async (request, reply) => {
    const { httpVersion, headers } = request.raw;
    if (httpVersion === '1.1' && headers.host === undefined) {
      reply.header('Connection', 'close');
      throw new MalformedRequestError(
        400,
        'The request has no Host header, which HTTP/1.1 requires. Add one naming this server.',
      );
    }
    if (headers.expect !== undefined && !CONTINUE_EXPECTATION.test(headers.expect)) {
      throw new MalformedRequestError(
        417,
        'The Expect header asks for something this server does not do: send the request ' +
          'without it, or with Expect: 100-continue.',
      );
    }
  });
}

/**
 * Nest's Fastify adapter, but for one path of Fastify's that skips every hook (so the request id
 * and the security headers): a path that is not valid percent-encoding, with a method no route
 * has (PUT /api/jobs/%), goes straight from Fastify's not-found router to the not-found handler.
 * It is answered as the main router answers the same path with another method, through
 * `frameworkErrors`: 400 MALFORMED_REQUEST.
 */
export class EdgeFastifyAdapter extends FastifyAdapter {
  override setNotFoundHandler(handler: (request: FastifyRequest, reply: FastifyReply) => unknown) {
    return super.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
      const path = request.raw.url ?? '';
      if (!isValidPercentEncoding(path.split(/[?#]/, 1)[0])) {
        return answerFrameworkError(new errorCodes.FST_ERR_BAD_URL(path), request, reply);
      }
      return handler(request, reply);
    });
  }
}

/** Whether the router can decode `path` (find-my-way decodes it with decodeURI). */
function isValidPercentEncoding(path: string): boolean {
  try {
    decodeURI(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * For Fastify's `frameworkErrors` option: errors of the router, raised before any route or hook
 * (so before the exception filter), answered in the contract's shape.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const body = frameworkErrorBody(error, String(request.id));
  if (body.statusCode >= 500) request.log.error({ err: error }, 'Routing failed');
  void discardUnreadBody(request, reply).then(() =>
    reply
      .status(body.statusCode)
      .header('X-Request-Id', body.requestId)
      .header('X-Content-Type-Options', 'nosniff')
      .type('application/json; charset=utf-8')
      .send(errorBodyFor(request.url, body)),
  );
}

function frameworkErrorBody(error: FastifyError, requestId: string): ApiErrorBody {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return errorBody(
        400,
        ErrorCode.MalformedRequest,
        'The request address is not valid: part of it is not correctly percent-encoded.',
        requestId,
      );
    // Only with a larger header limit than Node's default (see maxParamLength in createApp):
    // a path segment that long names nothing, like any unknown id.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return statusErrorBody(404, requestId);
    default:
      return statusErrorBody(500, requestId);
  }
}

/**
 * For Fastify's `clientErrorHandler` option, Node's 'clientError': the request could not be
 * parsed (a NUL in a header, bare LF line ends, both Content-Length and chunked, a negative
 * length) or did not arrive in time. There is no request to reply to, so the answer is written to
 * the socket as it is, and the connection ends.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  // A keep-alive connection whose previous answer is still being sent (a video streaming): an
  // answer written now would land inside that body. Node's own handler only closes it then.
  const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (current?.headersSent) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 408
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 431
        : 400;
  const requestId = randomUUID();
  const body = JSON.stringify(statusErrorBody(status, requestId));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      'Connection: close\r\n' +
      '\r\n' +
      body,
  );
  // Half-open until the client has read the answer and closed its side, within a limit.
  setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS).unref();
}

/**
 * Reads and throws away what is left of a request's body, within DISCARD_LIMIT_BYTES and
 * DISCARD_TIMEOUT_MS. Past them the answer closes the connection, so that the rest of the body is
 * never read as the next request.
 */
async function discardUnreadBody(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const raw = request.raw;
  if (raw.complete || raw.destroyed) return;
  // Chunked bodies declare no length: they are read up to the limit.
  if (Number(raw.headers['content-length'] ?? 0) <= DISCARD_LIMIT_BYTES) await drain(raw);
  if (!raw.complete) reply.header('Connection', 'close');
}

function drain(raw: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let received = 0;
    const stop = () => {
      clearTimeout(timer);
      raw.off('data', onData);
      stopWatching();
      resolve();
    };
    const onData = (chunk: Buffer | string) => {
      received += chunk.length;
      if (received > DISCARD_LIMIT_BYTES) stop();
    };
    const timer = setTimeout(stop, DISCARD_TIMEOUT_MS);
    const stopWatching = finished(raw, stop);
    raw.on('data', onData);
    raw.resume();
  });
}

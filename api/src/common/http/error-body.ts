import { ApiErrorBody, ErrorCode } from '@vidgen/contracts';
import { STATUS_CODES } from 'node:http';

export function errorBody(
  statusCode: number,
  code: ErrorCode,
  message: string,
  requestId: string,
): ApiErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, code, requestId };
}

const INTERNAL: [ErrorCode, string] = [
  ErrorCode.InternalError,
  'Something went wrong on our side. Please try again.',
];

const BY_STATUS: Record<number, [ErrorCode, string]> = {
  400: [ErrorCode.MalformedRequest, 'The request could not be read. Check its headers and body.'],
  401: [ErrorCode.Unauthenticated, 'You need to log in to do this.'],
  404: [ErrorCode.NotFound, 'There is nothing at this address.'],
  405: [ErrorCode.MalformedRequest, 'This address does not answer this method.'],
  408: [ErrorCode.MalformedRequest, 'The request took too long to arrive.'],
  413: [ErrorCode.PayloadTooLarge, 'The request body is too large.'],
  414: [ErrorCode.MalformedRequest, 'The request address is too long.'],
  415: [ErrorCode.MalformedBody, 'Send the request body as application/json.'],
  429: [ErrorCode.RateLimited, 'Too many requests. Wait a minute and try again.'],
  431: [ErrorCode.MalformedRequest, 'The request headers are too large.'],
};

/**
 * The body for an error known only by its status: one raised by Fastify, Node's HTTP parser or
 * Nest rather than by our code. Their own messages may repeat the request (its path, its
 * content type), so the message is always one of ours.
 */
export function statusErrorBody(status: number, requestId: string): ApiErrorBody {
  if (status >= 500) return errorBody(status, ...INTERNAL, requestId);
  const [code, message] = BY_STATUS[status] ?? [
    ErrorCode.MalformedRequest,
    `The request was refused (${STATUS_CODES[status] ?? `HTTP ${status}`}).`,
  ];
  return errorBody(status, code, message, requestId);
}

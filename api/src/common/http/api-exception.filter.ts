import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { ApiErrorBody, ErrorCode } from '@vidgen/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { DomainError } from '../errors/domain-errors';

type ErrorWithStatus = Error & { statusCode?: number };

/**
 * Turns every error into the contract's error body. Domain errors carry their own status and
 * code; framework errors (routing, body parsing, throttling) are mapped by status; anything else
 * is a 500 whose details go to the log, never to the client.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = this.toBody(exception, request);

    if (body.statusCode >= 500) {
      this.logger.error({
        msg: 'Request failed',
        requestId: request.id,
        method: request.method,
        url: request.url,
        err:
          exception instanceof Error
            ? { message: exception.message, stack: exception.stack }
            : exception,
      });
    }
    if (exception instanceof DomainError && exception.retryAfterSeconds !== undefined) {
      reply.header('Retry-After', String(exception.retryAfterSeconds));
    }
    reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest): ApiErrorBody {
    const requestId = String(request.id);
    if (exception instanceof DomainError) {
      return {
        ...envelope(exception.status, exception.code, exception.message, requestId),
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof ThrottlerException) {
      return envelope(
        429,
        ErrorCode.RateLimited,
        'Too many requests. Wait a minute and try again.',
        requestId,
      );
    }
    if (exception instanceof HttpException) {
      return this.fromHttpException(exception, request, requestId);
    }
    const status = (exception as ErrorWithStatus)?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return this.fromClientError(status, exception as ErrorWithStatus, requestId);
    }
    return envelope(
      500,
      ErrorCode.InternalError,
      'Something went wrong on our side. Please try again.',
      requestId,
    );
  }

  private fromHttpException(
    exception: HttpException,
    request: FastifyRequest,
    requestId: string,
  ): ApiErrorBody {
    const status = exception.getStatus();
    if (status === 404) {
      return envelope(
        404,
        ErrorCode.NotFound,
        `There is no ${request.method} ${request.url.split('?')[0]}.`,
        requestId,
      );
    }
    if (status === 401) {
      return envelope(401, ErrorCode.Unauthenticated, 'You need to log in to do this.', requestId);
    }
    if (status >= 500) {
      return envelope(
        status,
        ErrorCode.InternalError,
        'Something went wrong on our side. Please try again.',
        requestId,
      );
    }
    return this.fromClientError(status, exception, requestId);
  }

  private fromClientError(status: number, error: ErrorWithStatus, requestId: string): ApiErrorBody {
    switch (status) {
      case 413:
        return envelope(
          413,
          ErrorCode.PayloadTooLarge,
          'The request body is too large.',
          requestId,
        );
      case 415:
        return envelope(
          415,
          ErrorCode.MalformedBody,
          'Send the request body as application/json.',
          requestId,
        );
      case 429:
        return envelope(
          429,
          ErrorCode.RateLimited,
          'Too many requests. Wait a minute and try again.',
          requestId,
        );
      case 400:
        return envelope(
          400,
          ErrorCode.MalformedBody,
          error.message || 'The request is malformed.',
          requestId,
        );
      default:
        return envelope(status, ErrorCode.ValidationFailed, error.message, requestId);
    }
  }
}

function envelope(
  statusCode: number,
  code: ErrorCode,
  message: string,
  requestId: string,
): ApiErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, code, requestId };
}

import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { ApiErrorBody } from '@vidgen/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-errors';
import { errorBodyFor } from '../errors/openai-error-body';
import { errorBody, statusErrorBody } from './error-body';

type ErrorWithStatus = Error & { statusCode?: number };

/**
 * Turns every error into the contract's error body, sent in OpenAI's shape on /v1 (errorBodyFor).
 * Domain errors carry their own status and code; framework errors (routing, body parsing,
 * throttling) are mapped by status to messages of our own, as theirs may repeat the request;
 * anything else is a 500 whose details go to the log, never to the client.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = this.toBody(exception, request);

    // A domain error's 5xx is an answer chosen on purpose (a process full of streams, say),
    // which may come by the thousand: its service logs it once, not every answer.
    if (body.statusCode >= 500 && !(exception instanceof DomainError)) {
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
    reply
      .status(body.statusCode)
      .type('application/json; charset=utf-8')
      .send(errorBodyFor(request.url, body));
  }

  private toBody(exception: unknown, request: FastifyRequest): ApiErrorBody {
    const requestId = String(request.id);
    if (exception instanceof DomainError) {
      return {
        ...errorBody(exception.status, exception.code, exception.message, requestId),
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof ThrottlerException) return statusErrorBody(429, requestId);
    if (exception instanceof HttpException) {
      return statusErrorBody(exception.getStatus(), requestId);
    }
    const status = (exception as ErrorWithStatus)?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return statusErrorBody(status, requestId);
    }
    return statusErrorBody(500, requestId);
  }
}

import { ArgumentsHost, Catch } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import { ApiExceptionFilter } from '../common/http/api-exception.filter';

/**
 * A 401 of the MCP server carries `WWW-Authenticate: Bearer`, as HTTP asks of every 401, telling
 * an MCP client to send its key as a Bearer token. It names no OAuth resource metadata: the
 * server takes personal API keys, which clients are configured with, not OAuth tokens.
 */
@Catch(UnauthenticatedError)
export class BearerChallengeFilter extends ApiExceptionFilter {
  override catch(exception: UnauthenticatedError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('WWW-Authenticate', 'Bearer realm="mcp"');
    super.catch(exception, host);
  }
}

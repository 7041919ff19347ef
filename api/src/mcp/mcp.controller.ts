import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  applyDecorators,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Post,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ErrorCode, MCP_PATH } from '@vidgen/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_KEY_SCHEME, CurrentUser } from '../auth/auth.decorators';
import { ApiKeyPrincipal, AuthenticatedUser } from '../auth/authenticated-user';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import { errorBody } from '../common/http/error-body';
import { errorResponse } from '../common/swagger/api-error.view';
import { AppConfig } from '../config/app-config';
import { BearerChallengeFilter } from './bearer-challenge.filter';
import { McpServers } from './mcp-servers';

const POST_DESCRIPTION =
  'The MCP server (Streamable HTTP transport, stateless): JSON-RPC messages from an MCP client, ' +
  'which sends `Accept: application/json, text/event-stream`. Tools: `generate_video`, ' +
  '`get_video`, `list_videos`, `cancel_video`. A message the MCP transport cannot take (not ' +
  'JSON-RPC, an Accept without both types) is answered by it with a JSON-RPC error object ' +
  '`{jsonrpc, error: {code, message}, id: null}`, as MCP clients expect.';

const NO_STREAM =
  'This MCP server is stateless: it opens no stream on GET and keeps no session to delete. ' +
  'Send JSON-RPC messages with POST.';

const ApiKeyRequired = () =>
  ApiResponse({
    status: 401,
    ...errorResponse(
      401,
      'No API key, or a wrong, revoked or expired one, or a session instead of a key; with `WWW-Authenticate: Bearer`.',
    ),
  });

/** The answer to the two methods the transport defines but a stateless server does without. */
const ApiStateless = () =>
  applyDecorators(
    HttpCode(405),
    Header('Allow', 'POST'),
    ApiOperation({ summary: NO_STREAM }),
    ApiResponse({ status: 405, ...errorResponse(405, 'Always; see `Allow`.') }),
    ApiKeyRequired(),
  );

/**
 * `/mcp`, for API keys. Stateless: every POST gets a new server and transport, which live as long
 * as its answer. Nothing is kept between requests, so any API process can take any request (no
 * sticky sessions in the scaled shape) and nothing is lost with a restart; a client loses only
 * what stateless mode cannot give: server-initiated messages outside a request, which no tool
 * sends. A generation followed with progress is answered on its own request's stream.
 */
@ApiTags('mcp')
@ApiBearerAuth(API_KEY_SCHEME)
@Controller(MCP_PATH.slice(1))
@UseFilters(BearerChallengeFilter)
export class McpController {
  constructor(
    private readonly servers: McpServers,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'MCP over Streamable HTTP: JSON-RPC messages in, answers out.',
    description: POST_DESCRIPTION,
  })
  @ApiBody({
    description: 'A JSON-RPC 2.0 message, or a batch of them (an array).',
    schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] },
  })
  @ApiResponse({
    status: 200,
    description:
      'Server-sent events (`event: message`) whose data are JSON-RPC messages: progress notifications, then the responses.',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 202, description: 'The body held only notifications or responses.' })
  @ApiKeyRequired()
  async post(
    @CurrentUser() principal: AuthenticatedUser,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const server = this.servers.create({
      caller: apiKeyOf(principal),
      origin: `${request.protocol}://${request.host}`,
      requestId: String(request.id),
    });
    // No DNS-rebinding check (allowedHosts): every request carries its key itself, never a
    // cookie, so a page of another origin has no credential to borrow.
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      // A generation followed with progress may be quiet for long: paced like the job streams.
      keepAliveMs: this.config.sseHeartbeatSeconds * 1000,
    });
    reply.hijack();
    // The answer is written to the raw response, past Fastify's sending: the headers its hooks
    // set (the request id, the security headers) go along.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(name, value);
    }
    // Once the answer is out, or its client gone, the server closes: a tool still running (a
    // generation followed with progress) is told to stop through its signal.
    reply.raw.on('close', () => void server.close());
    await server.connect(transport);
    await transport.handleRequest(request.raw, reply.raw, request.body);
  }

  @Get()
  @ApiStateless()
  noStream(@Req() request: FastifyRequest): ApiErrorBody {
    return errorBody(405, ErrorCode.MalformedRequest, NO_STREAM, String(request.id));
  }

  @Delete()
  @ApiStateless()
  noSession(@Req() request: FastifyRequest): ApiErrorBody {
    return errorBody(405, ErrorCode.MalformedRequest, NO_STREAM, String(request.id));
  }
}

/**
 * The MCP server is for programs, which hold API keys; a session's credentials (a login token,
 * the browser's cookie) are not taken, so the document lists one scheme and one only.
 */
function apiKeyOf(principal: AuthenticatedUser): ApiKeyPrincipal {
  if (principal.via !== 'api-key') {
    throw new UnauthenticatedError(
      'The MCP server takes a personal API key, not a session: send Authorization: Bearer vg_... ' +
        '(make a key on the Profile page).',
    );
  }
  return principal;
}

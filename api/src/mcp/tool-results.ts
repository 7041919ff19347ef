import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Logger } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-errors';
import { statusErrorBody } from '../common/http/error-body';

/**
 * A tool's answer: a sentence for the agent, then the data as JSON text for clients that read
 * only text (the MCP specification asks for both), and the data as structured content.
 */
export function toolResult(summary: string, data: Record<string, unknown>): CallToolResult {
  return {
    content: [
      { type: 'text', text: summary },
      { type: 'text', text: JSON.stringify(data) },
    ],
    structuredContent: data,
  };
}

/**
 * A tool that failed, as a result the agent reads (`isError`) rather than a protocol error: a
 * domain error's sentence says what went wrong and what to do. Anything else is logged and
 * answered in general words, as the HTTP error filter does, since its message may hold internals;
 * the request id joins the answer to the log.
 */
export function toolFailure(error: unknown, logger: Logger, requestId: string): CallToolResult {
  let text: string;
  if (error instanceof DomainError) {
    text = error.message;
  } else {
    logger.error({
      msg: 'An MCP tool failed',
      requestId,
      err: error instanceof Error ? { message: error.message, stack: error.stack } : error,
    });
    text = `${statusErrorBody(500, requestId).message} (request id ${requestId})`;
  }
  return { content: [{ type: 'text', text }], isError: true };
}

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { MCP_PATH } from '@vidgen/contracts';
import type { McpVideo } from '../../src/mcp/mcp-video';
import { TestApp } from './app';

/**
 * An MCP client of the test app, as an agent's would be: the SDK's own client over Streamable
 * HTTP, with `headers` (the API key) on every request. Rejects when the server refuses the
 * connection (a StreamableHTTPError whose `code` is the HTTP status). Close it after the test.
 */
export async function connectMcp(api: TestApp, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'vidgen-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(MCP_PATH, api.url), {
    requestInit: { headers },
  });
  await client.connect(transport);
  return client;
}

/** Calls a tool; `options` asks for progress (`onprogress`), say. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
  options?: RequestOptions,
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, options)) as CallToolResult;
}

/** The sentences of a tool's answer: its text content, joined. */
export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

/** The video of a tool's answer; fails with the answer's text when the tool failed. */
export function videoOf(result: CallToolResult): McpVideo {
  if (result.isError) throw new Error(`The tool failed: ${textOf(result)}`);
  return result.structuredContent as McpVideo;
}

import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { API_PREFIX, MCP_PATH, OPENAI_PREFIX } from '@vidgen/contracts';

const API_PATHS = [`/${API_PREFIX}`, `/${OPENAI_PREFIX}`, MCP_PATH];

/**
 * Serves the built Angular app from the API's own origin, so cookies, CSP and the SSE streams
 * need no cross-origin setup. Unknown paths outside the API's (/api, /v1, /mcp) get index.html
 * (client-side routes).
 * Returns false when there is no build to serve.
 */
export async function serveWebApp(fastify: FastifyInstance, webDir: string): Promise<boolean> {
  if (!existsSync(join(webDir, 'index.html'))) return false;
  await fastify.register(fastifyStatic, {
    root: webDir,
    wildcard: false,
    index: false,
    // Hashed file names can be cached for good; index.html must be revalidated to see new builds.
    setHeaders: (reply, path) => {
      reply.header(
        'Cache-Control',
        /\.[0-9a-z]{8,}\.(js|css|woff2?)$/i.test(path)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  const sendIndex = (reply: FastifyReply) =>
    reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  fastify.get('/', (_request, reply) => sendIndex(reply));
  fastify.get('/*', (request, reply) => {
    const [path] = request.url.split('?');
    return API_PATHS.some((api) => path === api || path.startsWith(`${api}/`))
      ? reply.callNotFound()
      : sendIndex(reply);
  });
  return true;
}

import type { FastifyInstance } from 'fastify';
import { MalformedBodyError } from '../errors/domain-errors';

/**
 * Replaces Fastify's JSON parser so that a body which is not a JSON object (bad syntax, an array,
 * a bare string) is answered with one clear message instead of reaching validation as a shape
 * it cannot describe. An empty body counts as no body.
 */
export function useJsonObjectBodies(fastify: FastifyInstance): void {
  // JSON only: other bodies get 415 rather than arriving as strings.
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = body as string;
      if (text.trim() === '') return done(null, undefined);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return done(new MalformedBodyError('The request body is not valid JSON.'), undefined);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return done(new MalformedBodyError('The request body must be a JSON object.'), undefined);
      }
      done(null, parsed);
    },
  );
}

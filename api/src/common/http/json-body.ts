import { MCP_PATH } from '@vidgen/contracts';
import type { FastifyInstance } from 'fastify';
import { MalformedBodyError } from '../errors/domain-errors';

/**
 * Deepest nesting of objects and arrays a body may have. Every request body of the API is flat or
 * one level deep; the limit is far above that and far below what would overflow the stack of the
 * code that walks a parsed body (class-transformer, class-validator).
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Replaces Fastify's JSON parser so that a body which is not a JSON object (bad syntax, an array,
 * a bare string, nesting too deep) is answered with one clear message instead of reaching
 * validation as a shape it cannot describe.
 */
export function useJsonObjectBodies(fastify: FastifyInstance): void {
  // JSON only: other bodies get 415 rather than arriving as strings.
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    let parsed: object | undefined;
    try {
      // MCP's JSON-RPC sends a batch of messages as an array.
      const batches = request.url.split('?', 1)[0] === MCP_PATH;
      parsed = parseJsonObject(body as string, batches);
    } catch (error) {
      return done(error as MalformedBodyError, undefined);
    }
    done(null, parsed);
  });
}

/**
 * A request body as a JSON object (or an array, with `arrays`), or undefined for an empty body (no
 * body); anything else throws a MalformedBodyError that says what is wrong.
 */
export function parseJsonObject(text: string, arrays = false): object | undefined {
  if (text.trim() === '') return undefined;
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new MalformedBodyError(
      `The request body is nested too deeply: at most ${MAX_JSON_DEPTH} levels of objects and arrays.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, refusePrototypeKeys);
  } catch (error) {
    if (error instanceof MalformedBodyError) throw error;
    throw new MalformedBodyError('The request body is not valid JSON.');
  }
  if (arrays && Array.isArray(parsed)) return parsed;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MalformedBodyError('The request body must be a JSON object.');
  }
  return parsed;
}

/**
 * A JSON reviver that refuses the keys that could reach an object's prototype once the body is
 * merged into another object (Object.assign, a deep merge): `__proto__`, and `constructor`
 * holding a `prototype`. Fastify's own parser refuses them the same way (its default
 * `onProtoPoisoning: 'error'` and `onConstructorPoisoning: 'error'`).
 */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (
    key === '__proto__' ||
    (key === 'constructor' &&
      typeof value === 'object' &&
      value !== null &&
      Object.prototype.hasOwnProperty.call(value, 'prototype'))
  ) {
    throw new MalformedBodyError(
      'The request body must not hold the key "__proto__", nor "constructor" with a "prototype" in it.',
    );
  }
  return value;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether `{` and `[` outside strings nest deeper than `limit`, found in one pass without
 * recursion, so a body nested thousands of levels deep is refused before anything walks it.
 * Invalid JSON may give either answer; JSON.parse rejects it afterwards.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

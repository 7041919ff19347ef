import { JsonInput } from './values';

/**
 * A generated request, kept symbolic where it refers to the world (ids, credentials) so that it
 * still means the same thing when fast-check replays it while shrinking.
 */
export interface FuzzRequest {
  /** The operation of the document it was generated from, e.g. `PATCH /api/videos/{id}`. */
  operation: string;
  method: string;
  /** The operation's path template, sometimes altered (a trailing slash, an extra segment). */
  path: string;
  /** One per path parameter, in order. */
  ids: IdSpec[];
  /** Raw query text, without the `?`; empty for none. */
  query: string;
  /** Headers besides those of `auth` and `body`; values are byte strings (latin1). */
  headers: [string, string][];
  auth: AuthSpec;
  body: BodySpec;
  /** Sends the body with `Transfer-Encoding: chunked` instead of a Content-Length. */
  chunked: boolean;
}

export type IdRef =
  | 'ownerVideo'
  | 'ownerJob'
  | 'readyVideo'
  | 'readyJob'
  | 'otherVideo'
  | 'otherJob'
  | 'deletedVideo'
  | 'deletedJob'
  | 'unknown';

export type IdForm = 'plain' | 'upper' | 'braces' | 'no-dashes' | 'suffix' | 'urn';

export type IdSpec =
  /** `pick` chooses among the ids of that kind the world knows when the request is sent. */
  | { ref: IdRef; pick: number; form: IdForm }
  /** A path segment as sent (already percent-encoded where it needs to be). */
  | { raw: string };

export type Credential = 'bearer' | 'cookie' | 'cookie-no-csrf' | 'cookie-bad-csrf';

export type AuthSpec =
  | { kind: 'none' }
  | { kind: Credential; actor: 'owner' | 'other' }
  | { kind: 'garbage-bearer'; token: string }
  | { kind: 'garbage-cookie'; value: string }
  | {
      kind: 'forged';
      variant: 'wrong-secret' | 'alg-none' | 'expired' | 'unknown-session' | 'swapped-subject';
    }
  | { kind: 'basic' }
  /** The other's bearer token together with the owner's cookies. */
  | { kind: 'mixed' };

export type BodySpec =
  | { kind: 'none' }
  | { kind: 'json'; value: JsonInput; contentType?: string }
  /** Text sent as UTF-8 (malformed JSON, a form, anything). */
  | { kind: 'text'; text: string; contentType?: string }
  /** Bytes given as a latin1 string: invalid UTF-8, UTF-16, binary. */
  | { kind: 'bytes'; latin1: string; contentType?: string }
  /** A JSON object with a string `extra` bytes past the body limit. */
  | { kind: 'oversized'; extra: number };

/** Operations whose success ends the caller's session or account: they act as a scratch user. */
export const SESSION_ENDING = new Set([
  'POST /api/auth/logout',
  'POST /api/users/me/password',
  'DELETE /api/users/me',
]);

/** Percent-encodes every code point outside `keep`; lone surrogates become invalid UTF-8. */
export function percentEncode(text: string, keep = /[A-Za-z0-9\-._~]/): string {
  let out = '';
  for (const char of text) {
    if (keep.test(char)) {
      out += char;
      continue;
    }
    for (const byte of utf8(char.codePointAt(0) ?? 0)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** UTF-8 bytes of a code point, written by hand so lone surrogates get bytes too (WTF-8). */
function utf8(codePoint: number): number[] {
  if (codePoint < 0x80) return [codePoint];
  if (codePoint < 0x800) return [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)];
  if (codePoint < 0x10000) {
    return [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  }
  return [
    0xf0 | (codePoint >> 18),
    0x80 | ((codePoint >> 12) & 0x3f),
    0x80 | ((codePoint >> 6) & 0x3f),
    0x80 | (codePoint & 0x3f),
  ];
}

/** A header value Node will send: UTF-8 bytes as latin1, without the control bytes it refuses. */
export function headerValue(text: string): string {
  const bytes = Buffer.from(text, 'utf8').filter((b) => b === 0x09 || (b >= 0x20 && b !== 0x7f));
  return Buffer.from(bytes).toString('latin1').trim();
}

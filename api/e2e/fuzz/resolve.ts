import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '@vidgen/contracts';
import { decodeJwt, signJwt, unsignedJwt } from '../support/tokens';
import { FuzzRequest, IdSpec, percentEncode, SESSION_ENDING } from './request-model';
import { jsonText, Secrets } from './values';
import { Actor, ActorName, FuzzWorld } from './world';

/** A generated request made concrete against the world: the exact bytes that go on the wire. */
export interface ConcreteRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** Every header, in order, Host first; values are byte strings (latin1). */
  headers: [string, string][];
  body?: Buffer;
  chunked: boolean;
  /** The account whose valid credentials the request carries, if any. */
  actor?: ActorName;
}

export async function resolveRequest(
  request: FuzzRequest,
  world: FuzzWorld,
): Promise<ConcreteRequest> {
  const cast = await castOf(request, world);
  const actor = actorOf(request, cast);
  const headers: [string, string][] = [['Host', new URL(world.url).host]];
  headers.push(...authHeaders(request, world, cast));
  headers.push(...request.headers);

  let path = request.path;
  for (const id of request.ids) path = path.replace(/\{[^}]+\}/, resolveId(id, request, world));
  if (request.query !== '') path += `?${request.query}`;

  const { body, contentType } = bodyOf(request, world, actor ?? cast.owner);
  if (contentType !== undefined) headers.push(['Content-Type', contentType]);
  const chunked = request.chunked && body !== undefined;
  if (body !== undefined) {
    headers.push(
      chunked ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(body.length)],
    );
  }
  return { method: request.method, path, headers, body, chunked, actor: actor?.name };
}

/** The accounts whose credentials a request uses, by the role the generated request gave them. */
interface Cast {
  owner: Actor;
  other: Actor;
}

/**
 * The owner and the other, except for requests that may end their session or account: those act
 * as scratch users, so the credentials of the owner and the other stay valid all run long.
 */
async function castOf(request: FuzzRequest, world: FuzzWorld): Promise<Cast> {
  if (!SESSION_ENDING.has(request.operation)) return { owner: world.owner, other: world.other };
  const { auth } = request;
  const actor = 'actor' in auth ? auth.actor : undefined;
  const usesOwner = ['mixed', 'forged', 'basic'].includes(auth.kind) || actor === 'owner';
  const usesOther = auth.kind === 'mixed' || actor === 'other';
  return {
    owner: usesOwner ? await world.scratchActor() : world.owner,
    other: usesOther ? await world.scratchActor() : world.other,
  };
}

/** Whose valid credentials the request carries (the bearer token's, when it carries two). */
function actorOf(request: FuzzRequest, cast: Cast): Actor | undefined {
  const { auth } = request;
  if (auth.kind === 'mixed') return cast.other;
  return 'actor' in auth ? cast[auth.actor] : undefined;
}

function cookieHeader(actor: Actor): string {
  return Object.entries(actor.cookies)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('; ');
}

function authHeaders(request: FuzzRequest, world: FuzzWorld, cast: Cast): [string, string][] {
  const { auth } = request;
  switch (auth.kind) {
    case 'none':
      return [];
    case 'bearer':
      return [['Authorization', `Bearer ${cast[auth.actor].accessToken}`]];
    case 'cookie':
      return [
        ['Cookie', cookieHeader(cast[auth.actor])],
        [CSRF_HEADER, cast[auth.actor].csrfToken],
      ];
    case 'cookie-no-csrf':
      return [['Cookie', cookieHeader(cast[auth.actor])]];
    case 'cookie-bad-csrf':
      return [
        ['Cookie', cookieHeader(cast[auth.actor])],
        [CSRF_HEADER, `${cast[auth.actor].csrfToken.slice(1)}x`],
      ];
    case 'garbage-bearer':
      return [['Authorization', `Bearer ${auth.token}`]];
    case 'garbage-cookie':
      return [['Cookie', `${SESSION_COOKIE}=${auth.value}; ${CSRF_COOKIE}=x`]];
    case 'forged':
      return [['Authorization', `Bearer ${forgedToken(auth.variant, cast.owner, world)}`]];
    case 'basic': {
      const pair = Buffer.from(`${cast.owner.email}:${cast.owner.password}`).toString('base64');
      return [['Authorization', `Basic ${pair}`]];
    }
    case 'mixed':
      return [
        ['Authorization', `Bearer ${cast.other.accessToken}`],
        ['Cookie', cookieHeader(cast.owner)],
        [CSRF_HEADER, cast.owner.csrfToken],
      ];
  }
}

/** Tokens made from the owner's own claims that must not authenticate anyone. */
function forgedToken(
  variant: 'wrong-secret' | 'alg-none' | 'expired' | 'unknown-session' | 'swapped-subject',
  owner: Actor,
  world: FuzzWorld,
): string {
  const claims = decodeJwt(owner.accessToken);
  const now = Math.floor(Date.now() / 1000);
  switch (variant) {
    case 'wrong-secret':
      return signJwt(claims, 'not-the-secret-'.repeat(4));
    case 'alg-none':
      return unsignedJwt(claims);
    case 'expired':
      return signJwt({ ...claims, iat: now - 7200, exp: now - 3600 }, world.jwtSecret);
    case 'unknown-session':
      return signJwt({ ...claims, sid: '00000000-4000-8000-8000-000000000001' }, world.jwtSecret);
    case 'swapped-subject':
      return signJwt({ ...claims, sub: world.other.userId }, world.jwtSecret);
  }
}

function resolveId(id: IdSpec, request: FuzzRequest, world: FuzzWorld): string {
  if ('raw' in id) return id.raw;
  const value = idValue(id.ref, id.pick, request, world);
  switch (id.form) {
    case 'plain':
      return value;
    case 'upper':
      return value.toUpperCase();
    case 'braces':
      return percentEncode(`{${value}}`);
    case 'no-dashes':
      return value.replace(/-/g, '');
    case 'suffix':
      return `${value}x`;
    case 'urn':
      return percentEncode(`urn:uuid:${value}`);
  }
}

function idValue(
  ref: Extract<IdSpec, { ref: unknown }>['ref'],
  pick: number,
  request: FuzzRequest,
  world: FuzzWorld,
): string {
  // The ready video is kept for content and thumbnail requests: deletes get another of the owner's.
  const deleting = request.method === 'DELETE';
  const from = (ids: string[]) => {
    const pool = deleting ? ids.filter((id) => id !== world.readyVideo) : ids;
    return pool.length > 0 ? pool[pick % pool.length] : world.deletedVideo;
  };
  switch (ref) {
    case 'ownerVideo':
      return from(world.videos.owner);
    case 'ownerJob':
      return from(world.jobs.owner);
    case 'readyVideo':
      return deleting ? from(world.videos.owner) : world.readyVideo;
    case 'readyJob':
      return world.readyJob;
    case 'otherVideo':
      return from(world.videos.other);
    case 'otherJob':
      return from(world.jobs.other);
    case 'deletedVideo':
      return world.deletedVideo;
    case 'deletedJob':
      return world.deletedJob;
    case 'unknown':
      return `00000000-4000-8000-8000-${(pick % 0xffffffffffff).toString(16).padStart(12, '0')}`;
  }
}

function bodyOf(
  request: FuzzRequest,
  world: FuzzWorld,
  secrets: Secrets,
): { body?: Buffer; contentType?: string } {
  const { body } = request;
  switch (body.kind) {
    case 'none':
      return {};
    case 'json':
      return {
        body: Buffer.from(jsonText(body.value, secrets), 'utf8'),
        contentType: body.contentType,
      };
    case 'text':
      return { body: Buffer.from(body.text, 'utf8'), contentType: body.contentType };
    case 'bytes':
      return { body: Buffer.from(body.latin1, 'latin1'), contentType: body.contentType };
    case 'oversized': {
      const length = world.api.config.bodyLimitBytes + body.extra;
      return {
        body: Buffer.from(`{"prompt":"${'a'.repeat(length)}"}`, 'utf8'),
        contentType: 'application/json',
      };
    }
  }
}

/** Bytes of the request as sent: request line, headers and body. */
export function requestSize(request: ConcreteRequest): number {
  const head = `${request.method} ${request.path} HTTP/1.1\r\n${request.headers
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
  return Buffer.byteLength(head, 'latin1') + (request.body?.length ?? 0);
}

const MAX_SHOWN = 300;

function shorten(text: string): string {
  return text.length <= MAX_SHOWN
    ? text
    : `${text.slice(0, MAX_SHOWN)}… (${text.length} characters in all)`;
}

/** The request as a reader can replay it: method, path, headers and body, long parts shortened. */
export function describeRequest(request: ConcreteRequest): string {
  const lines = [`${request.method} ${shorten(request.path)}`];
  for (const [name, value] of request.headers) {
    if (name === 'Host') continue;
    lines.push(
      `${name}: ${shorten(JSON.stringify(Buffer.from(value, 'latin1').toString('utf8')))}`,
    );
  }
  if (request.chunked) lines.push('(body sent in chunks)');
  if (request.body) {
    const text = request.body.toString('utf8');
    lines.push(`body (${request.body.length} bytes): ${shorten(JSON.stringify(text))}`);
  }
  return lines.join('\n');
}

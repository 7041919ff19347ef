import fc, { Arbitrary } from 'fast-check';
import { body } from './bodies';
import { Operation, Parameter } from './openapi';
import {
  AuthSpec,
  Credential,
  FuzzRequest,
  headerValue,
  IdForm,
  IdRef,
  IdSpec,
  percentEncode,
} from './request-model';
import { extraKey, hugeString, numericText, oddString } from './values';

/** Generated requests over the operations of the document: ids, credentials, headers, queries. */

/**
 * Text for header values. Seldom huge: past 16 KB of headers Node's parser answers 431 and the
 * request never reaches the app.
 */
const headerText: Arbitrary<string> = fc.oneof(
  { arbitrary: oddString, weight: 6 },
  { arbitrary: fc.string(), weight: 2 },
  { arbitrary: hugeString, weight: 1 },
);

const idRef = fc.constantFrom<IdRef>(
  'ownerVideo',
  'ownerJob',
  'readyVideo',
  'readyJob',
  'otherVideo',
  'otherJob',
  'deletedVideo',
  'deletedJob',
  'unknown',
);

const oddId: Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '..%2F..%2Fusers%2Fme',
    '%2F',
    '%5C',
    '%00',
    '%',
    '%zz',
    '%C0%AF',
    '%ED%A0%80',
    '%F0%9F%98%80',
    '%20',
    '+',
    ';',
    'x;y=z',
    '~',
    '%E2%80%AE',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '0',
    '-1',
    'null',
    'undefined',
    'stream',
  ),
  fc.integer({ min: 37, max: 5_000 }).map((length) => 'a'.repeat(length)),
  oddString.map((text) => percentEncode(text)),
);

const idSpec: Arbitrary<IdSpec> = fc.oneof(
  {
    arbitrary: fc.record({
      ref: idRef,
      pick: fc.nat(),
      form: fc.oneof(
        { arbitrary: fc.constant<IdForm>('plain'), weight: 8 },
        {
          arbitrary: fc.constantFrom<IdForm>('upper', 'braces', 'no-dashes', 'suffix', 'urn'),
          weight: 1,
        },
      ),
    }),
    weight: 4,
  },
  { arbitrary: oddId.map((raw) => ({ raw })), weight: 1 },
);

const credential = fc.constantFrom<Credential>(
  'bearer',
  'bearer',
  'bearer',
  'cookie',
  'cookie',
  'cookie-no-csrf',
  'cookie-bad-csrf',
);

const authSpec: Arbitrary<AuthSpec> = fc.oneof(
  {
    arbitrary: fc.record({ kind: credential, actor: fc.constant<'owner'>('owner') }),
    weight: 10,
  },
  {
    arbitrary: fc.record({ kind: credential, actor: fc.constant<'other'>('other') }),
    weight: 2,
  },
  { arbitrary: fc.constant<AuthSpec>({ kind: 'none' }), weight: 3 },
  {
    arbitrary: headerText.map((text) => ({
      kind: 'garbage-bearer' as const,
      token: headerValue(text),
    })),
    weight: 1,
  },
  {
    arbitrary: headerText.map((text) => ({
      kind: 'garbage-cookie' as const,
      value: percentEncode(text),
    })),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant<'forged'>('forged'),
      variant: fc.constantFrom(
        'wrong-secret',
        'alg-none',
        'expired',
        'unknown-session',
        'swapped-subject',
      ),
    }),
    weight: 1,
  },
  { arbitrary: fc.constantFrom<AuthSpec>({ kind: 'basic' }, { kind: 'mixed' }), weight: 1 },
);

const odd = (arbitrary: Arbitrary<string>) => arbitrary.map(headerValue);

/** Headers a client may send with any request, each with plausible and odd values. */
const extraHeader: Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(
    fc.constant('Accept'),
    fc.constantFrom('*/*', 'application/json', 'text/event-stream', 'application/xml', 'x/y;q=x'),
  ),
  fc.tuple(fc.constant('Accept-Encoding'), fc.constantFrom('gzip', 'br', 'zstd', 'deflate, x')),
  fc.tuple(
    fc.constant('Range'),
    fc.oneof(
      fc.constantFrom(
        'bytes=0-0',
        'bytes=-1',
        'bytes=0-',
        'bytes=5-1',
        'bytes=-0',
        'bytes=0-9007199254740993',
        'bytes=99999999999999999999-',
        'bytes=abc',
        'items=0-1',
        'bytes=0-1,2-3',
        'bytes=',
        'bytes=1e3-',
      ),
      fc.integer({ min: 2, max: 2000 }).map((n) => `bytes=${'0-0,'.repeat(n)}0-0`),
    ),
  ),
  fc.tuple(fc.constant('If-None-Match'), fc.oneof(fc.constant('*'), odd(oddString))),
  fc.tuple(fc.constant('If-Modified-Since'), fc.oneof(fc.constant('yesterday'), odd(oddString))),
  fc.tuple(fc.constant('If-Range'), fc.oneof(fc.constant('"x"'), odd(oddString))),
  fc.tuple(
    fc.constant('Idempotency-Key'),
    fc.oneof(fc.uuid(), fc.constantFrom('', 'AbC', 'abc', 'x'.repeat(300)), odd(headerText)),
  ),
  fc.tuple(
    fc.constant('X-Request-Id'),
    fc.oneof(fc.constantFrom('', 'x'.repeat(65), 'a b'), odd(oddString)),
  ),
  fc.tuple(
    fc.constant('X-Forwarded-For'),
    fc.constantFrom('1.2.3.4', '::1, 10.0.0.1', 'garbage', '999.1.1.1', ''),
  ),
  fc.tuple(fc.constant('Origin'), fc.constantFrom('https://evil.example', 'null')),
  fc.tuple(fc.constant('Content-Encoding'), fc.constantFrom('gzip', 'br', 'identity', 'x')),
  fc.tuple(fc.constant('Connection'), fc.constantFrom('close', 'upgrade', 'keep-alive, x')),
  fc.tuple(fc.constant('Upgrade'), fc.constantFrom('websocket', 'h2c')),
  fc.tuple(fc.constant('X-HTTP-Method-Override'), fc.constantFrom('DELETE', 'PUT')),
  fc.tuple(fc.constant('X-Odd'), odd(headerText)),
);

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'FOO'];

function method(operation: Operation): Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(operation.method), weight: 12 },
    { arbitrary: fc.constantFrom(...OTHER_METHODS), weight: 1 },
  );
}

function path(operation: Operation): Arbitrary<string> {
  const template = operation.path;
  return fc.oneof(
    { arbitrary: fc.constant(template), weight: 16 },
    {
      arbitrary: fc.constantFrom(
        `${template}/`,
        template.replace('/api/', '/api//'),
        `${template}/extra`,
        template.replace('/api/', '/api/./'),
        template.replace('/api/', '/api/x/../'),
        template.toUpperCase(),
        template.replace('/api/', '/%61pi/'),
        template.replace('/api', ''),
      ),
      weight: 1,
    },
  );
}

/** A value for a query parameter, as text before encoding. */
function queryValue(parameter: Parameter): Arbitrary<string> {
  const schema = parameter.schema;
  const valid: Arbitrary<string> = schema.enum
    ? fc.constantFrom(...schema.enum.map(String))
    : schema.type === 'boolean'
      ? fc.constantFrom('true', 'false')
      : schema.type === 'number' || schema.type === 'integer'
        ? fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 100 }).map((n) => String(n))
        : schema.type === 'array'
          ? fc
              .array(fc.constantFrom('queued', 'running', 'ready', 'failed', 'cancelled'), {
                minLength: 1,
                maxLength: 5,
              })
              .map((items) => items.join(','))
          : fc.string({ maxLength: 20 });
  return fc.oneof(
    { arbitrary: valid, weight: 5 },
    { arbitrary: numericText, weight: 1 },
    { arbitrary: oddString, weight: 2 },
    { arbitrary: hugeString, weight: 1 },
    { arbitrary: fc.constantFrom('', ',', ',,,', 'true,false', '1,2'), weight: 1 },
  );
}

type QueryPair = [key: string, value: string | undefined];

function renderQuery(pairs: QueryPair[]): string {
  return pairs
    .map(([key, value]) =>
      value === undefined
        ? percentEncode(key, /[^%&=#\s]/)
        : `${percentEncode(key, /[A-Za-z0-9\-._~[\]]/)}=${percentEncode(value)}`,
    )
    .join('&');
}

/** Declared parameters with any values, repeated keys, bracket syntax and made-up keys. */
function query(operation: Operation): Arbitrary<string> {
  const declared: Arbitrary<QueryPair>[] = operation.query.map((parameter) =>
    fc.tuple(fc.constant(parameter.name), queryValue(parameter)),
  );
  const names = operation.query.map((p) => p.name);
  const key = names.length > 0 ? fc.constantFrom(...names) : fc.constant('q');
  const structural: Arbitrary<QueryPair> = fc.oneof(
    fc.tuple(
      key.map((name) => `${name}[]`),
      fc.string({ maxLength: 8 }),
    ),
    fc.tuple(
      key.map((name) => `${name}[0]`),
      fc.string({ maxLength: 8 }),
    ),
    fc.tuple(
      key.map((name) => `${name}[a][b]`),
      fc.string({ maxLength: 8 }),
    ),
    fc.tuple(key, fc.constant(undefined)),
    fc.tuple(
      fc.constantFrom('__proto__', 'constructor[prototype][x]', '__proto__[x]', 'hasOwnProperty'),
      fc.constant('1'),
    ),
    fc.tuple(fc.constantFrom('', '=', '&', '%', '%zz', '%ED%A0%80'), fc.constant('x')),
    fc.tuple(extraKey, oddString),
  );
  const pair = declared.length > 0 ? fc.oneof(...declared, structural) : structural;
  return fc.oneof(
    { arbitrary: fc.constant(''), weight: names.length > 0 ? 2 : 6 },
    {
      arbitrary: fc.array(pair, { minLength: 1, maxLength: 6 }).map(renderQuery),
      weight: 3,
    },
    {
      arbitrary: fc
        .integer({ min: 20, max: 3_000 })
        .map((n) =>
          renderQuery(
            Array.from(
              { length: n },
              (_, i): QueryPair => [names[i % (names.length || 1)] ?? 'q', 'x'],
            ),
          ),
        ),
      weight: 1,
    },
  );
}

export function fuzzRequest(operations: Operation[]): Arbitrary<FuzzRequest> {
  return fc.constantFrom(...operations).chain((operation) =>
    fc.record({
      operation: fc.constant(operation.id),
      method: method(operation),
      path: path(operation),
      ids: fc.tuple(...operation.pathParams.map(() => idSpec)),
      query: query(operation),
      headers: fc.array(extraHeader, { maxLength: 3 }),
      auth: operation.secured
        ? authSpec
        : fc.oneof(
            { arbitrary: fc.constant<AuthSpec>({ kind: 'none' }), weight: 4 },
            { arbitrary: authSpec, weight: 1 },
          ),
      body: body(operation),
      chunked: fc.oneof(
        { arbitrary: fc.constant(false), weight: 8 },
        { arbitrary: fc.constant(true), weight: 1 },
      ),
    }),
  );
}

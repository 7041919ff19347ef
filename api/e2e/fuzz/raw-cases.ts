import fc, { Arbitrary } from 'fast-check';
import { FuzzWorld } from './world';

/** The requests of the raw-socket part, as bytes: fixed malformed cases and mutated good ones. */

export interface RawCase {
  name: string;
  /** The bytes as a latin1 string, so any byte can be written. */
  bytes: string;
}

const CRLF = '\r\n';
const LOGIN_BODY = '{"email":"a@example.com","password":"whatever-1"}';

function message(lines: string[], body = '', eol = CRLF): string {
  return lines.join(eol) + eol + eol + body;
}

const health = (...extra: string[]) =>
  message(['GET /api/health HTTP/1.1', 'Host: localhost', ...extra]);

const login = (headers: string[], body = LOGIN_BODY) =>
  message(
    [
      'POST /api/auth/login HTTP/1.1',
      'Host: localhost',
      'Content-Type: application/json',
      ...headers,
    ],
    body,
  );

/** The malformed requests of issue 8 and their relatives, each named for the report. */
export function rawCases(world: FuzzWorld): RawCase[] {
  const bearer = `Authorization: Bearer ${world.owner.accessToken}`;
  const cases: [string, string][] = [
    ['NUL in a header value', health('X-A: a\0b')],
    ['NUL in a header name', health('X-\0A: b')],
    ['control byte in a header value', health('X-A: a\x01\x7fb')],
    ['bare LF line endings', message(['GET /api/health HTTP/1.1', 'Host: localhost'], '', '\n')],
    ['bare CR line endings', message(['GET /api/health HTTP/1.1', 'Host: localhost'], '', '\r')],
    [
      'Content-Length and Transfer-Encoding chunked',
      login(['Content-Length: 4', 'Transfer-Encoding: chunked'], `0${CRLF}${CRLF}`),
    ],
    ['negative Content-Length', login(['Content-Length: -1'])],
    ['huge Content-Length', login(['Content-Length: 99999999999999999999'])],
    ['Content-Length past the body limit', login(['Content-Length: 104857600'])],
    ['Content-Length not a number', login(['Content-Length: abc'])],
    ['Content-Length with a sign', login([`Content-Length: +${LOGIN_BODY.length}`])],
    [
      'two different Content-Lengths',
      login([`Content-Length: ${LOGIN_BODY.length}`, `Content-Length: ${LOGIN_BODY.length + 1}`]),
    ],
    ['Content-Length list', login([`Content-Length: ${LOGIN_BODY.length}, ${LOGIN_BODY.length}`])],
    [
      'invalid chunk size',
      login(['Transfer-Encoding: chunked'], `zz${CRLF}${LOGIN_BODY}${CRLF}0${CRLF}${CRLF}`),
    ],
    [
      'chunk size overflow',
      login(['Transfer-Encoding: chunked'], `ffffffffffffffffffff${CRLF}x${CRLF}0${CRLF}${CRLF}`),
    ],
    [
      'negative chunk size',
      login(['Transfer-Encoding: chunked'], `-5${CRLF}hello${CRLF}0${CRLF}${CRLF}`),
    ],
    ['chunk without its CRLF', login(['Transfer-Encoding: chunked'], `2${CRLF}{}0${CRLF}${CRLF}`)],
    [
      'huge chunk extension',
      login(
        ['Transfer-Encoding: chunked'],
        `2;${'a'.repeat(100_000)}${CRLF}{}${CRLF}0${CRLF}${CRLF}`,
      ),
    ],
    [
      'NUL in a chunk trailer',
      login(['Transfer-Encoding: chunked'], `2${CRLF}{}${CRLF}0${CRLF}X-T: a\0b${CRLF}${CRLF}`),
    ],
    [
      'chunked not last',
      login(['Transfer-Encoding: chunked, gzip'], `2${CRLF}{}${CRLF}0${CRLF}${CRLF}`),
    ],
    ['unknown Transfer-Encoding', login(['Transfer-Encoding: xchunked'], '{}')],
    ['header flood', health(...Array.from({ length: 5_000 }, (_, i) => `X-Flood-${i}: ${i}`))],
    ['one huge header', health(`X-Huge: ${'a'.repeat(64 * 1024)}`)],
    [
      'overlong request line',
      message([`GET /api/${'a'.repeat(100_000)} HTTP/1.1`, 'Host: localhost']),
    ],
    ['overlong method', message([`${'A'.repeat(10_000)} /api/health HTTP/1.1`, 'Host: localhost'])],
    ['unknown method', message(['FOO /api/health HTTP/1.1', 'Host: localhost'])],
    ['lower-case method', message(['get /api/health HTTP/1.1', 'Host: localhost'])],
    ['truncated request line', 'GET /api/hea'],
    ['truncated headers', `GET /api/health HTTP/1.1${CRLF}Host: localhost${CRLF}`],
    ['truncated body', login(['Content-Length: 100'], '{"email":')],
    ['HTTP/0.9 request', `GET /api/health${CRLF}${CRLF}`],
    ['HTTP/2 preface', `PRI * HTTP/2.0${CRLF}${CRLF}SM${CRLF}${CRLF}`],
    ['unknown HTTP version', message(['GET /api/health HTTP/9.9', 'Host: localhost'])],
    ['missing Host', message(['GET /api/health HTTP/1.1'])],
    ['two Host headers', health('Host: evil.example')],
    ['obsolete line folding', health('X-Folded: a', ' b')],
    ['space before the colon', health('X-A : b')],
    ['header line without a colon', health('X-No-Colon')],
    ['raw non-ASCII bytes in the path', message(['GET /api/\xff\xfe HTTP/1.1', 'Host: localhost'])],
    ['control byte in the path', message(['GET /api/he\x01alth HTTP/1.1', 'Host: localhost'])],
    [
      'encoded NUL in the path',
      message(['GET /api/videos/%00 HTTP/1.1', 'Host: localhost', bearer]),
    ],
    [
      'absolute-form target',
      message(['GET http://evil.example/api/health HTTP/1.1', 'Host: localhost']),
    ],
    ['asterisk-form target', message(['OPTIONS * HTTP/1.1', 'Host: localhost'])],
    ['CONNECT', message(['CONNECT 127.0.0.1:1 HTTP/1.1', 'Host: 127.0.0.1:1'])],
    ['tabs in the request line', message(['GET\t/api/health\tHTTP/1.1', 'Host: localhost'])],
    [
      'extra spaces in the request line',
      message(['GET  /api/health  HTTP/1.1', 'Host: localhost']),
    ],
    [
      'Expect: 100-continue',
      login([`Content-Length: ${LOGIN_BODY.length}`, 'Expect: 100-continue']),
    ],
    ['unknown Expect', login([`Content-Length: ${LOGIN_BODY.length}`, 'Expect: the-unexpected'])],
    [
      'WebSocket upgrade',
      health(
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: eA==',
      ),
    ],
    [
      'h2c upgrade',
      health(
        'Connection: Upgrade, HTTP2-Settings',
        'Upgrade: h2c',
        'HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA',
      ),
    ],
    ['valid request, then NUL in the next', health() + health('X-A: \0')],
    ['body past its Content-Length', login(['Content-Length: 2'], `{}${health()}`)],
    [
      'TLS ClientHello',
      Buffer.from('16030100a5010000a10303' + '00'.repeat(32), 'hex').toString('latin1'),
    ],
    ['blank lines before the request', `${CRLF}${CRLF}${health()}`],
    ['nothing but a blank line', CRLF],
    ['invalid UTF-8 in a JSON body', login([`Content-Length: 16`], '{"email":"\xff\xfe"}')],
    ['header value with obs-text', health('X-A: \xe9\xff')],
  ];
  return cases.map(([name, bytes]) => ({ name, bytes }));
}

/** Changes to a well-formed request: bytes inserted or removed, line endings, extra headers. */
type Mutation =
  | { kind: 'insert'; at: number; bytes: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'line-endings'; eol: string }
  | { kind: 'header'; line: string }
  | { kind: 'repeat-line'; at: number };

const oddBytes = fc.oneof(
  fc.constantFrom(
    '\0',
    '\r',
    '\n',
    '\r\n',
    ' ',
    '\t',
    ':',
    '\x7f',
    '\xff',
    '\x0b',
    '%',
    '\\',
    '\x80',
  ),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 4 }),
  fc
    .uint8Array({ minLength: 1, maxLength: 4 })
    .map((bytes) => Buffer.from(bytes).toString('latin1')),
);

const mutation: Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant<'insert'>('insert'), at: fc.nat(), bytes: oddBytes }),
  fc.record({
    kind: fc.constant<'delete'>('delete'),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ kind: fc.constant<'truncate'>('truncate'), at: fc.nat() }),
  fc.record({
    kind: fc.constant<'line-endings'>('line-endings'),
    eol: fc.constantFrom('\n', '\r', '\r\r\n', '\n\r', '\r\n\r\n'),
  }),
  fc.record({
    kind: fc.constant<'header'>('header'),
    line: fc.oneof(
      fc.constantFrom(
        'Content-Length: -1',
        'Content-Length: 1e3',
        'Content-Length: 0x10',
        'Content-Length: 99999999999999999999',
        'Transfer-Encoding: chunked',
        'Transfer-Encoding: identity',
        'Expect: 100-continue',
        'Connection: close',
        'Host: ',
        'X-Request-Id: \0',
        `X-Long: ${'b'.repeat(20_000)}`,
      ),
      fc.tuple(fc.string({ maxLength: 8 }), oddBytes).map(([name, value]) => `X${name}: ${value}`),
    ),
  }),
  fc.record({ kind: fc.constant<'repeat-line'>('repeat-line'), at: fc.nat() }),
);

function applyMutation(bytes: string, change: Mutation): string {
  const at = (n: number) => n % (bytes.length + 1);
  switch (change.kind) {
    case 'insert':
      return bytes.slice(0, at(change.at)) + change.bytes + bytes.slice(at(change.at));
    case 'delete':
      return bytes.slice(0, at(change.at)) + bytes.slice(at(change.at) + change.length);
    case 'truncate':
      return bytes.slice(0, at(change.at));
    case 'line-endings':
      return bytes.split(CRLF).join(change.eol);
    case 'header': {
      const firstLine = bytes.indexOf(CRLF);
      return firstLine < 0
        ? bytes
        : `${bytes.slice(0, firstLine + 2)}${change.line}${CRLF}${bytes.slice(firstLine + 2)}`;
    }
    case 'repeat-line': {
      const lines = bytes.split(CRLF);
      const index = change.at % lines.length;
      lines.splice(index, 0, lines[index]);
      return lines.join(CRLF);
    }
  }
}

function baseRequests(world: FuzzWorld): RawCase[] {
  const bearer = `Authorization: Bearer ${world.owner.accessToken}`;
  const patch = '{"favorite":true}';
  return [
    { name: 'GET /api/health', bytes: health('Accept: */*') },
    { name: 'POST /api/auth/login', bytes: login([`Content-Length: ${LOGIN_BODY.length}`]) },
    {
      name: 'GET /api/videos',
      bytes: message(['GET /api/videos?limit=1 HTTP/1.1', 'Host: localhost', bearer]),
    },
    {
      name: 'PATCH /api/videos/{id}',
      bytes: message(
        [
          `PATCH /api/videos/${world.readyVideo} HTTP/1.1`,
          'Host: localhost',
          bearer,
          'Content-Type: application/json',
          `Content-Length: ${patch.length}`,
        ],
        patch,
      ),
    },
  ];
}

/** A well-formed request with one to three mutations: what a broken client or a fuzzer sends. */
export function mutatedRequest(world: FuzzWorld): Arbitrary<RawCase> {
  return fc
    .tuple(
      fc.constantFrom(...baseRequests(world)),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
    )
    .map(([base, mutations]) => ({
      name: `mutated ${base.name}`,
      bytes: mutations.reduce(applyMutation, base.bytes),
    }));
}

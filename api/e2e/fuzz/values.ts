import fc, { Arbitrary } from 'fast-check';
import { Schema } from './openapi';

/**
 * Values the fuzzer puts in bodies, queries, paths and headers: mostly plausible, often odd.
 * JSON bodies are built as a small tree (not JS objects) so that what JSON.stringify cannot write
 * still gets sent: numbers such as 1e309 or -0, duplicate keys, `__proto__` as a key, nesting
 * thousands of levels deep.
 */
export type JsonInput =
  | null
  | boolean
  | number
  | string
  | RawJson
  | JsonObject
  | JsonInput[]
  | Deep
  | ActorSecret;

/** Text written into the JSON verbatim, e.g. `1e309`. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** The e-mail or password of the account the request acts as, filled in when it is sent. */
export class ActorSecret {
  constructor(readonly which: 'email' | 'password') {}
}

export interface Secrets {
  email: string;
  password: string;
}

/** An object as a list of entries: keys may repeat or be `__proto__`. */
export class JsonObject {
  constructor(readonly entries: [string, JsonInput][]) {}
}

/** `inner` wrapped `depth` times in `[` or `{"a":`. */
export class Deep {
  constructor(
    readonly depth: number,
    readonly wrapper: 'array' | 'object',
    readonly inner: JsonInput,
  ) {}
}

export function jsonText(value: JsonInput, secrets: Secrets): string {
  const write = (item: JsonInput): string => {
    if (item instanceof RawJson) return item.text;
    if (item instanceof ActorSecret) return JSON.stringify(secrets[item.which]);
    if (item instanceof Deep) {
      const [open, close] = item.wrapper === 'array' ? ['[', ']'] : ['{"a":', '}'];
      return open.repeat(item.depth) + write(item.inner) + close.repeat(item.depth);
    }
    if (item instanceof JsonObject) {
      return `{${item.entries.map(([key, entry]) => `${JSON.stringify(key)}:${write(entry)}`).join(',')}}`;
    }
    if (Array.isArray(item)) return `[${item.map(write).join(',')}]`;
    return JSON.stringify(item);
  };
  return write(value);
}

/** Characters and snippets that break naive code: each is a reason to generate a string. */
const ODD_FRAGMENTS = [
  '\u0000',
  '\u0001\u0002\u001b[31m',
  '\u007f',
  '\u0085',
  '\r\n',
  '\r',
  '\t',
  '\u2028\u2029',
  // Lone and reversed surrogates: not valid UTF-16, not encodable as UTF-8.
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  // Bidi overrides, isolates and marks.
  '\u202e',
  '\u202d',
  '\u2066\u2067\u2068\u2069',
  '\u200f\u061c',
  // Zero-width and BOM.
  '\u200b\u200d',
  '\ufeff',
  '\u00a0\u3000',
  // Emoji: astral, ZWJ sequences, flags, skin tones.
  '😀',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '🇫🇷',
  '👍🏽',
  // Combining marks and normalisation pairs.
  'e\u0301',
  'é',
  `a${'\u0300'.repeat(40)}`,
  'ß',
  'İ',
  'ﬁ',
  '＠',
  'مرحبا',
  'שלום',
  '漢字',
  // Injection-shaped text.
  '%00',
  '%s%n%x',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  '..\\..\\',
  '"',
  '\\',
  'null',
  '__proto__',
  'constructor',
  'X-Injected: 1',
] as const;

export const oddFragment = fc.constantFrom(...ODD_FRAGMENTS);

/** A short string mixing odd fragments with any code units (lone surrogates included). */
export const oddString: Arbitrary<string> = fc
  .array(
    fc.oneof(
      { arbitrary: oddFragment, weight: 3 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 6 }), weight: 1 },
      { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** Long strings: past every documented maximum, some past the body limit's reach. */
export const hugeString: Arbitrary<string> = fc
  .record({
    unit: fc.constantFrom('a', ' ', '😀', 'é', '\u0000', '\u202e', 'e\u0301'),
    length: fc.oneof(
      fc.integer({ min: 100, max: 5_000 }),
      fc.integer({ min: 5_000, max: 200_000 }),
    ),
  })
  .map(({ unit, length }) => unit.repeat(Math.ceil(length / unit.length)));

/** Numbers as JSON text: what parsers round, overflow or refuse. */
export const oddNumber: Arbitrary<JsonInput> = fc.oneof(
  fc.constantFrom(
    new RawJson('1e309'),
    new RawJson('-1e309'),
    new RawJson('-0'),
    new RawJson('0.0'),
    new RawJson('1e-400'),
    new RawJson('9007199254740993'),
    new RawJson('123456789012345678901234567890'),
    new RawJson('1.0000000000000002'),
    new RawJson('5e0'),
    new RawJson('1E1'),
  ),
  fc.constantFrom(-1, 0, 0.5, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, 5e-324),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Number-like strings, for fields and parameters that expect a number. */
export const numericText = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-0',
  '0x10',
  '1e3',
  '1.5',
  '',
  ' 1',
  '1 ',
  '٣',
  '１',
  '99999999999999999999999',
  '-1',
  '0',
);

/** A value of any type but the one expected. */
function wrongType(schema: Schema): Arbitrary<JsonInput> {
  const all: Record<string, Arbitrary<JsonInput>> = {
    string: fc.oneof(numericText, fc.constantFrom('true', 'false', 'null', '[]', '{}')),
    number: oddNumber,
    boolean: fc.boolean(),
    null: fc.constant(null),
    array: fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxLength: 3 }),
    object: fc.constantFrom(
      new JsonObject([]),
      new JsonObject([['a', 1]]),
      new JsonObject([['__proto__', new JsonObject([['polluted', true]])]]),
    ),
  };
  const others = Object.entries(all)
    .filter(([type]) => type !== schema.type && !(type === 'number' && schema.type === 'integer'))
    .map(([, arbitrary]) => arbitrary);
  return fc.oneof(...others);
}

const emailLocal = fc.stringMatching(/^[a-z][a-z0-9._+-]{0,15}$/);

/** E-mail addresses: ordinary, unusual but valid, and broken. */
export const email: Arbitrary<string> = fc.oneof(
  { arbitrary: emailLocal.map((local) => `${local}@example.com`), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      'ADA@EXAMPLE.COM',
      'josé@example.com',
      'jose@example.com',
      '"quoted local"@example.com',
      'a@[127.0.0.1]',
      'a@localhost',
      'a@b',
      '@example.com',
      'a@',
      'a@@example.com',
      'a\ud800@example.com',
      'a\u0000@example.com',
      'a\u202e@example.com',
      'a@exämple.com',
      'a@xn--exmple-cua.com',
      `${'a'.repeat(64)}@example.com`,
      `${'a'.repeat(65)}@example.com`,
      `a@${'b'.repeat(250)}.com`,
      ' a@example.com ',
    ),
    weight: 2,
  },
  { arbitrary: oddString.map((odd) => `a${odd}@example.com`), weight: 2 },
);

const password = fc.string({ minLength: 8, maxLength: 24 });

/** A value the schema accepts, as far as the schema says. */
function validValue(name: string, schema: Schema): Arbitrary<JsonInput> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as JsonInput[]));
  switch (schema.type) {
    case 'string': {
      if (/email/i.test(name)) {
        return fc.oneof(email, fc.constant(new ActorSecret('email')));
      }
      if (schema.format === 'password') {
        return fc.oneof(password, fc.constant(new ActorSecret('password')));
      }
      const min = Math.max(schema.minLength ?? 0, 1);
      const max = Math.min(schema.maxLength ?? 40, 40);
      return fc.string({ minLength: min, maxLength: Math.max(min, max) });
    }
    case 'number':
    case 'integer': {
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? 1000;
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(name, schema.items ?? {}), { maxLength: 3 });
    default:
      return fc.string({ maxLength: 10 });
  }
}

/** Values at and just past the documented limits. */
function edgeValue(schema: Schema): Arbitrary<JsonInput> {
  if (schema.type === 'string') {
    const lengths = [0, 1, schema.minLength, schema.maxLength, (schema.maxLength ?? 0) + 1]
      .filter((length): length is number => length !== undefined && length >= 0)
      .map((length) => 'x'.repeat(length));
    const spaces = ['   ', ' x ', '\t\n', `${'😀'.repeat(schema.maxLength ?? 10)}`];
    return fc.constantFrom(...lengths, ...spaces);
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    const bounds = [schema.minimum, schema.maximum]
      .filter((bound): bound is number => bound !== undefined)
      .flatMap((bound) => [bound - 1, bound, bound + 1, bound + 0.5]);
    return fc.constantFrom(...bounds, 0, -1, 2.5);
  }
  return fc.constantFrom<JsonInput>(true, false);
}

/** Any value for a property: valid most of the time, so requests get past validation. */
export function propertyValue(name: string, schema: Schema): Arbitrary<JsonInput> {
  return fc.oneof(
    { arbitrary: validValue(name, schema), weight: 6 },
    { arbitrary: edgeValue(schema), weight: 2 },
    { arbitrary: oddString, weight: 2 },
    { arbitrary: wrongType(schema), weight: 2 },
    { arbitrary: hugeString, weight: 1 },
    { arbitrary: deepValue, weight: 1 },
  );
}

/** Arrays or objects nested up to 10,000 levels: a recursive parser or validator overflows. */
export const deepValue: Arbitrary<JsonInput> = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 2, max: 64 }), fc.integer({ min: 1_000, max: 10_000 })),
    wrapper: fc.constantFrom<'array' | 'object'>('array', 'object'),
    inner: fc.constantFrom<JsonInput>(1, 'x', null, new JsonObject([])),
  })
  .map(({ depth, wrapper, inner }) => new Deep(depth, wrapper, inner));

/** Names of properties no DTO has, including ones that matter to JavaScript objects. */
export const extraKey: Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'isAdmin',
    'userId',
    'id',
    'status',
    '',
    ' ',
    'a.b',
    '$where',
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
  oddString,
);

/** Any JSON value, small. */
export const anyJson: Arbitrary<JsonInput> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as Arbitrary<JsonInput>,
  oddNumber,
  oddString,
);

import fc, { Arbitrary } from 'fast-check';
import { Operation, Schema } from './openapi';
import { BodySpec, headerValue } from './request-model';
import {
  anyJson,
  Deep,
  extraKey,
  JsonInput,
  JsonObject,
  oddString,
  propertyValue,
  RawJson,
} from './values';

/** Request bodies: objects built from an operation's schema, and everything a body should not be. */

const JSON_TYPE = 'application/json';

const contentType: Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant(JSON_TYPE), weight: 30 },
  {
    arbitrary: fc.constantFrom(
      undefined,
      '',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'application/json; charset=utf-16le',
      'APPLICATION/JSON',
      'application/json;',
      'application/json; boundary=x',
      'application/vnd.api+json',
      'application/merge-patch+json',
      'text/plain',
      'text/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/octet-stream',
      '*/*',
      'application/json, text/plain',
      'json',
      `application/json; ${'x=y; '.repeat(200)}`,
    ),
    weight: 2,
  },
  { arbitrary: oddString.map(headerValue), weight: 1 },
);

/** A body object built from the schema: each property valid or not, some left out, extras. */
function objectBody(schema: Schema): Arbitrary<JsonObject> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const entries = properties.map(([name, property]) =>
    fc
      .option(propertyValue(name, property), { freq: required.has(name) ? 8 : 2 })
      .map((value): [string, JsonInput] | undefined =>
        value === null ? undefined : [name, value],
      ),
  );
  const extras = fc.oneof(
    { arbitrary: fc.constant<[string, JsonInput][]>([]), weight: 6 },
    { arbitrary: fc.array(fc.tuple(extraKey, anyJson), { maxLength: 4 }), weight: 2 },
    {
      arbitrary: fc
        .integer({ min: 50, max: 5_000 })
        .map((n) => Array.from({ length: n }, (_, i): [string, JsonInput] => [`field${i}`, 1])),
      weight: 1,
    },
    {
      arbitrary: fc
        .constantFrom(...(properties.length > 0 ? properties.map(([name]) => name) : ['a']))
        .chain((name) => fc.tuple(fc.constant(name), anyJson).map((entry) => [entry])),
      weight: 1,
    },
  );
  return fc
    .tuple(fc.tuple(...entries), extras)
    .map(
      ([own, more]) =>
        new JsonObject([
          ...own.filter((entry): entry is [string, JsonInput] => entry !== undefined),
          ...more,
        ]),
    );
}

const MALFORMED_JSON = [
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '{"a":1} x',
  'undefined',
  'NaN',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":01}',
  '{"a":.5}',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"}',
  '{"a":"\u0000"}',
  '\ufeff{}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '[]',
  '[{}]',
  '"x"',
  '1',
  'null',
  'true',
  '   ',
  '\u0000',
  '{}',
  `{"a":1${' '.repeat(10_000)}}`,
];

function jsonBody(value: Arbitrary<JsonInput>): Arbitrary<BodySpec> {
  return fc.record({ kind: fc.constant<'json'>('json'), value, contentType });
}

/** Bodies of any kind: for operations with a JSON body, mostly objects built from its schema. */
export function body(operation: Operation): Arbitrary<BodySpec> {
  const schema = operation.body;
  const odd: Arbitrary<BodySpec>[] = [
    jsonBody(fc.constantFrom(...MALFORMED_JSON).map((text) => new RawJson(text))),
    jsonBody(anyJson),
    jsonBody(
      fc
        .integer({ min: 1_000, max: 10_000 })
        .map((depth) => new Deep(depth, 'object', new JsonObject([]))),
    ),
    fc.record({
      kind: fc.constant<'text'>('text'),
      text: fc.oneof(oddString, fc.constantFrom('a=1&b=2', '--xyz\r\n\r\n--xyz--')),
      contentType,
    }),
    fc.record({
      kind: fc.constant<'bytes'>('bytes'),
      latin1: fc.constantFrom(
        '{"prompt":"\xff\xfe"}',
        '{"prompt":"\xc0\xaf"}',
        '{"prompt":"\xed\xa0\x80"}',
        Buffer.from('{"prompt":"x"}', 'utf16le').toString('latin1'),
        '\x1f\x8b\x08\x00',
      ),
      contentType,
    }),
  ];
  if (!schema) {
    return fc.oneof(
      { arbitrary: fc.constant<BodySpec>({ kind: 'none' }), weight: 30 },
      ...odd.map((arbitrary) => ({ arbitrary, weight: 1 })),
    );
  }
  return fc.oneof(
    { arbitrary: jsonBody(objectBody(schema)), weight: 24 },
    { arbitrary: fc.constant<BodySpec>({ kind: 'none' }), weight: 1 },
    ...odd.map((arbitrary) => ({ arbitrary, weight: 1 })),
    {
      arbitrary: fc.record({
        kind: fc.constant<'oversized'>('oversized'),
        extra: fc.oneof(
          { arbitrary: fc.integer({ min: 1, max: 64 * 1024 }), weight: 4 },
          { arbitrary: fc.constant(5 * 1024 * 1024), weight: 1 },
        ),
      }),
      weight: 1,
    },
  );
}

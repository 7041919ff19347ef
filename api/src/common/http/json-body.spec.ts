import { MalformedBodyError } from '../errors/domain-errors';
import { MAX_JSON_DEPTH, nestsDeeperThan, parseJsonObject } from './json-body';

describe('nestsDeeperThan', () => {
  it.each([
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['[[[]],[[]]]', 3],
    ['{"a":"[[[[[[[["}', 1],
    ['{"a":"\\"[[[[[[[[\\\\"}', 1],
    ['"just a string"', 0],
  ])('counts %s as %i levels deep', (text, depth) => {
    expect(nestsDeeperThan(text, depth)).toBe(false);
    expect(nestsDeeperThan(text, depth - 1)).toBe(depth > 0);
  });

  it('finds a body nested a million levels deep without overflowing the stack', () => {
    const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;

    expect(nestsDeeperThan(deep, 64)).toBe(true);
    expect(nestsDeeperThan(deep, 1_000_000)).toBe(false);
  });
});

describe('parseJsonObject', () => {
  const refusal = (text: string) => {
    try {
      parseJsonObject(text);
    } catch (error) {
      if (error instanceof MalformedBodyError) return error.message;
      throw error;
    }
    throw new Error(`accepted: ${text}`);
  };

  it('reads a JSON object, and an empty body as none', () => {
    expect(parseJsonObject('{"a":[1,{"b":"c"}]}')).toEqual({ a: [1, { b: 'c' }] });
    expect(parseJsonObject(' \n')).toBeUndefined();
  });

  it('reads an array only where arrays are taken (a batch of JSON-RPC messages)', () => {
    expect(parseJsonObject('[{"a":1},{"b":2}]', true)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(() => parseJsonObject('"text"', true)).toThrow(/must be a JSON object/);
  });

  it.each([
    ['{"a":', /not valid JSON/],
    ['[1]', /must be a JSON object/],
    ['"text"', /must be a JSON object/],
    ['null', /must be a JSON object/],
    [`{"a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`, /nested too deeply/],
  ])('refuses %s', (text, message) => {
    expect(refusal(text)).toMatch(message);
  });

  it.each([
    '{"__proto__":{"isAdmin":true}}',
    '{"a":[{"__proto__":null}]}',
    '{"\\u005f_proto__":{}}',
    '{"constructor":{"prototype":{"isAdmin":true}}}',
    '{"a":{"constructor":{"prototype":1}}}',
  ])('refuses a key that could reach a prototype: %s', (text) => {
    expect(refusal(text)).toMatch(/"__proto__".*"constructor" with a "prototype"/);
  });

  it('keeps a "constructor" key without a prototype, and "__proto__" as a value', () => {
    expect(parseJsonObject('{"constructor":"x","a":"__proto__"}')).toEqual({
      constructor: 'x',
      a: '__proto__',
    });
  });
});

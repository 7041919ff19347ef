import { isDoneMarker, readSseEvents, SseEvent, SseParser } from './sse-parser';

function parseAll(chunks: Array<string | Uint8Array>): SseEvent[] {
  const parser = new SseParser();
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
}

const message = (data: string, id = ''): SseEvent => ({ event: 'message', data, id });

describe('SseParser', () => {
  it('dispatches one event per blank line, joining data lines with \\n', () => {
    expect(parseAll(['data: first\n\ndata: a\ndata: b\n\n'])).toEqual([
      message('first'),
      message('a\nb'),
    ]);
  });

  it('reads event and id fields; the id persists, the event name does not', () => {
    const events = parseAll(['event: error\nid: 7\ndata: {"x": 1}\n\ndata: next\n\n']);
    expect(events).toEqual([
      { event: 'error', data: '{"x": 1}', id: '7' },
      { event: 'message', data: 'next', id: '7' },
    ]);
  });

  it('ignores comments, unknown fields, and blocks without data', () => {
    expect(parseAll([': keep-alive\n\nevent: ping\n\nfoo: bar\ndata: real\n\n'])).toEqual([
      message('real'),
    ]);
  });

  it('removes exactly one space after the colon, and takes a line without colon as a field name', () => {
    expect(parseAll(['data:no space\n\ndata:  two spaces\n\ndata\n\n'])).toEqual([
      message('no space'),
      message(' two spaces'),
      message(''),
    ]);
  });

  it('keeps the last valid retry value', () => {
    const parser = new SseParser();
    parser.push('retry: 3000\nretry: soon\ndata: x\n\n');
    expect(parser.retry).toBe(3000);
  });

  it('ignores an id containing NUL', () => {
    expect(parseAll(['id: 1\ndata: a\n\nid: 2\0\ndata: b\n\n']).map((e) => e.id)).toEqual([
      '1',
      '1',
    ]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('accepts %s line ends', (_name, eol) => {
    expect(parseAll([`data: a${eol}data: b${eol}${eol}data: c${eol}${eol}`])).toEqual([
      message('a\nb'),
      message('c'),
    ]);
  });

  it('treats a CRLF split between two chunks as one line end', () => {
    expect(parseAll(['data: a\r', '\ndata: b\r\n\r', '\n'])).toEqual([message('a\nb')]);
  });

  it('gives the same events however the bytes are split, even inside a UTF-8 character', () => {
    const text = 'data: {"stage": "生成中 ✓ 37%"}\r\n\r\n: comment\ndata: second 🎬\n\n';
    const bytes = Buffer.from(text, 'utf8');
    const whole = parseAll([bytes]);
    expect(whole).toEqual([message('{"stage": "生成中 ✓ 37%"}'), message('second 🎬')]);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(parseAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
    expect(parseAll([...bytes].map((b) => Uint8Array.of(b)))).toEqual(whole);
  });

  it('drops a byte-order mark at the start', () => {
    expect(parseAll([Buffer.from('\ufeffdata: x\n\n', 'utf8')])).toEqual([message('x')]);
    expect(parseAll(['\ufeffdata: y\n\n'])).toEqual([message('y')]);
  });

  it('dispatches an event left unfinished when the stream closes (gateways end that way)', () => {
    expect(parseAll(['data: {"a": 1}\n\ndata: last'])).toEqual([
      message('{"a": 1}'),
      message('last'),
    ]);
    expect(parseAll(['data: last\n'])).toEqual([message('last')]);
  });

  it('reads the malformed [DONE] written with literal backslash-n as a done marker', () => {
    const events = parseAll(['data: {"a": 1}\n\n', String.raw`data: [DONE]\n\n`]);
    expect(events.map((e) => e.data)).toEqual(['{"a": 1}', String.raw`[DONE]\n\n`]);
    expect(isDoneMarker(events[1].data)).toBe(true);
  });
});

describe('isDoneMarker', () => {
  it.each(['[DONE]', ' [DONE] ', String.raw`[DONE]\n\n`, String.raw`[DONE]\r\n`])(
    'accepts %j',
    (data) => {
      expect(isDoneMarker(data)).toBe(true);
    },
  );

  it.each(['', 'DONE', '[DONE] and more', '{"done": true}'])('rejects %j', (data) => {
    expect(isDoneMarker(data)).toBe(false);
  });
});

describe('readSseEvents', () => {
  it('yields events from a byte stream and ends when it closes', async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('data: one\n');
      yield Buffer.from('\ndata: tw');
      yield Buffer.from('o\n\n');
    }
    const events: SseEvent[] = [];
    for await (const event of readSseEvents(body())) events.push(event);
    expect(events).toEqual([message('one'), message('two')]);
  });
});

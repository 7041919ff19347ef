/** One server-sent event, as the W3C EventSource rules build it. */
export interface SseEvent {
  /** The `event:` field, `message` when the block had none. */
  event: string;
  /** The `data:` lines of the block, joined with `\n`. */
  data: string;
  /** The last `id:` seen in the stream so far ('' when none). */
  id: string;
}

/**
 * An incremental parser for `text/event-stream` bodies (W3C "Server-sent events", section
 * "Interpreting an event stream"). Bytes may be split anywhere, even inside a UTF-8 character
 * or between the CR and LF of one line end: push every chunk, then call `end()` once.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  /** The previous chunk ended on CR: an LF that starts the next one belongs to that line end. */
  private afterCr = false;
  private started = false;
  private data = '';
  private hasData = false;
  private eventType = '';
  private lastEventId = '';
  private retryMs: number | undefined;

  /** The reconnection time from the last valid `retry:` field, if any. */
  get retry(): number | undefined {
    return this.retryMs;
  }

  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.consume(text);
  }

  /**
   * The stream closed. W3C drops an event whose blank line never came; these gateways end that
   * way (a `[DONE]` written with literal `\n` characters, or a close right after the last data
   * line), so the unfinished event is dispatched instead of being lost.
   */
  end(): SseEvent[] {
    const events = this.consume(this.decoder.decode());
    if (this.pending !== '') this.line(this.pending, events);
    this.pending = '';
    this.dispatch(events);
    return events;
  }

  private consume(text: string): SseEvent[] {
    let input = text;
    if (!this.started && input.length > 0) {
      this.started = true;
      // TextDecoder already drops a BOM from bytes; strings pushed directly may still carry one.
      if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
    }
    if (this.afterCr && input.length > 0) {
      this.afterCr = false;
      if (input[0] === '\n') input = input.slice(1);
    }
    const events: SseEvent[] = [];
    const buffer = this.pending + input;
    const lineEnd = /\r\n|\r|\n/g;
    let start = 0;
    for (let match = lineEnd.exec(buffer); match; match = lineEnd.exec(buffer)) {
      this.line(buffer.slice(start, match.index), events);
      start = match.index + match[0].length;
      if (match[0] === '\r' && start === buffer.length) this.afterCr = true;
    }
    this.pending = buffer.slice(start);
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(':')) return; // a comment, used by servers as a keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data += this.hasData ? `\n${value}` : value;
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(events: SseEvent[]): void {
    if (this.hasData)
      events.push({ event: this.eventType || 'message', data: this.data, id: this.lastEventId });
    this.data = '';
    this.hasData = false;
    this.eventType = '';
  }
}

/** Every event of a byte stream, ending when the stream closes. */
export async function* readSseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  for await (const chunk of body) yield* parser.push(chunk);
  yield* parser.end();
}

/**
 * The OpenAI-style end marker `[DONE]`, also in the malformed form one gateway path sends:
 * `data: [DONE]\n\n` written with a literal backslash and `n` instead of line ends.
 */
export function isDoneMarker(data: string): boolean {
  return /^\s*\[DONE\](?:\s|\\[rn])*$/.test(data);
}

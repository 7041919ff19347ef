import { SseParser } from '../../upstream/sse-parser';
import { ChatStreamInterpreter, ChatStreamOutcome, ChunkProgress } from '../chunk-interpreter';

/** Feeds raw stream text through the SSE parser, split into `pieces` parts, as the adapter does. */
export function run(
  text: string,
  { pieces = 1, closed = true } = {},
): { progress: ChunkProgress[]; outcome: ChatStreamOutcome | null } {
  const interpreter = new ChatStreamInterpreter('http://127.0.0.1:8000/v1');
  const parser = new SseParser();
  const bytes = Buffer.from(text, 'utf8');
  const size = Math.ceil(bytes.length / pieces);
  const progress: ChunkProgress[] = [];
  const take = (events: ReturnType<SseParser['push']>): void => {
    for (const event of events) {
      const update = interpreter.push(event);
      if (update) progress.push(update);
    }
  };
  for (let at = 0; at < bytes.length && !interpreter.outcome; at += size)
    take(parser.push(bytes.subarray(at, at + size)));
  if (closed && !interpreter.outcome) {
    take(parser.end());
    return { progress, outcome: interpreter.end() };
  }
  return { progress, outcome: interpreter.outcome };
}

export const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

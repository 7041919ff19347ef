import { CONTENT_POLICY_WORDS } from '../upstream/failure-words';
import { isDoneMarker, SseEvent } from '../upstream/sse-parser';

export type ChatStreamOutcome =
  | { kind: 'video'; url: string }
  | { kind: 'failed'; code: string; message: string };

/** What one chunk said about progress: both parts are optional. */
export interface ChunkProgress {
  percent: number | null;
  stage: string | null;
}

export const STREAM_CUT_MESSAGE =
  'The connection to the video service closed before the video was ready.';

const PERCENT = /(?<!\d)(\d{1,3})\s*%/g;
const STAGE_MAX_LENGTH = 120;
const REASON_MAX_LENGTH = 500;

/**
 * Reads a chat-completions stream from a Sora-style gateway, one SSE event at a time: progress
 * and stage from `reasoning_content` (or a `<think>` block in `content`), then the outcome: the
 * video link from the final content, an in-band error, or a refusal whose text is the reason.
 * Pure: the adapter feeds it events and acts on `outcome`.
 */
export class ChatStreamInterpreter {
  private reasoning = '';
  private content = '';
  private think = '';
  private policyReason: string | null = null;
  private result: ChatStreamOutcome | null = null;

  /** `baseUrl` resolves a link given as a path (`/tmp/x.mp4`) against the gateway. */
  constructor(private readonly baseUrl?: string) {}

  /** Set once the stream has said how it ends; the rest of it can be dropped. */
  get outcome(): ChatStreamOutcome | null {
    return this.result;
  }

  push(event: SseEvent): ChunkProgress | null {
    if (this.result) return null;
    if (isDoneMarker(event.data)) {
      this.finish();
      return null;
    }
    let chunk: Chunk;
    try {
      chunk = JSON.parse(event.data) as Chunk;
    } catch {
      // `event: error` may carry plain text; other non-JSON lines are keep-alives.
      if (event.event === 'error' && event.data.trim()) this.failWithError(event.data);
      return null;
    }
    if (event.event === 'error' || (chunk && typeof chunk === 'object' && chunk.error)) {
      this.failWithError(errorText(chunk) ?? event.data);
      return null;
    }
    const choice = Array.isArray(chunk?.choices) ? chunk.choices[0] : undefined;
    if (!choice) return null;
    const delta = choice.delta ?? choice.message ?? {};
    let progress: ChunkProgress | null = null;
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content) {
      progress = this.readReasoning(delta.reasoning_content);
    }
    if (typeof delta.content === 'string' && delta.content) {
      this.content += delta.content;
      const think = splitThink(this.content).think;
      if (think && think !== this.think) {
        this.think = think;
        progress = readProgress(think);
      }
    }
    if (typeof choice.finish_reason === 'string' && choice.finish_reason) {
      if (choice.finish_reason.toLowerCase() === 'content_filter')
        this.policyReason ??= 'content_filter';
      this.finish();
    }
    return progress;
  }

  /** The answer is complete (`finish_reason` or `[DONE]`): a link, or a failure that says why. */
  finish(): ChatStreamOutcome {
    if (this.result) return this.result;
    const answer = cleanText(splitThink(this.content).answer);
    const url = findVideoUrl(answer, true, this.baseUrl);
    if (url) return (this.result = { kind: 'video', url });
    if (answer) return (this.result = refusal(answer, this.policyReason !== null));
    if (this.policyReason) return (this.result = refusal(this.policyReason, true));
    return (this.result = {
      kind: 'failed',
      code: 'UPSTREAM_NO_RESULT',
      message: 'The video service finished without a video and gave no reason.',
    });
  }

  /** The connection closed. A complete `<video>` link still counts; anything less is a cut. */
  end(): ChatStreamOutcome {
    if (this.result) return this.result;
    const url = findVideoUrl(cleanText(splitThink(this.content).answer), false, this.baseUrl);
    if (url) return (this.result = { kind: 'video', url });
    return (this.result = {
      kind: 'failed',
      code: 'UPSTREAM_STREAM_CUT',
      message: STREAM_CUT_MESSAGE,
    });
  }

  private readReasoning(text: string): ChunkProgress {
    // Kept whole across chunks: a gateway that streams token by token may split "37" from "%".
    this.reasoning = (this.reasoning + text).slice(-4000);
    if (CONTENT_POLICY_WORDS.test(text)) this.policyReason = policyReason(text);
    return readProgress(this.reasoning);
  }

  private failWithError(message: string): void {
    const text = clip(message, REASON_MAX_LENGTH);
    this.result = CONTENT_POLICY_WORDS.test(text)
      ? refusal(text, true)
      : {
          kind: 'failed',
          code: 'UPSTREAM_ERROR',
          message: `The video service reported an error: ${text}`,
        };
  }
}

interface Chunk {
  error?: unknown;
  choices?: Array<{ delta?: Delta; message?: Delta; finish_reason?: string | null }>;
}

interface Delta {
  content?: string | null;
  reasoning_content?: string | null;
}

/** The last percentage in the text (0..100) and its last line as the stage, in the upstream's words. */
export function readProgress(text: string): ChunkProgress {
  const matches = [...text.matchAll(PERCENT)];
  const last = matches.length > 0 ? Number(matches[matches.length - 1][1]) : null;
  return { percent: last === null ? null : Math.min(100, last), stage: stageText(text) };
}

/** `**Video Generation Progress**: 37% (running)\n` → `Video Generation Progress: 37% (running)`. */
export function stageText(text: string): string | null {
  const lines = text
    .replace(/<\/?think>/g, '\n')
    .split(/\r\n|\r|\n/)
    .map((line) =>
      line
        .replace(/\*\*|__|`/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((line) => line !== '');
  if (lines.length === 0) return null;
  return clip(lines[lines.length - 1].replace(/:$/, ''), STAGE_MAX_LENGTH);
}

/**
 * The video link in the final content: a `<video src>` (either quote), else the first http(s)
 * URL ending in .mp4/.webm/.mov, else the whole content when it is one bare URL (only for a
 * finished answer: a cut stream may have delivered half of it).
 */
export function findVideoUrl(content: string, finished = true, baseUrl?: string): string | null {
  const tag = /<video[^>]+src=['"]([^'"]+)['"]/i.exec(content);
  if (tag) return absolute(tag[1].replace(/&amp;/g, '&'), baseUrl);
  const file =
    /https?:\/\/[^\s'"<>()\]]+?\.(?:mp4|webm|mov)(?:\?[^\s'"<>()\]]*)?(?=$|[\s'"<>()\]])/i.exec(
      content,
    );
  if (file) return file[0];
  const bare = content.trim();
  if (finished && /^https?:\/\/\S+$/i.test(bare)) return bare;
  return null;
}

function absolute(link: string, baseUrl: string | undefined): string | null {
  try {
    return new URL(link, baseUrl).toString();
  } catch {
    return null;
  }
}

/** Separates `<think>` blocks (grok-style progress) from the answer; an unclosed block runs to the end. */
export function splitThink(content: string): { think: string; answer: string } {
  let think = '';
  const answer = content.replace(/<think>([\s\S]*?)(?:<\/think>|$)/g, (_whole, inner: string) => {
    think += `${inner}\n`;
    return '';
  });
  return { think: think.trim(), answer };
}

/** The gateways' "❌ 生成失败: " ("generation failed") lead-in: the job's state says that already. */
const FAILED_PREFIX = /^\s*(?:❌\s*)?(?:(?:视频)?生成失败|generation failed)\s*[:：]\s*/i;

function refusal(text: string, policy: boolean): ChatStreamOutcome {
  const reason = clip(text.replace(FAILED_PREFIX, '') || text, REASON_MAX_LENGTH);
  if (policy || CONTENT_POLICY_WORDS.test(reason)) {
    return {
      kind: 'failed',
      code: 'CONTENT_POLICY',
      message: `The video service refused the prompt under its content policy: ${reason}`,
    };
  }
  return {
    kind: 'failed',
    code: 'UPSTREAM_NO_RESULT',
    message: `The video service finished without a video: ${reason}`,
  };
}

/** `**Content Policy Violation**\n\n<reason>\n` → the reason (or the whole text when it has no heading). */
function policyReason(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.replace(/\*\*/g, '').trim())
    .filter(Boolean);
  const rest = lines.length > 1 && CONTENT_POLICY_WORDS.test(lines[0]) ? lines.slice(1) : lines;
  return rest.join(' ');
}

function errorText(chunk: unknown): string | null {
  if (typeof chunk === 'string') return chunk;
  if (!chunk || typeof chunk !== 'object') return null;
  const { error, message } = chunk as Record<string, unknown>;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const nested = (error as Record<string, unknown>)['message'];
    if (typeof nested === 'string' && nested.trim()) return nested;
  }
  return typeof message === 'string' ? message : null;
}

/** The answer without markdown fences, on one line. */
function cleanText(text: string): string {
  return text
    .replace(/```[a-z]*\n?/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

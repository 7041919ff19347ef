import { CONTENT_POLICY_WORDS } from '../upstream/failure-words';
import { isDoneMarker, SseEvent } from '../upstream/sse-parser';
import { readUpstreamError } from '../upstream/upstream-error-text';
import { failureFromWords } from '../upstream/upstream-errors';
import { findVideoUrl, imageAnswer } from './video-links';

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
/** grok2api v2 (March 2026) stitches long videos from rounds: `[round=2/2] progress=40%`. */
const ROUND = /round\s*=\s*(\d+)\s*\/\s*(\d+)/i;
const STAGE_MAX_LENGTH = 120;
const REASON_MAX_LENGTH = 500;
/**
 * grok2api v1 writes its failures into the answer after the progress, inside a `<think>` block it
 * never closes: `Error: <message>` (its provider's error) or `处理错误: <exception>` ("processing
 * error").
 */
const FAILURE_LINE = /^\s*(?:error|处理错误|错误)\s*[:：]\s*(\S.*)$/i;
/** grok2api v2's in-band error when Grok withheld the video (moderated) or sent none. */
const NO_VIDEO_ERROR = /no final video url|returned no (?:final )?video/i;

/**
 * Reads a chat-completions stream from a Sora- or Grok-style gateway, one SSE event at a time:
 * progress and stage from `reasoning_content` (or a `<think>` block in `content`), then the
 * outcome: the video link from the final content, an in-band error, or a refusal whose text is
 * the reason. Pure: the adapter feeds it events and acts on `outcome`.
 */
export class ChatStreamInterpreter {
  private reasoning = '';
  private content = '';
  private think = '';
  private policyReason: string | null = null;
  /** Content that came with `finish_reason`: the answer, even inside an unclosed `<think>`. */
  private closingText = '';
  private failedByGateway = false;
  private result: ChatStreamOutcome | null = null;

  /** `baseUrl` resolves a link given as a path (`/v1/files/video?id=…`) against the gateway. */
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
      this.failWithError(event.data);
      return null;
    }
    const choice = Array.isArray(chunk?.choices) ? chunk.choices[0] : undefined;
    if (!choice) return null;
    const delta = choice.delta ?? choice.message ?? {};
    const finishReason =
      typeof choice.finish_reason === 'string' ? choice.finish_reason.toLowerCase() : '';
    let progress: ChunkProgress | null = null;
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content) {
      progress = this.readReasoning(lineBreaks(delta.reasoning_content));
    }
    if (typeof delta.content === 'string' && delta.content) {
      const text = lineBreaks(delta.content);
      if (finishReason && splitThink(this.content).open) this.closingText = text;
      this.content += text;
      const think = splitThink(this.content).think;
      if (think && think !== this.think) {
        this.think = think;
        progress = readProgress(think);
      }
    }
    if (finishReason) {
      if (finishReason === 'content_filter') this.policyReason ??= 'content_filter';
      if (finishReason === 'error') this.failedByGateway = true;
      this.finish();
    }
    return progress;
  }

  /** The answer is complete (`finish_reason` or `[DONE]`): a link, or a failure that says why. */
  finish(): ChatStreamOutcome {
    if (this.result) return this.result;
    const { think, answer: rawAnswer } = splitThink(this.content);
    const answer = cleanText(rawAnswer) || cleanText(this.closingText);
    const url = findVideoUrl(answer, true, this.baseUrl) ?? this.linkInThink(think);
    if (url) return (this.result = { kind: 'video', url });
    const failure = failureLine(`${think}\n${rawAnswer}\n${this.closingText}`);
    if (failure || (this.failedByGateway && answer)) {
      return (this.result = gatewayError(failure ?? answer));
    }
    if (answer && imageAnswer(answer)) {
      return (this.result = {
        kind: 'failed',
        code: 'UPSTREAM_NO_RESULT',
        message:
          'The video service answered with a picture instead of a video: this model makes videos ' +
          'only from an input image, which the platform does not send. Choose a text-to-video model.',
      });
    }
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
    const { think, answer } = splitThink(this.content);
    const url = findVideoUrl(cleanText(answer), false, this.baseUrl) ?? this.linkInThink(think);
    if (url) return (this.result = { kind: 'video', url });
    return (this.result = {
      kind: 'failed',
      code: 'UPSTREAM_STREAM_CUT',
      message: STREAM_CUT_MESSAGE,
    });
  }

  /**
   * grok2api v1 closes its `<think>` only at 100%: a video that came without that last progress
   * message lands inside the open block. Only a tag or a file link counts there, never bare text.
   */
  private linkInThink(think: string): string | null {
    return think ? findVideoUrl(cleanText(think), false, this.baseUrl) : null;
  }

  private readReasoning(text: string): ChunkProgress {
    // Kept across chunks, each one a message of its own: Modified_Sora2api ends its messages
    // without a line break (`[generation] (processing) 45% …`), the others with one.
    const separator = this.reasoning === '' || this.reasoning.endsWith('\n') ? '' : '\n';
    this.reasoning = (this.reasoning + separator + text).slice(-4000);
    if (CONTENT_POLICY_WORDS.test(text)) this.policyReason = policyReason(text);
    return readProgress(this.reasoning);
  }

  private failWithError(data: string): void {
    const said = readUpstreamError(data);
    this.result = gatewayError(said.text ?? data, said.codes);
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

/**
 * Some grok2api v1 builds (2025-11-20 to 2025-12-15) escape their line breaks once too often:
 * the text holds a backslash and an `n`, which would otherwise show in the stage.
 */
function lineBreaks(text: string): string {
  return text.replace(/\\r\\n|\\n|\\r/g, '\n');
}

/** The last percentage in the text (0..100) and its last line as the stage, in the upstream's words. */
export function readProgress(text: string): ChunkProgress {
  const lines = text.split(/\r\n|\r|\n/);
  let percent: number | null = null;
  for (let i = lines.length - 1; i >= 0 && percent === null; i--) {
    const matches = [...lines[i].matchAll(PERCENT)];
    if (matches.length === 0) continue;
    const value = Math.min(100, Number(matches[matches.length - 1][1]));
    percent = overall(value, ROUND.exec(lines[i]));
  }
  return { percent, stage: stageText(text) };
}

/** Round 2 of 2 at 40% is 70% of the whole video, never back to 0 when a round starts. */
function overall(percent: number, round: RegExpExecArray | null): number {
  if (!round) return percent;
  const [current, total] = [Number(round[1]), Number(round[2])];
  if (total < 1 || current < 1 || current > total) return percent;
  return Math.floor(((current - 1) * 100 + percent) / total);
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
 * Separates `<think>` blocks (grok-style progress) from the answer; an unclosed block runs to the
 * end (`open`): grok2api closes it only when progress reaches 100.
 */
export function splitThink(content: string): { think: string; answer: string; open: boolean } {
  let think = '';
  let open = false;
  const answer = content.replace(
    /<think>([\s\S]*?)(<\/think>|$)/g,
    (_whole, inner: string, close: string) => {
      think += `${inner}\n`;
      open = close === '';
      return '';
    },
  );
  return { think: think.trim(), answer, open };
}

/** The reason of the last `Error: …` / `处理错误: …` line, wherever the gateway put it. */
function failureLine(text: string): string | null {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = FAILURE_LINE.exec(lines[i]);
    if (match) return match[1];
  }
  return null;
}

/** An error the gateway reported in the stream, classified by its words and codes. */
function gatewayError(text: string, codes: readonly string[] = []): ChatStreamOutcome {
  const reason = clip(text, REASON_MAX_LENGTH);
  const known = failureFromWords(reason, codes);
  if (known) return { kind: 'failed', code: known.code, message: known.message };
  if (NO_VIDEO_ERROR.test(reason)) {
    return {
      kind: 'failed',
      code: 'UPSTREAM_NO_RESULT',
      message:
        `The video service returned no video (${reason}). It withholds the videos its provider ` +
        'moderates, so the prompt was probably refused; rephrasing it may help.',
    };
  }
  return {
    kind: 'failed',
    code: 'UPSTREAM_ERROR',
    message: `The video service reported an error: ${reason}`,
  };
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

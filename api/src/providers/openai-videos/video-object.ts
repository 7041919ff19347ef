import { Orientation } from '@vidgen/contracts';
import { IncomingHttpHeaders } from 'node:http';
import { retryAfterMs } from '../upstream/upstream-client';
import { failureFromWords } from '../upstream/upstream-errors';
import { ProviderError } from '../video-provider';

/** The fields of OpenAI's video object the adapter acts on; gateways add others. */
export interface VideoObject {
  id: string;
  /**
   * `queued`, `in_progress`, `completed`, `failed`; new-api's `unknown` (not yet synced) and
   * anything else count as still working.
   */
  status: string;
  /** 0..100 when the upstream says. */
  progress: number | null;
  error: { code: string | null; message: string | null } | null;
}

/** Polls hinted shorter than this are stretched: a hint of 0 must not become a busy loop. */
const MIN_POLL_MS = 100;
const MAX_POLL_MS = 60_000;

/** `size` by orientation: the sizes every sora-2 model makes. */
export function sizeFor(orientation: Orientation): string {
  return orientation === Orientation.Landscape ? '1280x720' : '720x1280';
}

/** Reads a video object from an answer's text, or fails saying the answer was not one. */
export function parseVideoObject(text: string): VideoObject {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidAnswer('an answer that is not JSON');
  }
  const object = (json ?? {}) as Record<string, unknown>;
  if (typeof object['id'] !== 'string' || object['id'] === '')
    throw invalidAnswer('a video job without an id');
  if (typeof object['status'] !== 'string') throw invalidAnswer('a video job without a status');
  const progress = Number(object['progress']);
  return {
    id: object['id'],
    status: object['status'],
    progress:
      object['progress'] === null || !Number.isFinite(progress)
        ? null
        : Math.min(100, Math.max(0, progress)),
    error: readError(object['error']),
  };
}

function readError(value: unknown): VideoObject['error'] {
  if (!value || typeof value !== 'object') return null;
  const { code, message } = value as Record<string, unknown>;
  return {
    code: typeof code === 'string' ? code : null,
    message: typeof message === 'string' ? message : null,
  };
}

function invalidAnswer(what: string): ProviderError {
  return new ProviderError(
    'UPSTREAM_INVALID_ANSWER',
    `The video service answered with ${what}; is VIDEO_API_BASE_URL an OpenAI-style video API?`,
  );
}

/**
 * How long to wait before the next poll: the upstream's `openai-poll-after-ms` or `retry-after`
 * when it sends one, else `fallbackMs`; always within sane bounds.
 */
export function pollDelayMs(headers: IncomingHttpHeaders, fallbackMs: number): number {
  const hinted = Number(headers['openai-poll-after-ms']);
  const delay =
    headers['openai-poll-after-ms'] !== undefined && Number.isFinite(hinted)
      ? hinted
      : (retryAfterMs(headers) ?? fallbackMs);
  return Math.round(Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, delay)));
}

/**
 * The gateways' own words for how a job ended that read as nothing to others, with what they
 * mean: go-sora2api's and new-api's timeouts, go-sora2api's lost draft.
 */
const GLOSSES: ReadonlyArray<readonly [RegExp, string]> = [
  [/轮询超时|任务超时/, 'the gateway gave up waiting for the generation'],
  [/在最近草稿中未找到任务/, 'the generation was not found among the account’s recent drafts'],
];

/**
 * The failure a `failed` video object stands for; the upstream's own words are kept. A refused
 * prompt is told by its code (OpenAI's `moderation_blocked`) or its words in any language
 * (go-sora2api's `内容违规`), like the other causes the words name.
 */
export function failureOf(video: VideoObject): ProviderError {
  const { code, message } = video.error ?? { code: null, message: null };
  const said = message?.trim() || (code ? `error code ${code}` : 'no reason given');
  if (code && /moderation|policy|safety/i.test(code)) {
    return new ProviderError(
      'CONTENT_POLICY',
      `The video service refused the prompt under its content policy: ${said}`,
    );
  }
  const named = message?.trim() ? failureFromWords(said, code ? [code] : []) : null;
  if (named) return named;
  const gloss = GLOSSES.find(([words]) => words.test(said))?.[1];
  return new ProviderError(
    'UPSTREAM_FAILED',
    `The video service could not make the video: ${said}${gloss ? ` (${gloss})` : ''}`,
  );
}

import { UpstreamStatusError } from '../upstream/upstream-errors';
import { ProviderError } from '../video-provider';

/** Words of an answer saying the body must be a form (grok2api v2 reads `Form(...)` fields only). */
const FORM_WORDS = /multipart|form[-_\s]?data|x-www-form-urlencoded/i;
/** FastAPI's words for a form field it did not find. */
const FIELD_MISSING = /field required|missing (?:form )?field/i;
/** go-sora2api reads orientation and length from the model name only (server/model/parser.go). */
const NO_ORIENTATION_IN_NAME = /模型名称中未找到方向/;
const NO_LENGTH_IN_NAME = /模型名称中未找到时长/;
/** Words of a refused length: OpenAI names the param, Modified_Sora2api and grok2api the field. */
const SECONDS_REFUSED = /param: seconds\b|invalid seconds|seconds must be/i;

/**
 * Whether a refused JSON create says the gateway reads form fields instead: a 415, words about
 * form data, or a field reported missing that was sent (the gateway never read the JSON). A
 * missing field that was not sent, or any other validation problem, is a real refusal.
 */
export function asksForForm(error: unknown, sentFields: readonly string[]): boolean {
  if (!(error instanceof UpstreamStatusError) || ![400, 415, 422].includes(error.status))
    return false;
  if (error.status === 415 || FORM_WORDS.test(error.message)) return true;
  return (
    FIELD_MISSING.test(error.message) &&
    sentFields.some((field) => new RegExp(`\\b${field}\\b`).test(error.message))
  );
}

/**
 * Whether a poll's refusal says the job no longer exists upstream: a 404, new-api's
 * `400 task_not_exist`, grok2api's `400 Video '<id>' not found` (its jobs live an hour).
 */
export function isGoneJob(error: unknown): error is UpstreamStatusError {
  if (!(error instanceof UpstreamStatusError)) return false;
  if (error.status === 404) return true;
  return (
    error.status === 400 &&
    (error.upstreamCodes.includes('task_not_exist') || /\bnot (?:found|exist)/i.test(error.message))
  );
}

/** What a poll that found the job gone ends the job with. */
export function jobLost(id: string, error: UpstreamStatusError): ProviderError {
  return new ProviderError(
    'UPSTREAM_JOB_LOST',
    `The video service no longer knows job ${id} (${statusDetail(error)}): it was lost or expired ` +
      'there before it finished, so there is no video to fetch. Try again to start a new one.',
  );
}

/** The settings a refused create points at, and what the job offered when it was refused. */
export interface CreateContext {
  model: string;
  durationOptions: readonly number[];
  /** How the refused request was sent, and its fields. */
  form: 'json' | 'multipart';
  sentFields: readonly string[];
}

/**
 * A refused create in words that name the setting to change, where the gateway's words tell
 * which; any other refusal as it was.
 */
export function explainCreateRefusal(error: unknown, context: CreateContext): unknown {
  if (!(error instanceof UpstreamStatusError)) return error;
  const said = statusDetail(error);
  if (NO_ORIENTATION_IN_NAME.test(error.message)) {
    return new ProviderError(
      error.code,
      `The video service reads the orientation from the model name and found none in "${context.model}" ` +
        `(${said}): set VIDEO_MODEL_TEMPLATE=sora-2-{orientation}-{duration}s (go-sora2api), or ` +
        'VIDEO_MODEL_PORTRAIT and VIDEO_MODEL_LANDSCAPE to names with "portrait" and "landscape" in them.',
    );
  }
  if (NO_LENGTH_IN_NAME.test(error.message)) {
    return new ProviderError(
      error.code,
      `The video service reads the length from the model name and found none it makes in "${context.model}" ` +
        `(${said}): put {duration} in VIDEO_MODEL_TEMPLATE (e.g. sora-2-{orientation}-{duration}s) ` +
        'and set VIDEO_SECONDS_OPTIONS to lengths it makes (go-sora2api: 10,15; 25 on paid accounts).',
    );
  }
  if (context.form === 'json' && asksForForm(error, context.sentFields)) {
    return new ProviderError(
      error.code,
      `${error.message} The gateway reads form fields, not JSON: set VIDEO_API_FORM=multipart (or auto).`,
    );
  }
  if (SECONDS_REFUSED.test(error.message)) {
    return new ProviderError(
      error.code,
      `${error.message} Set VIDEO_SECONDS_OPTIONS to the lengths the gateway makes ` +
        `(offered now: ${context.durationOptions.join(', ')}).`,
    );
  }
  return error;
}

/**
 * `HTTP 400: task_not_exist` from the refusal's sentence: the status and the gateway's words
 * (which may hold parentheses of their own), without the sentence around them.
 */
function statusDetail(error: UpstreamStatusError): string {
  const open = error.message.indexOf(`(HTTP ${error.status}`);
  let depth = 0;
  for (let i = open; open >= 0 && i < error.message.length; i++) {
    if (error.message[i] === '(') depth++;
    if (error.message[i] === ')' && --depth === 0) return error.message.slice(open + 1, i);
  }
  return `HTTP ${error.status}`;
}

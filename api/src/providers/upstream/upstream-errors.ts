import { ProviderError } from '../video-provider';
import {
  API_KEY_WORDS,
  CONTENT_POLICY_WORDS,
  LOCATION_WORDS,
  NO_ACCOUNT_WORDS,
  NO_CHANNEL_WORDS,
  QUOTA_WORDS,
  UNKNOWN_MODEL_WORDS,
} from './failure-words';
import { IdleTimeoutError, TransportError } from './http-transport';
import { UpstreamErrorBody } from './upstream-error-text';

/** Removes the API key from text that came back from a server, in case it echoes it. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join('[redacted]');
}

/** Why an upstream refused, as far as its status and words tell. */
type Refusal =
  | 'api-key'
  | 'quota'
  | 'location'
  | 'content-policy'
  | 'no-channel'
  | 'unknown-model'
  | 'no-account'
  | 'rate-limited'
  | 'unavailable'
  | 'forbidden'
  | 'redirect'
  | 'rejected';

/**
 * Checked in this order: a quota message can name the key ("令牌额度已用尽"), and new-api's
 * `model_not_found` is also the code of "no channel for this model".
 */
const WORD_RULES: ReadonlyArray<readonly [RegExp, Refusal]> = [
  [QUOTA_WORDS, 'quota'],
  [API_KEY_WORDS, 'api-key'],
  [LOCATION_WORDS, 'location'],
  [CONTENT_POLICY_WORDS, 'content-policy'],
  [NO_CHANNEL_WORDS, 'no-channel'],
  [UNKNOWN_MODEL_WORDS, 'unknown-model'],
  [NO_ACCOUNT_WORDS, 'no-account'],
];

/** Statuses worth another try when the words say nothing more (OpenAI's SDKs retry the same set). */
const RETRYABLE_STATUS = new Set([408, 409, 429]);

/**
 * The status a gateway's 5xx text says the real answer had: sora2api wraps its own 400 as
 * `400: Invalid model: …`, grok2api v1 its provider's as `请求失败: 403 - …`, new-api as
 * `status_code=400, …`.
 */
const EMBEDDED_STATUS = /(?:^|[\s:：(=])([1-5]\d\d)(?=\s*(?:[:：,\-–]|$))/;

const MODEL_SETTINGS =
  'the model settings (VIDEO_MODEL_PORTRAIT, VIDEO_MODEL_LANDSCAPE, VIDEO_MODEL_TEMPLATE or VIDEO_MODEL)';

function refusalByWords(said: UpstreamErrorBody): Refusal | null {
  const haystack = [said.text ?? '', ...said.codes].join('\n');
  return WORD_RULES.find(([words]) => words.test(haystack))?.[1] ?? null;
}

/**
 * What a non-2xx answer means. The words come before the status: a 403 may be a key, an empty
 * account or a blocked address, and a gateway's 500 may carry a client error that fails the same
 * way however often it is sent. Nothing a gateway said in words is retried: a lasting refusal
 * (key, credit, location, model) fails again at once, a prompt refusal is final, and a gateway
 * with no provider account free recovers on the scale of its accounts' cool-downs (minutes to
 * hours), far beyond a request's retries, which would only delay the honest answer.
 */
function refusalOf(status: number, said: UpstreamErrorBody): Refusal {
  if (status === 401) return 'api-key';
  if (status === 402) return 'quota';
  const byWords = refusalByWords(said);
  if (byWords) return byWords;
  const embedded = status >= 500 && said.text ? EMBEDDED_STATUS.exec(said.text) : null;
  const real = embedded ? Number(embedded[1]) : status;
  if (real === 401) return 'api-key';
  if (real === 403) return 'forbidden';
  if (real === 429) return 'rate-limited';
  if (real >= 500 || real === 408) return 'unavailable';
  if (status >= 300 && status < 400) return 'redirect';
  return 'rejected';
}

/** Whether sending the same request again may succeed: nothing was accepted, nothing was said. */
export function isRetryable(status: number, said: UpstreamErrorBody): boolean {
  const refusal = refusalOf(status, said);
  if (refusal === 'rate-limited' || refusal === 'unavailable') return true;
  return refusal === 'rejected' && RETRYABLE_STATUS.has(status);
}

/** A refusal by HTTP status: adapters that must tell a 404 from a 401 look at `status`. */
export class UpstreamStatusError extends ProviderError {
  constructor(
    readonly status: number,
    /** The machine codes of the answer (new-api's `task_not_exist`, OpenAI's `invalid_value`). */
    readonly upstreamCodes: readonly string[],
    code: string,
    message: string,
  ) {
    super(code, message);
  }
}

/** The error for an HTTP answer that is not a success and will not be retried. */
export function statusError(
  status: number,
  said: UpstreamErrorBody,
  attempts: number,
): UpstreamStatusError {
  const detail = said.text ? `HTTP ${status}: ${said.text}` : `HTTP ${status}`;
  const { code, message } = describe(refusalOf(status, said), detail, said.text, attempts);
  return new UpstreamStatusError(status, said.codes, code, message);
}

/**
 * The failure an upstream's words stand for when they arrive without an HTTP error (an error
 * chunk in a stream, a failed job), or null when they name no cause known here.
 */
export function failureFromWords(
  text: string,
  codes: readonly string[] = [],
): ProviderError | null {
  const refusal = refusalByWords({ text, codes });
  if (!refusal) return null;
  const { code, message } = describe(refusal, text, text, 1);
  return new ProviderError(code, message);
}

function describe(
  refusal: Refusal,
  detail: string,
  text: string | null,
  attempts: number,
): { code: string; message: string } {
  switch (refusal) {
    case 'api-key':
      return {
        code: 'UPSTREAM_AUTH',
        message: `The video service refused the API key (${detail}). Check VIDEO_API_KEY.`,
      };
    case 'quota':
      return {
        code: 'UPSTREAM_QUOTA',
        message: `The account on the video service has run out of credit (${detail}). Top it up there, or set VIDEO_API_KEY to a key with credit.`,
      };
    case 'location':
      return {
        code: 'UPSTREAM_LOCATION_BLOCKED',
        message:
          `The video service refuses requests from this location (${detail}): the IP address or region ` +
          'of this server, or of the gateway towards its own provider, is blocked. It must be reached from another network or region.',
      };
    case 'content-policy':
      return {
        code: 'CONTENT_POLICY',
        message: `The video service refused the prompt under its content policy: ${text ?? detail}`,
      };
    case 'no-channel':
      return {
        code: 'UPSTREAM_MODEL_NOT_OFFERED',
        message: `The video service has no channel serving this model (${detail}): its administrator must enable one, or ${MODEL_SETTINGS} must name a model it serves.`,
      };
    case 'unknown-model':
      return {
        code: 'UPSTREAM_MODEL_NOT_OFFERED',
        message: `The video service does not offer this model (${detail}). Set ${MODEL_SETTINGS} to a model it serves.`,
      };
    case 'no-account':
      return {
        code: 'UPSTREAM_NO_ACCOUNT',
        message: `The video service has no account free to make the video (${detail}): its accounts are busy, cooling down or used up. Try again later; if it keeps happening, the service needs more accounts.`,
      };
    case 'rate-limited':
      return {
        code: 'UPSTREAM_RATE_LIMITED',
        message: `The video service is busy and asked to try again later (${detail})${tries(attempts)}.`,
      };
    case 'unavailable':
      return {
        code: 'UPSTREAM_UNAVAILABLE',
        message: `The video service is unavailable (${detail})${tries(attempts)}.`,
      };
    case 'forbidden':
      return {
        code: 'UPSTREAM_FORBIDDEN',
        message: `The video service refused the request (${detail}).`,
      };
    case 'redirect':
      return {
        code: 'UPSTREAM_REJECTED',
        message: `The video service answered with a redirect (${detail}); set VIDEO_API_BASE_URL to its final address.`,
      };
    case 'rejected':
      return {
        code: 'UPSTREAM_REJECTED',
        message: `The video service rejected the request (${detail})${tries(attempts)}.`,
      };
  }
}

/** The error for a connection that failed before any answer, after the retries. */
export function networkError(
  error: TransportError,
  host: string,
  attempts: number,
  connectTimeoutMs: number,
): ProviderError {
  const reason =
    error.code === 'CONNECT_TIMEOUT'
      ? `no connection within ${seconds(connectTimeoutMs)}`
      : describeCode(error);
  return new ProviderError(
    'UPSTREAM_UNAVAILABLE',
    `Could not reach the video service at ${host} (${reason})${tries(attempts)}.`,
  );
}

export function idleError(error: IdleTimeoutError): ProviderError {
  return new ProviderError(
    'UPSTREAM_IDLE_TIMEOUT',
    `The video service sent nothing for ${seconds(error.idleTimeoutMs)}; the generation was stopped. ` +
      'It may be overloaded, or the connection was lost.',
  );
}

function describeCode(error: TransportError): string {
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host name not found',
    EAI_AGAIN: 'host name lookup failed',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
    EPIPE: 'connection closed',
  };
  return known[error.code] ?? error.code;
}

function tries(attempts: number): string {
  return attempts > 1 ? ` after ${attempts} attempts` : '';
}

/** `300 seconds`, `1 second`, `0.5 seconds`. */
export function seconds(ms: number): string {
  const value = ms / 1000;
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} second${value === 1 ? '' : 's'}`;
}

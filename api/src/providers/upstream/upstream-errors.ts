import { ProviderError } from '../video-provider';
import { IdleTimeoutError, TransportError } from './http-transport';

const MAX_UPSTREAM_TEXT = 500;

/**
 * The upstream's own explanation from an error body: FastAPI's `detail` (a string, or a list
 * of validation problems), OpenAI's `error.message`, a bare `message`, or short plain text.
 */
export function upstreamErrorText(body: string, contentType = ''): string | null {
  const text = body.trim();
  if (text === '') return null;
  try {
    const found = explanation(JSON.parse(text));
    if (found) return clip(found);
  } catch {
    // not JSON: plain text below
  }
  // An HTML error page (a proxy's 502) says nothing a person can act on.
  if (/html/i.test(contentType) || /^<(!doctype|html)/i.test(text)) return null;
  return clip(text);
}

function explanation(json: unknown): string | null {
  if (typeof json === 'string') return json;
  if (!json || typeof json !== 'object') return null;
  const { detail, error, message } = json as Record<string, unknown>;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    const problems = detail.map(validationProblem).filter((p): p is string => p !== null);
    if (problems.length > 0) return problems.join('; ');
  }
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const nested = (error as Record<string, unknown>)['message'];
    if (typeof nested === 'string') return nested;
  }
  return typeof message === 'string' ? message : null;
}

/** FastAPI's `{"loc": ["body", "messages"], "msg": "Field required"}` as `messages: Field required`. */
function validationProblem(item: unknown): string | null {
  if (!item || typeof item !== 'object') return null;
  const { loc, msg } = item as { loc?: unknown; msg?: unknown };
  if (typeof msg !== 'string') return null;
  const path = Array.isArray(loc) ? loc.filter((part) => part !== 'body').join('.') : '';
  return path ? `${path}: ${msg}` : msg;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_UPSTREAM_TEXT
    ? `${oneLine.slice(0, MAX_UPSTREAM_TEXT - 1)}…`
    : oneLine;
}

/** Removes the API key from text that came back from a server, in case it echoes it. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join('[redacted]');
}

function withText(status: number, text: string | null): string {
  return text ? `HTTP ${status}: ${text}` : `HTTP ${status}`;
}

/** A refusal by HTTP status: adapters that must tell a 404 from a 401 look at `status`. */
export class UpstreamStatusError extends ProviderError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, message);
  }
}

/** The error for an HTTP answer that is not a success and will not be retried. */
export function statusError(
  status: number,
  text: string | null,
  attempts: number,
): UpstreamStatusError {
  const { code, message } = describeStatus(status, withText(status, text), attempts);
  return new UpstreamStatusError(status, code, message);
}

function describeStatus(
  status: number,
  detail: string,
  attempts: number,
): { code: string; message: string } {
  if (status === 401 || status === 403) {
    return {
      code: 'UPSTREAM_AUTH',
      message: `The video service refused the API key (${detail}). Check VIDEO_API_KEY.`,
    };
  }
  if (status === 429) {
    return {
      code: 'UPSTREAM_RATE_LIMITED',
      message: `The video service is busy and asked to try again later (${detail})${tries(attempts)}.`,
    };
  }
  if (status >= 500 || status === 408) {
    return {
      code: 'UPSTREAM_UNAVAILABLE',
      message: `The video service is unavailable (${detail})${tries(attempts)}.`,
    };
  }
  if (status >= 300 && status < 400) {
    return {
      code: 'UPSTREAM_REJECTED',
      message: `The video service answered with a redirect (${detail}); set VIDEO_API_BASE_URL to its final address.`,
    };
  }
  return {
    code: 'UPSTREAM_REJECTED',
    message: `The video service rejected the request (${detail}).`,
  };
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

import { HttpErrorResponse } from '@angular/common/http';
import { ApiErrorBody, ErrorCode, FieldError } from '@vidgen/contracts';

/** What every failed API call rejects with, after the error interceptor has mapped it. */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    message: string,
    readonly code: ErrorCode | null = null,
    readonly details: readonly FieldError[] = [],
    readonly retryAfterSeconds: number | null = null,
    readonly requestId: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message to show a person, with the wait time when the API asked for one. */
  get displayMessage(): string {
    const seconds = this.retryAfterSeconds;
    if (seconds === null) return this.message;
    return `${this.message} Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;
  }
}

export const NETWORK_ERROR_MESSAGE = "Can't reach the server. Check your connection and try again.";

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (!(error instanceof HttpErrorResponse)) {
    return new ApiError(0, 'Something went wrong. Please try again.');
  }
  if (error.status === 0) return new ApiError(0, NETWORK_ERROR_MESSAGE);

  const retryAfter = parseRetryAfter(error.headers.get('Retry-After'));
  const body = error.error;
  if (isApiErrorBody(body)) {
    return new ApiError(
      error.status,
      body.message,
      body.code,
      body.details ?? [],
      retryAfter,
      body.requestId ?? null,
    );
  }
  // Bodies that are not the contract's come from something in front of the API (a proxy, a crash).
  return new ApiError(
    error.status,
    `Something went wrong (HTTP ${error.status}). Please try again.`,
    null,
    [],
    retryAfter,
  );
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Partial<ApiErrorBody>;
  return typeof candidate.message === 'string' && typeof candidate.code === 'string';
}

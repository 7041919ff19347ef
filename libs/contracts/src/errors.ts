/** Stable, machine-readable error codes: clients branch on these, never on messages. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedBody = 'MALFORMED_BODY',
  /** The HTTP request itself could not be read: its syntax, headers or address. */
  MalformedRequest = 'MALFORMED_REQUEST',
  Unauthenticated = 'UNAUTHENTICATED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  WrongPassword = 'WRONG_PASSWORD',
  CsrfTokenInvalid = 'CSRF_TOKEN_INVALID',
  /** The route is for a person signed in with their password; an API key cannot use it. */
  SessionRequired = 'SESSION_REQUIRED',
  NotFound = 'NOT_FOUND',
  EmailTaken = 'EMAIL_TAKEN',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  RateLimited = 'RATE_LIMITED',
  TooManyFailedLogins = 'TOO_MANY_FAILED_LOGINS',
  TooManyActiveJobs = 'TOO_MANY_ACTIVE_JOBS',
  /** The account already holds as many live streams (SSE) as it may at once. */
  TooManyStreams = 'TOO_MANY_STREAMS',
  /** The account already holds API_KEYS_PER_USER_MAX keys; one must be revoked first. */
  TooManyApiKeys = 'TOO_MANY_API_KEYS',
  InvalidState = 'INVALID_STATE',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  RangeNotSatisfiable = 'RANGE_NOT_SATISFIABLE',
  InternalError = 'INTERNAL_ERROR',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
}

export interface FieldError {
  field: string;
  message: string;
}

/** The body of every error response. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: ErrorCode;
  details?: FieldError[];
  requestId: string;
}

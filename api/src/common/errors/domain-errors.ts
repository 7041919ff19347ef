import { ErrorCode, FieldError } from '@vidgen/contracts';

/**
 * The errors services throw. Each carries its HTTP status and stable code, so services never
 * depend on HTTP and the exception filter needs no per-case knowledge.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: ErrorCode;
  readonly details?: FieldError[];
  /** Seconds the client should wait before trying again (sent as `Retry-After`). */
  readonly retryAfterSeconds?: number;
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly code = ErrorCode.ValidationFailed;

  constructor(
    override readonly details: FieldError[],
    message = details.map((d) => `${d.field}: ${d.message}`).join(' '),
  ) {
    super(message);
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

export class MalformedBodyError extends DomainError {
  readonly status = 400;
  readonly code = ErrorCode.MalformedBody;
}

/** The HTTP request itself cannot be served as sent: no Host header, an Expect it cannot meet. */
export class MalformedRequestError extends DomainError {
  readonly code = ErrorCode.MalformedRequest;

  constructor(
    readonly status: 400 | 417,
    message: string,
  ) {
    super(message);
  }
}

/** The answer to a request without valid credentials, when nothing more precise is known. */
export const LOG_IN_REQUIRED = 'You need to log in to do this.';

export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  readonly code = ErrorCode.Unauthenticated;

  constructor(message = LOG_IN_REQUIRED) {
    super(message);
  }
}

export class InvalidCredentialsError extends DomainError {
  readonly status = 401;
  readonly code = ErrorCode.InvalidCredentials;

  constructor() {
    super('Email or password is incorrect.');
  }
}

/** A password confirmation for a sensitive change did not match; not a reason to log out. */
export class WrongPasswordError extends DomainError {
  readonly status = 400;
  readonly code = ErrorCode.WrongPassword;
  override readonly details: FieldError[];

  constructor(field: string) {
    super('The password is incorrect.');
    this.details = [{ field, message: 'The password is incorrect.' }];
  }
}

export class CsrfTokenError extends DomainError {
  readonly status = 403;
  readonly code = ErrorCode.CsrfTokenInvalid;

  constructor() {
    super(
      'This request was sent with the session cookie but without a valid X-XSRF-TOKEN header. ' +
        'Reload the page, or authenticate with an Authorization: Bearer token.',
    );
  }
}

/**
 * The route is for the person, signed in with their password: API keys are for programs, and a
 * leaked key must not be able to make more keys, change the password or delete the account.
 */
export class SessionRequiredError extends DomainError {
  readonly status = 403;
  readonly code = ErrorCode.SessionRequired;

  constructor(message = 'API keys cannot do this; sign in with your password.') {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = ErrorCode.NotFound;
}

export class EmailTakenError extends DomainError {
  readonly status = 409;
  readonly code = ErrorCode.EmailTaken;
  override readonly details: FieldError[] = [
    { field: 'email', message: 'An account with this email already exists.' },
  ];

  constructor() {
    super('An account with this email already exists. Log in instead, or use another email.');
  }
}

export class TooManyFailedLoginsError extends DomainError {
  readonly status = 429;
  readonly code = ErrorCode.TooManyFailedLogins;

  constructor(override readonly retryAfterSeconds: number) {
    super(
      `Too many failed logins for this account. Try again in ${formatWait(retryAfterSeconds)}.`,
    );
  }
}

/** The action does not fit the thing's current state (cancelling a finished job, say). */
export class InvalidStateError extends DomainError {
  readonly status = 409;
  readonly code = ErrorCode.InvalidState;
}

export class IdempotencyKeyReusedError extends DomainError {
  readonly status = 409;
  readonly code = ErrorCode.IdempotencyKeyReused;

  constructor() {
    super(
      'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
    );
  }
}

export class TooManyActiveJobsError extends DomainError {
  readonly status = 429;
  readonly code = ErrorCode.TooManyActiveJobs;
  override readonly retryAfterSeconds = 30;

  constructor(limit: number) {
    super(
      `You already have ${limit} video${limit === 1 ? '' : 's'} in progress, the most at once. ` +
        'Wait for one to finish or cancel one, then try again.',
    );
  }
}

/**
 * The account already holds as many live streams as it may. The new stream is refused rather
 * than the oldest closed: an EventSource reconnects by itself, so two pages evicting each other
 * would take turns for ever, and each would believe it was live.
 */
export class TooManyStreamsError extends DomainError {
  readonly status = 429;
  readonly code = ErrorCode.TooManyStreams;
  // A place frees only when one of the person's pages closes: retrying sooner cannot help.
  override readonly retryAfterSeconds = 30;

  constructor(limit: number) {
    super(
      `This account already has ${limit} live update${limit === 1 ? '' : 's'} open, the most ` +
        'it may hold at once. Close this site in other tabs or windows, then try again.',
    );
  }
}

export class TooManyApiKeysError extends DomainError {
  readonly status = 409;
  readonly code = ErrorCode.TooManyApiKeys;

  constructor(limit: number) {
    super(
      `You already have ${limit} API keys, the most an account may hold. ` +
        'Revoke one you no longer use, then try again.',
    );
  }
}

/** This process holds as many live streams as it may (SSE_MAX_STREAMS); another may have room. */
export class StreamsUnavailableError extends DomainError {
  readonly status = 503;
  readonly code = ErrorCode.ServiceUnavailable;
  // Streams close all the time on a busy process, and a load balancer may pick another one.
  override readonly retryAfterSeconds = 10;

  constructor() {
    super(
      'The server is already sending as many live updates as it can. Try again in a few seconds.',
    );
  }
}

export class RangeNotSatisfiableError extends DomainError {
  readonly status = 416;
  readonly code = ErrorCode.RangeNotSatisfiable;

  constructor(readonly size: number) {
    super(`The requested range is outside the file (${size} bytes).`);
  }
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { ErrorCode } from '@vidgen/contracts';
import { errorBody } from '../../../testing/providers';
import { ApiError, NETWORK_ERROR_MESSAGE, parseRetryAfter, toApiError } from './api-error';

describe('toApiError', () => {
  it('keeps the contract fields of an error body', () => {
    const error = toApiError(
      new HttpErrorResponse({
        status: 400,
        error: errorBody(400, ErrorCode.ValidationFailed, 'Check the form.', [
          { field: 'email', message: 'email must be an email' },
        ]),
      }),
    );

    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe(ErrorCode.ValidationFailed);
    expect(error.message).toBe('Check the form.');
    expect(error.details).toEqual([{ field: 'email', message: 'email must be an email' }]);
    expect(error.requestId).toBe('req-test');
  });

  it('mentions the wait from Retry-After', () => {
    const error = toApiError(
      new HttpErrorResponse({
        status: 429,
        headers: new HttpHeaders({ 'Retry-After': '30' }),
        error: errorBody(429, ErrorCode.TooManyFailedLogins, 'Too many failed logins.'),
      }),
    );

    expect(error.retryAfterSeconds).toBe(30);
    expect(error.displayMessage).toBe('Too many failed logins. Try again in 30 seconds.');
  });

  it('explains an unreachable server', () => {
    const error = toApiError(new HttpErrorResponse({ status: 0, statusText: 'Unknown Error' }));

    expect(error.displayMessage).toBe(NETWORK_ERROR_MESSAGE);
  });

  it('does not show a body that is not the contract (a proxy page, say)', () => {
    const error = toApiError(
      new HttpErrorResponse({ status: 502, error: '<html>Bad gateway</html>' }),
    );

    expect(error.code).toBeNull();
    expect(error.displayMessage).toBe('Something went wrong (HTTP 502). Please try again.');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('says "1 second", not "1 seconds"', () => {
    expect(new ApiError(429, 'Slow down.', null, [], 1).displayMessage).toBe(
      'Slow down. Try again in 1 second.',
    );
  });
});

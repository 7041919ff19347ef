import { ErrorCode } from '@vidgen/contracts';
import { LOG_IN_REQUIRED } from './domain-errors';
import {
  errorBodyFor,
  isOpenAiPath,
  OPENAI_KEY_REQUIRED,
  openAiErrorBody,
  openAiErrorType,
} from './openai-error-body';

const validation = {
  statusCode: 400,
  error: 'Bad Request',
  message: "size: size must be '720x1280' (portrait) or '1280x720' (landscape).",
  code: ErrorCode.ValidationFailed,
  details: [{ field: 'size', message: "size must be '720x1280' (portrait) or '1280x720'." }],
  requestId: 'r-1',
};

describe('isOpenAiPath', () => {
  it.each([
    ['/v1/videos', true],
    ['/v1', true],
    ['/v1?x=1', true],
    ['/v1/nothing/here', true],
    ['/v10/videos', false],
    ['/api/videos', false],
    ['/api/v1/videos', false],
  ])('%s: %s', (url, expected) => {
    expect(isOpenAiPath(url)).toBe(expected);
  });
});

describe('errorBodyFor', () => {
  it("keeps the platform's own body off /v1", () => {
    expect(errorBodyFor('/api/videos', validation)).toBe(validation);
  });

  it("answers /v1 in OpenAI's shape, naming the field to fix as param", () => {
    expect(errorBodyFor('/v1/videos', validation)).toEqual({
      error: {
        message: validation.message,
        type: 'invalid_request_error',
        param: 'size',
        code: 'validation_failed',
      },
    });
  });
});

describe('openAiErrorBody', () => {
  it('has no param when no field is to blame', () => {
    const notFound = {
      ...validation,
      statusCode: 404,
      code: ErrorCode.NotFound,
      details: undefined,
    };
    expect(openAiErrorBody(notFound).error).toMatchObject({ param: null, code: 'not_found' });
  });

  it('tells a caller without credentials to send an API key, not to log in', () => {
    const body = {
      statusCode: 401,
      error: 'Unauthorized',
      message: LOG_IN_REQUIRED,
      code: ErrorCode.Unauthenticated,
      requestId: 'r-2',
    };
    expect(openAiErrorBody(body).error.message).toBe(OPENAI_KEY_REQUIRED);
    const badKey = {
      ...body,
      message: 'This API key is not valid: it is wrong, revoked or expired.',
    };
    expect(openAiErrorBody(badKey).error.message).toBe(badKey.message);
  });
});

describe('openAiErrorType', () => {
  it.each([
    [400, 'invalid_request_error'],
    [404, 'invalid_request_error'],
    [413, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [429, 'rate_limit_error'],
    [500, 'server_error'],
    [503, 'server_error'],
  ])('%d: %s', (status, expected) => {
    expect(openAiErrorType(status)).toBe(expected);
  });
});

import { ApiErrorBody, ErrorCode } from '@vidgen/contracts';
import { STATUS_CODES } from 'node:http';
import { Response } from 'supertest';
import type { OpenAiErrorBody } from '../../src/common/errors/openai-error-body';

/**
 * Asserts the contract's error body, exactly: status, code, a message, the request id of the
 * X-Request-Id header, and `details` naming exactly `fields` (absent when no fields are given).
 * Nothing else may be in the body, so a stack trace or an internal field fails the test.
 */
export function expectApiError(
  response: Response,
  status: number,
  code: ErrorCode,
  fields?: string[],
): ApiErrorBody {
  const body = response.body as ApiErrorBody;
  // Status and code first, with the whole body in the failure message.
  expect({ status: response.status, body }).toMatchObject({ status, body: { code } });
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(body).toEqual({
    statusCode: status,
    error: STATUS_CODES[status],
    message: expect.stringMatching(/\S/),
    code,
    requestId: response.headers['x-request-id'],
    ...(fields ? { details: expect.any(Array) } : {}),
  });
  expect(body.requestId).toMatch(/\S/);
  if (fields) {
    expect(body.details).toEqual(
      fields.map((field) => ({ field, message: expect.stringMatching(/\S/) })),
    );
  }
  return body;
}

/** Asserts a 400 VALIDATION_FAILED whose details name exactly these fields. */
export function expectValidationError(response: Response, ...fields: string[]): ApiErrorBody {
  return expectApiError(response, 400, ErrorCode.ValidationFailed, fields);
}

/**
 * Asserts OpenAI's error body of the /v1 routes, exactly: `{error: {message, type, param, code}}`
 * with the platform's code lower-cased and `param` naming the field to fix (null for none).
 */
export function expectOpenAiError(
  response: Response,
  status: number,
  code: ErrorCode,
  param: string | null = null,
): OpenAiErrorBody['error'] {
  const body = response.body as OpenAiErrorBody;
  expect({ status: response.status, body }).toMatchObject({
    status,
    body: { error: { code: code.toLowerCase() } },
  });
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(body).toEqual({
    error: {
      message: expect.stringMatching(/\S/),
      type: expect.stringMatching(/^[a-z_]+$/),
      param,
      code: code.toLowerCase(),
    },
  });
  return body.error;
}

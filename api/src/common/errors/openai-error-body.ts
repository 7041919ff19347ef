import { ApiErrorBody, ErrorCode, OPENAI_PREFIX } from '@vidgen/contracts';
import { LOG_IN_REQUIRED } from './domain-errors';

/** OpenAI's error body: what its client libraries read (`error.param`, `error.code`, ...). */
export interface OpenAiErrorBody {
  error: {
    message: string;
    type: string;
    /** The request field to fix, when one is to blame. */
    param: string | null;
    /** The platform's stable error code, lower-cased as OpenAI writes codes. */
    code: string;
  };
}

const OPENAI_PATH = new RegExp(`^/${OPENAI_PREFIX}(?:[/?#]|$)`);

/** Said on /v1 instead of "log in": its callers are programs, which send a key. */
export const OPENAI_KEY_REQUIRED =
  'No valid API key was sent. Send one as `Authorization: Bearer vg_...`; keys are made on the ' +
  'Profile page or with POST /api/api-keys.';

/** Whether the request is one of the OpenAI-compatible API's, whose clients read OpenAI's errors. */
export function isOpenAiPath(url: string): boolean {
  return OPENAI_PATH.test(url);
}

/**
 * An error body as the caller's client reads it: the platform's own everywhere, OpenAI's on /v1
 * (unknown /v1 paths included), so that the `openai` package raises its own error classes.
 */
export function errorBodyFor(url: string, body: ApiErrorBody): ApiErrorBody | OpenAiErrorBody {
  return isOpenAiPath(url) ? openAiErrorBody(body) : body;
}

export function openAiErrorBody(body: ApiErrorBody): OpenAiErrorBody {
  const loginAsked = body.code === ErrorCode.Unauthenticated && body.message === LOG_IN_REQUIRED;
  return {
    error: {
      message: loginAsked ? OPENAI_KEY_REQUIRED : body.message,
      type: openAiErrorType(body.statusCode),
      param: body.details?.[0]?.field ?? null,
      code: body.code.toLowerCase(),
    },
  };
}

/** OpenAI's error types, by status. */
export function openAiErrorType(status: number): string {
  if (status >= 500) return 'server_error';
  switch (status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 429:
      return 'rate_limit_error';
    default:
      return 'invalid_request_error';
  }
}

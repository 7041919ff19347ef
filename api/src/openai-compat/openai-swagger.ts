import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiExtraModels,
  ApiProperty,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { API_KEY_SCHEME, COOKIE_SCHEME } from '../auth/auth.decorators';
import { OpenAiErrorBody } from '../common/errors/openai-error-body';

/** The Swagger tag of every /v1 route. */
export const OPENAI_TAG = 'openai-compatible';

class OpenAiErrorDetailView {
  @ApiProperty({ example: "size: size must be '720x1280' (portrait) or '1280x720' (landscape)." })
  message!: string;

  @ApiProperty({
    example: 'invalid_request_error',
    description:
      '`invalid_request_error` (400, 404, 409, 413, 415, 416), `authentication_error` (401), `permission_error` (403), `rate_limit_error` (429) or `server_error` (5xx).',
  })
  type!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'size',
    description: 'The request field to fix, when one is to blame.',
  })
  param!: string | null;

  @ApiProperty({
    example: 'validation_failed',
    description: "The platform's stable error code (see ErrorCode), lower-cased.",
  })
  code!: string;
}

/** Every error of /v1, in OpenAI's shape, which its client libraries turn into error classes. */
export class OpenAiErrorView implements OpenAiErrorBody {
  @ApiProperty({ type: OpenAiErrorDetailView }) error!: OpenAiErrorDetailView;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: `param` names the field to fix. Also a body that cannot be read.',
  401: 'No valid API key (or session) was sent.',
  403: 'A cookie-authenticated write without a valid X-XSRF-TOKEN header.',
  404: 'Not found, or not yours.',
  413: 'Request body too large.',
  415: 'The request body is neither application/json nor multipart/form-data.',
  416: 'The Range is outside the file; Content-Range gives its size.',
  429: 'Too many videos in progress at once; see the Retry-After header.',
};

/** Documents the error answers of a /v1 route, all in OpenAI's error shape. */
export function OpenAiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(OpenAiErrorView),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        content: { 'application/json': { schema: { $ref: getSchemaPath(OpenAiErrorView) } } },
      }),
    ),
  );
}

/**
 * The answers of the body parser (400, 413, 415), which Fastify reads on every POST and DELETE:
 * documented on each /v1 route that takes those methods, so that the document's global rules
 * (documentGlobalRules) find them already there, in OpenAI's shape.
 */
export const OpenAiBodyErrors = () => OpenAiErrors(400, 413, 415);

/** A /v1 route: for API keys first, as OpenAI's clients send them; sessions work too. */
export const OpenAiAuthenticated = () =>
  applyDecorators(
    ApiBearerAuth(API_KEY_SCHEME),
    ApiBearerAuth(),
    ApiCookieAuth(COOKIE_SCHEME),
    OpenAiErrors(401, 403),
  );

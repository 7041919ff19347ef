import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ApiErrorBody, ErrorCode, FieldError } from '@vidgen/contracts';

class FieldErrorView implements FieldError {
  @ApiProperty({ example: 'email' })
  field!: string;

  @ApiProperty({ example: 'email must be a valid email address.' })
  message!: string;
}

export class ApiErrorView implements ApiErrorBody {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: 'email: email must be a valid email address.' })
  message!: string;

  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode' })
  code!: ErrorCode;

  @ApiProperty({ type: [FieldErrorView], required: false })
  details?: FieldErrorView[];

  @ApiProperty({ example: '6f1c2a3e-4b5d-4e6f-8a9b-0c1d2e3f4a5b' })
  requestId!: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `details` names each field to fix.',
  401: 'Not logged in, or the session has ended.',
  403: 'Cookie-authenticated write without a valid X-XSRF-TOKEN header.',
  404: 'Not found, or not yours.',
  409: 'Conflicts with existing data.',
  413: 'Request body too large.',
  415: 'The request body is not application/json.',
  416: 'The Range is outside the file; Content-Range gives its size.',
  429: 'Too many requests; see the Retry-After header.',
};

/**
 * Documents the error responses a route can give, all with the contract's error body. Always
 * JSON, also on routes that `@ApiProduces` something else (a video, a stream).
 */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ApiErrorView),
    ...statuses.map((status) => ApiResponse({ status, ...errorResponse(status) })),
  );
}

/** The OpenAPI response object of an error status: its description and the error body. */
export function errorResponse(status: number, description = DESCRIPTIONS[status]) {
  return {
    description,
    content: { 'application/json': { schema: { $ref: getSchemaPath(ApiErrorView) } } },
  };
}

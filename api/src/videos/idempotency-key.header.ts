import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ValidationError } from '../common/errors/domain-errors';

const PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * The optional `Idempotency-Key` header: 1 to 255 visible ASCII characters, or a 400 naming it.
 * A decorator of its own because `@Headers('idempotency-key')` also lands in the OpenAPI
 * document, as a second header that is required; this one documents the header once.
 */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined => {
    const key = context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || !PATTERN.test(key))) {
      throw ValidationError.field(
        'Idempotency-Key',
        'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      );
    }
    return key;
  },
  [
    (target: object, method: string | symbol | undefined) => {
      const descriptor = method && Object.getOwnPropertyDescriptor(target, method);
      if (!method || !descriptor) return;
      ApiHeader({
        name: 'Idempotency-Key',
        required: false,
        description: 'Replays the first answer for the same key and body.',
        schema: { type: 'string', minLength: 1, maxLength: 255, pattern: PATTERN.source },
      })(target, method, descriptor);
    },
  ],
);

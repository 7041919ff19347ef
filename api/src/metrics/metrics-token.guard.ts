import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config';

/** With METRICS_TOKEN set, lets through only `Authorization: Bearer <METRICS_TOKEN>`. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(config: AppConfig) {
    if (config.metrics.token) this.expected = digest(config.metrics.token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const given = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1] ?? '';
    // Digests of equal length, compared in constant time: the answer's timing tells nothing of
    // how much of a guess was right, nor of the token's length.
    if (!timingSafeEqual(digest(given), this.expected)) {
      throw new UnauthenticatedError(
        'The metrics need the metrics token: send Authorization: Bearer <METRICS_TOKEN>.',
      );
    }
    return true;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

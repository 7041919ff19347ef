import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckStatus, HealthResponse, HealthStatus } from '@vidgen/contracts';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { HealthService } from './health.service';

class HealthView implements HealthResponse {
  @ApiProperty({
    enum: ['ok', 'degraded', 'error'],
    description:
      '`degraded`: reads and open streams work, but new videos cannot be queued right now (Redis is away).',
  })
  status!: HealthStatus;

  @ApiProperty({
    example: { database: 'ok', storage: 'ok', queue: 'ok', events: 'ok' },
    additionalProperties: { type: 'string', enum: ['ok', 'error'] },
  })
  checks!: Record<string, HealthCheckStatus>;
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Liveness and dependency checks, for load balancers. No authentication.',
  })
  @ApiResponse({
    status: 200,
    type: HealthView,
    description: 'Every check passed, or only the queue and events did not (degraded).',
  })
  @ApiResponse({
    status: 503,
    type: HealthView,
    description: 'The database or the storage is away.',
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthView> {
    const result = await this.health.check();
    reply.status(result.status === 'error' ? 503 : 200);
    return result;
  }
}

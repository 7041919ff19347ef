import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckStatus, HealthResponse } from '@vidgen/contracts';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { HealthService } from './health.service';

class HealthView implements HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'] })
  status!: 'ok' | 'error';

  @ApiProperty({
    example: { database: 'ok', queue: 'ok', storage: 'ok' },
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
  @ApiResponse({ status: 200, type: HealthView, description: 'Every check passed.' })
  @ApiResponse({ status: 503, type: HealthView, description: 'A check failed.' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthView> {
    const result = await this.health.check();
    reply.status(result.status === 'ok' ? 200 : 503);
    return result;
  }
}

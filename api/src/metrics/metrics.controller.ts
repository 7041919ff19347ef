import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { Public } from '../auth/auth.decorators';
import { ApiErrorView, errorResponse } from '../common/swagger/api-error.view';
import { MetricsTokenGuard } from './metrics-token.guard';
import { PrometheusMetrics } from './prometheus-metrics';

/** Only in the app when METRICS_ENABLED=true; otherwise the path is unknown (404). */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: PrometheusMetrics) {}

  @Get()
  // No session: Prometheus scrapes it, with METRICS_TOKEN when one is set.
  @Public()
  @UseGuards(MetricsTokenGuard)
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Metrics in the Prometheus text format (only with METRICS_ENABLED=true).',
    description:
      'Jobs by state, queue depth, job durations per provider, open event streams, HTTP ' +
      'latency per route and the process metrics. With METRICS_TOKEN set, send ' +
      '`Authorization: Bearer <METRICS_TOKEN>`.',
  })
  @ApiProduces('text/plain')
  @ApiExtraModels(ApiErrorView)
  @ApiResponse({
    status: 200,
    description: 'The metrics (text/plain; version=0.0.4).',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiResponse({
    status: 401,
    ...errorResponse(
      401,
      'METRICS_TOKEN is set and the request did not send it as a Bearer token.',
    ),
  })
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

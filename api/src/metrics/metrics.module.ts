import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobsModule } from '../jobs/jobs.module';
import { HttpLatency } from './http-latency';
import { JobGauges } from './job-gauges';
import { Metrics, NoMetrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { MetricsTokenGuard } from './metrics-token.guard';
import { PrometheusMetrics } from './prometheus-metrics';

/**
 * Provides the `Metrics` port everywhere. With METRICS_ENABLED=true it keeps them in Prometheus
 * instruments and serves them at GET /api/metrics; otherwise it discards them and the route does
 * not exist.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.metrics.enabled) {
      return {
        module: MetricsModule,
        providers: [{ provide: Metrics, useClass: NoMetrics }],
        exports: [Metrics],
      };
    }
    return {
      module: MetricsModule,
      imports: [JobsModule],
      controllers: [MetricsController],
      providers: [
        PrometheusMetrics,
        { provide: Metrics, useExisting: PrometheusMetrics },
        MetricsTokenGuard,
        JobGauges,
        HttpLatency,
      ],
      exports: [Metrics],
    };
  }
}

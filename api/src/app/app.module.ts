import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuthModule } from '../auth/auth.module';
import { ApiExceptionFilter } from '../common/http/api-exception.filter';
import { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { HealthModule } from '../health/health.module';
import { JobWorkerModule } from '../jobs/job-worker.module';
import { JobsHttpModule } from '../jobs/jobs-http.module';
import { McpModule } from '../mcp/mcp.module';
import { MetricsModule } from '../metrics/metrics.module';
import { OpenAiCompatModule } from '../openai-compat/openai-compat.module';
import { ProvidersHttpModule } from '../providers/providers-http.module';
import { RedisModule } from '../redis/redis.module';
import { StorageModule } from '../storage/storage.module';
import { UsersModule } from '../users/users.module';
import { VideosModule } from '../videos/videos.module';
import { WebhookDeliveryModule } from '../webhooks/webhook-delivery.module';
import { WebhooksHttpModule } from '../webhooks/webhooks-http.module';

/**
 * The whole application for one role (APP_ROLE): `api` serves the routes, streams and web app,
 * `worker` runs jobs and sends webhooks, and answers only health and metrics; `all` does both.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const serves = config.role !== 'worker';
    const runsJobs = config.role !== 'api';
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // Global: the jobs report to its Metrics port, which discards all unless METRICS_ENABLED.
        MetricsModule.forRoot(config),
        RedisModule.forRoot(config),
        DatabaseModule,
        StorageModule,
        HealthModule,
        ...(serves
          ? [
              UsersModule,
              AuthModule,
              ApiKeysModule,
              VideosModule,
              JobsHttpModule,
              ProvidersHttpModule,
              OpenAiCompatModule,
              McpModule,
              WebhooksHttpModule,
            ]
          : []),
        ...(runsJobs ? [JobWorkerModule, WebhookDeliveryModule] : []),
      ],
      providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }],
    };
  }
}

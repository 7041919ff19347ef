import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { LoginFailureEntity } from '../auth/login-failure.entity';
import { SessionEntity } from '../auth/session.entity';
import { AppConfig } from '../config/app-config';
import { openMigrated } from './migrate-once';
import { TypeOrmLogger } from './typeorm-logger';
import { UserEntity } from '../users/user.entity';
import { CreateAccounts1764086400000 } from './migrations/1764086400000-create-accounts';
import { CreateVideos1764172800000 } from './migrations/1764172800000-create-videos';
import { AddUpstreamJobId1764259200000 } from './migrations/1764259200000-add-upstream-job-id';
import { AddCredentialVersion1764345600000 } from './migrations/1764345600000-add-credential-version';
import { BigintSizesAndExactKeys1764432000000 } from './migrations/1764432000000-bigint-sizes-and-exact-keys';
import { AddRequestedShape1764518400000 } from './migrations/1764518400000-add-requested-shape';
import { AddJobLeases1764604800000 } from './migrations/1764604800000-add-job-leases';
import { CreateApiKeys1764691200000 } from './migrations/1764691200000-create-api-keys';
import { AddRemixedFrom1764777600000 } from './migrations/1764777600000-add-remixed-from';
import { CreateWebhooks1764864000000 } from './migrations/1764864000000-create-webhooks';
import { VideoJobEntity } from '../jobs/video-job.entity';
import { IdempotencyKeyEntity } from '../videos/idempotency-key.entity';
import { VideoEntity } from '../videos/video.entity';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity';
import { WebhookEntity } from '../webhooks/webhook.entity';

/** Listed as classes, not globs: the API is bundled, so there are no files to glob at run time. */
export const ENTITIES = [
  UserEntity,
  SessionEntity,
  LoginFailureEntity,
  VideoEntity,
  VideoJobEntity,
  IdempotencyKeyEntity,
  ApiKeyEntity,
  WebhookEntity,
  WebhookDeliveryEntity,
];
export const MIGRATIONS = [
  CreateAccounts1764086400000,
  CreateVideos1764172800000,
  AddUpstreamJobId1764259200000,
  AddCredentialVersion1764345600000,
  BigintSizesAndExactKeys1764432000000,
  AddRequestedShape1764518400000,
  AddJobLeases1764604800000,
  CreateApiKeys1764691200000,
  AddRemixedFrom1764777600000,
  CreateWebhooks1764864000000,
];

export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    // Run by openMigrated, under a lock: several processes may start on one database at once.
    migrationsRun: false,
    synchronize: false,
    logger: new TypeOrmLogger(),
    maxQueryExecutionTime: 1000,
  };
  if (config.database.type === 'sqlite') {
    mkdirSync(dirname(config.database.file), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      // The driver is passed in because TypeORM's dynamic require is invisible to the bundler.
      driver: require('better-sqlite3'),
      database: config.database.file,
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('foreign_keys = ON');
        db.pragma('busy_timeout = 5000');
      },
    };
  }
  return {
    ...common,
    type: 'mysql',
    driver: require('mysql2'),
    connectorPackage: 'mysql2' as const,
    url: config.database.url,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
  };
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: dataSourceOptions,
      // The schema is up to date before any module gets the data source.
      dataSourceFactory: (options) => openMigrated(options as DataSourceOptions),
    }),
  ],
})
export class DatabaseModule {}

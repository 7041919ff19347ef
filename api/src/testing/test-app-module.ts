import { Test, TestingModule } from '@nestjs/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthModule } from '../auth/auth.module';
import { loadConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { MetricsModule } from '../metrics/metrics.module';
import { StorageModule } from '../storage/storage.module';
import { UsersModule } from '../users/users.module';

/**
 * The application's modules (without HTTP) on a real, freshly migrated SQLite file in a temporary folder: service
 * tests run against the database they use in production, not a mock of it.
 */
export async function createTestingAppModule(
  env: Record<string, string> = {},
): Promise<TestingModule> {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'vidgen-unit-')),
    FAST_PASSWORD_HASHING: 'true',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      MetricsModule.forRoot(config),
      DatabaseModule,
      StorageModule,
      UsersModule,
      AuthModule,
    ],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

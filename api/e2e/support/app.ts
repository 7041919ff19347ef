import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app/create-app';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createTestDatabase, TestDatabase } from './database';

export interface TestApp {
  app: NestFastifyApplication;
  /** Base URL of the listening app, e.g. http://127.0.0.1:41234 */
  url: string;
  config: AppConfig;
  db: TestDatabase;
  close(): Promise<void>;
}

/**
 * Starts the whole app, as main.ts does, on a fresh data folder and database, listening on a free
 * port. Call once per test file (beforeAll); `overrides` are settings as they would appear in the
 * environment, e.g. { LOGIN_MAX_FAILURES: '3' }.
 */
export async function startApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vidgen-e2e-'));
  const db = await createTestDatabase(dataDir);
  let app: NestFastifyApplication | undefined;
  const cleanUp = async () => {
    await app?.close();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const config = loadConfig(
      {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        FAST_PASSWORD_HASHING: 'true',
        // Every request comes from 127.0.0.1, so a file registering many users would trip the
        // per-IP limit; the rate-limit tests lower it again on apps of their own.
        AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
        // No web build: unknown paths answer 404 instead of the web app's index.html.
        WEB_DIR: join(dataDir, 'no-web-build'),
        ...db.env,
        ...overrides,
      },
      dataDir,
    );
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return { app, url: `http://127.0.0.1:${port}`, config, db, close: cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

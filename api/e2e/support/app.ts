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
  /**
   * Stops the app as a process exit would (Nest's shutdown hooks run), keeping its data folder
   * and database for a restart: see `restartOf` of startApp. Safe to call more than once.
   */
  stop(): Promise<void>;
  /** Stops the app and removes its data folder and database. Safe to call more than once. */
  close(): Promise<void>;
}

export interface StartAppOptions {
  /** An app stopped earlier whose data folder and database this one starts on: a restart. */
  restartOf?: TestApp;
  /**
   * Changes the configuration read from the settings, for what is no setting but a suite needs
   * shorter (the webhook retry schedule and timeout, say).
   */
  configure?: (config: AppConfig) => AppConfig;
}

/**
 * Starts the whole app, as main.ts does, on a fresh data folder and database, listening on a free
 * port. Call once per test file (beforeAll); `overrides` are settings as they would appear in the
 * environment, e.g. { LOGIN_MAX_FAILURES: '3' }.
 */
export async function startApp(
  overrides: Record<string, string> = {},
  options: StartAppOptions = {},
): Promise<TestApp> {
  const previous = options.restartOf;
  const dataDir = previous ? previous.config.dataDir : await mkdtemp(join(tmpdir(), 'vidgen-e2e-'));
  const db = previous ? previous.db : await createTestDatabase(dataDir);
  let app: NestFastifyApplication | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= app ? app.close() : Promise.resolve());
  const cleanUp = async () => {
    await stop();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const loaded = loadConfig(
      {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        FAST_PASSWORD_HASHING: 'true',
        // Every request comes from 127.0.0.1, so a file registering many users would trip the
        // per-IP limit; the rate-limit tests lower it again on apps of their own.
        AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
        // No web build: unknown paths answer 404 instead of the web app's index.html.
        WEB_DIR: join(dataDir, 'no-web-build'),
        // Suites stop apps with jobs still running: waiting for those would only slow them down
        // (the grace period has tests of its own).
        JOB_SHUTDOWN_GRACE_SECONDS: '0',
        ...db.env,
        ...overrides,
      },
      dataDir,
    );
    const config = options.configure ? options.configure(loaded) : loaded;
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return { app, url: `http://127.0.0.1:${port}`, config, db, stop, close: cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

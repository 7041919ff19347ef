import { defineConfig, devices } from '@playwright/test';
import * as path from 'node:path';
import {
  CHAT_STREAM_APP_PORT,
  GATEWAY_PORT,
  GATEWAY_URL,
  LOCAL_APP_PORT,
  LOCAL_APP_URL,
} from './src/support/servers';

// The suite drives the production build (dist/, made by the e2e target's dependencies api:build and
// web:build) through the one process that `npm start` runs, on its own port and an empty data folder,
// so it never touches a developer's server or database. A second such app generates through the
// `chat-stream` provider against the repository's fake upstream gateway (chat-stream.spec.ts).
const workspaceRoot = path.resolve(__dirname, '..');
const tmpDir = path.join(workspaceRoot, 'tmp', 'web-e2e');

// The fake gateway's progress chunks, this far apart: long enough for each upstream stage to be
// seen on the page, short enough that a generation takes about four seconds.
const GATEWAY_PROGRESS_MS = 1_000;
const GATEWAY_KEY = 'web-e2e-gateway-key';

// Debian's Chromium; Playwright's own browser downloads are not reachable here (never run
// `playwright install`).
const executablePath = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';

// tools/test.mjs sums these summaries into its "tests: N passed, M failed" line.
const resultsDir = path.join(
  workspaceRoot,
  'tmp',
  'test-results',
  process.env['NX_TASK_TARGET_PROJECT'] ?? 'web-e2e',
  process.env['NX_TASK_TARGET_TARGET'] ?? 'e2e',
);
const summaryFile = path.join(
  resultsDir,
  `${process.env['TEST_RUN_ID'] ?? 'manual'}.playwright.json`,
);

export default defineConfig({
  testDir: './src',
  globalSetup: './src/support/global-setup.ts',
  outputDir: './test-output/results',
  fullyParallel: true,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    ['json', { outputFile: summaryFile }],
    ['html', { outputFolder: './test-output/report', open: 'never' }],
  ],
  use: {
    baseURL: LOCAL_APP_URL,
    locale: 'en-US',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        headless: true,
        launchOptions: {
          executablePath,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: [
    appServer('app', LOCAL_APP_PORT, 'data'),
    {
      // As `npm run dev:gateway`, on a port of the suite's own.
      name: 'gateway',
      command: 'exec node -r @swc-node/register api/e2e/fake-gateway/main.ts',
      cwd: workspaceRoot,
      // Answered once the gateway listens, which it does after making its clips.
      url: `${GATEWAY_URL}/files/portrait.mp4`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      env: {
        SWC_NODE_PROJECT: 'api/tsconfig.e2e.json',
        FAKE_GATEWAY_PORT: String(GATEWAY_PORT),
        FAKE_GATEWAY_KEY: GATEWAY_KEY,
        FAKE_GATEWAY_PROGRESS_MS: String(GATEWAY_PROGRESS_MS),
      },
    },
    appServer('chat-stream app', CHAT_STREAM_APP_PORT, 'chat-stream-data', {
      VIDEO_PROVIDER: 'chat-stream',
      VIDEO_API_BASE_URL: `${GATEWAY_URL}/v1`,
      VIDEO_API_KEY: GATEWAY_KEY,
      // The default model names, whatever a developer's .env says.
      VIDEO_MODEL_PORTRAIT: '',
      VIDEO_MODEL_LANDSCAPE: '',
      VIDEO_MODEL_TEMPLATE: '',
    }),
  ],
});

/** The built app on `port`, with a fresh data folder `tmp/web-e2e/<dataFolder>` on every run. */
function appServer(
  name: string,
  port: number,
  dataFolder: string,
  providerEnv: Record<string, string> = {},
) {
  const dataDir = path.join(tmpDir, dataFolder);
  return {
    name,
    // A fresh data folder per run: a new SQLite database and a new generated JWT secret.
    command: `rm -rf '${dataDir}' && mkdir -p '${dataDir}' && exec node dist/api/main.js`,
    cwd: workspaceRoot,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 },
    // Set explicitly, empty meaning "the default", so neither the shell nor a developer's .env can
    // point the suite at a real database or secret.
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      JWT_SECRET: '',
      LOG_LEVEL: 'warn',
      // Every test registers and logs in from the same address; the per-IP limit is the API suite's
      // concern, not this one's.
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      // A cheaper argon2 cost: every test registers, and the machine is busy rendering videos.
      // Passwords behave the same; the server refuses this setting under NODE_ENV=production,
      // hence the explicit "test".
      FAST_PASSWORD_HASHING: 'true',
      NODE_ENV: 'test',
      // Webhook receivers started by the tests listen on 127.0.0.1, which the address policy
      // refuses by default (webhooks.spec.ts).
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      ...providerEnv,
    },
  };
}

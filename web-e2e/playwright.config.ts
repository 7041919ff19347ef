import { defineConfig, devices } from '@playwright/test';
import * as path from 'node:path';

// The suite drives the production build (dist/, made by the e2e target's dependencies api:build and
// web:build) through the one process that `npm start` runs, on its own port and an empty data folder,
// so it never touches a developer's server or database.
const workspaceRoot = path.resolve(__dirname, '..');
const port = Number(process.env['WEB_E2E_PORT'] ?? 3210);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = path.join(workspaceRoot, 'tmp', 'web-e2e', 'data');

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
    baseURL,
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
  webServer: {
    // A fresh data folder per run: a new SQLite database and a new generated JWT secret.
    command: `rm -rf '${dataDir}' && mkdir -p '${dataDir}' && exec node dist/api/main.js`,
    cwd: workspaceRoot,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
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
    },
  },
});

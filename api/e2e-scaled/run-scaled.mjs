#!/usr/bin/env node
// Runs the scaled suite: `node api/e2e-scaled/run-scaled.mjs [jest args]` (the api:e2e-scaled
// Nx target builds the app first). It needs the build (dist/api/main.js), a MySQL/MariaDB server
// (TEST_MYSQL_URL) and Redis (TEST_REDIS_URL, or redis://127.0.0.1:6379 when that answers); the
// Redis outage test also needs `redis-server` on the PATH, to start a Redis of its own. Without
// them the suite, or that test, is skipped with a warning nobody can miss, never silently.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const paint =
  process.stdout.isTTY && !process.env.NO_COLOR
    ? (text) => `\x1b[1;33m${text}\x1b[0m`
    : (text) => text;

function box(lines) {
  const width = Math.max(...lines.map((line) => line.length));
  console.log(paint(`╔${'═'.repeat(width + 4)}╗`));
  for (const line of lines) console.log(paint(`║  ${line.padEnd(width)}  ║`));
  console.log(paint(`╚${'═'.repeat(width + 4)}╝`));
}

/** Something accepts TCP connections at the URL's host and port. */
function answers(url, defaultPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({
      host: hostname || '127.0.0.1',
      port: Number(port || defaultPort),
    });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const missing = [];
if (!process.env.TEST_MYSQL_URL) {
  missing.push('TEST_MYSQL_URL is not set (e.g. mysql://root@127.0.0.1:3306)');
} else if (!(await answers(process.env.TEST_MYSQL_URL, 3306))) {
  missing.push('nothing answers at TEST_MYSQL_URL');
}
const redisUrl = process.env.TEST_REDIS_URL || DEFAULT_REDIS_URL;
if (!(await answers(redisUrl, 6379))) {
  missing.push(
    process.env.TEST_REDIS_URL
      ? 'nothing answers at TEST_REDIS_URL'
      : `TEST_REDIS_URL is not set and nothing answers at ${DEFAULT_REDIS_URL}`,
  );
}
if (missing.length > 0) {
  box([
    '!!! API SCALED SUITE (api:e2e-scaled) WAS SKIPPED !!!',
    '',
    ...missing.map((reason) => `because ${reason}`),
    '',
    'It starts 2 API and 2 worker processes on MySQL/MariaDB and Redis. To run it:',
    '',
    '    TEST_MYSQL_URL=mysql://root@127.0.0.1:3306 TEST_REDIS_URL=redis://127.0.0.1:6379 \\',
    '      npx nx run api:e2e-scaled',
    '',
    'It creates (and drops) databases vidgen_e2e_* and deletes only its own Redis keys.',
  ]);
  process.exit(0);
}

if (!existsSync(path.join(root, 'dist/api/main.js'))) {
  console.error(
    'dist/api/main.js is missing: run `npx nx build api` (or `npx nx run api:e2e-scaled`)',
  );
  process.exit(1);
}

const jestArgs = process.argv.slice(2);
if (!onPath('redis-server')) {
  box([
    '!!! THE REDIS OUTAGE TEST OF THE SCALED SUITE WAS SKIPPED !!!',
    '',
    'It starts and stops a redis-server of its own, and there is none on the PATH.',
    'apt-get install redis-server (or put redis-server on the PATH) to run it.',
  ]);
  jestArgs.push('--testPathIgnorePatterns', 'redis-outage');
}

console.log('\n> API scaled suite (API and worker processes on MySQL/MariaDB and Redis)\n');
// Counts reach tools/test.mjs through the summary reporter of jest.preset.js.
const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const result = spawnSync(
  process.execPath,
  [jest, '--config', 'api/jest.scaled.config.cts', '--runInBand', ...jestArgs],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TEST_REDIS_URL: redisUrl } },
);
process.exit(result.status ?? 1);

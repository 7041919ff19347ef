#!/usr/bin/env node
// Runs the API e2e suite on one database: `node api/e2e/run-e2e.mjs sqlite|mysql [jest args]`.
// The `api:e2e` Nx target runs it for sqlite, then for mysql. The MySQL run needs a server
// (TEST_MYSQL_URL); without one it is skipped with a warning nobody can miss, never silently.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [database, ...jestArgs] = process.argv.slice(2);

if (database !== 'sqlite' && database !== 'mysql') {
  console.error('usage: node api/e2e/run-e2e.mjs sqlite|mysql [jest arguments]');
  process.exit(2);
}

if (database === 'mysql' && !process.env.TEST_MYSQL_URL) {
  const lines = [
    '!!! API E2E SUITE ON MYSQL/MARIADB WAS SKIPPED: TEST_MYSQL_URL is not set !!!',
    '',
    'Only the SQLite run happened. To run it on MySQL/MariaDB too, start a server and run:',
    '',
    '    TEST_MYSQL_URL=mysql://root@127.0.0.1:3306 npm test',
    '',
    '(or npx nx run api:e2e with the same variable). The suite creates, and drops again, databases',
    'of its own (vidgen_e2e_*), so any server where that user may CREATE DATABASE will do.',
  ];
  const width = Math.max(...lines.map((line) => line.length));
  const paint =
    process.stdout.isTTY && !process.env.NO_COLOR
      ? (text) => `\x1b[1;33m${text}\x1b[0m`
      : (text) => text;
  console.log(paint(`╔${'═'.repeat(width + 4)}╗`));
  for (const line of lines) console.log(paint(`║  ${line.padEnd(width)}  ║`));
  console.log(paint(`╚${'═'.repeat(width + 4)}╝`));
  process.exit(0);
}

console.log(`\n> API e2e suite on ${database}\n`);
// Counts reach tools/test.mjs through the summary reporter of jest.preset.js.
const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const result = spawnSync(
  process.execPath,
  [jest, '--config', 'api/jest.e2e.config.cts', '--runInBand', ...jestArgs],
  { cwd: root, stdio: 'inherit', env: { ...process.env, E2E_DATABASE: database } },
);
process.exit(result.status ?? 1);

#!/usr/bin/env node
// Runs the API e2e suite on one database: `node api/e2e/run-e2e.mjs sqlite|mysql [jest args]`.
// The `api:e2e` Nx target runs it for sqlite, then for mysql. The MySQL run needs a server
// (TEST_MYSQL_URL); without one it is skipped with a warning nobody can miss, never silently.
// Each run leaves Jest's JSON summary in tmp/test-results/api/e2e/ for tools/test.mjs to count.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  const paint = process.stdout.isTTY && !process.env.NO_COLOR ? (text) => `\x1b[1;33m${text}\x1b[0m` : (text) => text;
  console.log(paint(`╔${'═'.repeat(width + 4)}╗`));
  for (const line of lines) console.log(paint(`║  ${line.padEnd(width)}  ║`));
  console.log(paint(`╚${'═'.repeat(width + 4)}╝`));
  process.exit(0);
}

// Named after the `npm test` run (tools/test.mjs sets TEST_RUN_ID), so its count is this run's.
const resultsDir = path.join(root, 'tmp', 'test-results', 'api', 'e2e');
const summary = path.join(resultsDir, `${process.env.TEST_RUN_ID ?? 'manual'}.${database}.jest.json`);
mkdirSync(resultsDir, { recursive: true });

console.log(`\n> API e2e suite on ${database}\n`);
const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const result = spawnSync(
  process.execPath,
  [jest, '--config', 'api/jest.e2e.config.cts', '--runInBand', '--json', `--outputFile=${summary}`, ...jestArgs],
  { cwd: root, stdio: 'inherit', env: { ...process.env, E2E_DATABASE: database } },
);

// Jest's --json report, plus the three counts tools/test.mjs reads from every Jest summary.
if (existsSync(summary)) {
  const report = JSON.parse(readFileSync(summary, 'utf8'));
  report.passed = report.numPassedTests;
  report.failed = report.numFailedTests;
  report.suitesFailedToRun = report.numRuntimeErrorTestSuites;
  writeFileSync(summary, JSON.stringify(report));
}
process.exit(result.status ?? 1);

#!/usr/bin/env node
// The one test command (`npm test`): the formatting check (Prettier, via `nx format:check`), then
// lint, type checks, unit tests and every e2e suite, through a single `nx run-many` so Nx can
// schedule and cache them together.
//
// Three suites need something a fresh machine may lack: the API e2e suite on MySQL/MariaDB needs a
// server (TEST_MYSQL_URL), the browser suite needs Chromium, and the scaled suite (api:e2e-scaled:
// API and worker processes) needs that server and Redis (TEST_REDIS_URL, or redis://127.0.0.1:6379
// when it answers). Rather than fail, or skip quietly, this script says loudly, at the start and
// again at the end, what did not run and how to enable it. `.ci/run` provides all three, so CI
// always runs everything. The scaled suite runs after the others, alone: it checks the timing of
// processes (leases, grace periods) and needs the machine's CPUs to itself.
//
// Extra arguments go to `nx run-many`, e.g. `npm test -- --skip-nx-cache`.
//
// Counting tests: each Jest/Playwright run started by Nx writes a summary under
// tmp/test-results/<project>/<target>/ named after this run's TEST_RUN_ID. The final
// "tests: N passed, M failed" line is printed only when every test and e2e task of the run left
// such a summary; a task replayed from the Nx cache did not run here, so then the count is left out
// rather than guessed.

import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'tmp', 'test-results');
const TEST_TARGETS = ['test', 'e2e'];
const BROWSER_PROJECT = 'web-e2e';
const SCALED_TASK = { project: 'api', target: 'e2e-scaled' };
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Resolves true when something accepts TCP connections at the URL's host and port. */
function answers(url, defaultPort = 3306, timeoutMs = 2000) {
  let host;
  let port;
  try {
    const parsed = new URL(url);
    host = parsed.hostname || '127.0.0.1';
    port = Number(parsed.port || defaultPort);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function detectSuites() {
  const skipped = [];
  const warnings = [];
  const enabled = [];

  const mysqlUrl = process.env.TEST_MYSQL_URL;
  const mysqlAnswers = Boolean(mysqlUrl) && (await answers(mysqlUrl));
  if (!mysqlUrl) {
    skipped.push({
      suite: 'API e2e suite on MySQL/MariaDB (api:e2e runs on SQLite only)',
      enable: [
        'start MySQL 8 or MariaDB 10.11+, then',
        'set TEST_MYSQL_URL=mysql://root@127.0.0.1:3306',
        '(the suite creates a database of its own per run)',
      ],
    });
  } else {
    const redacted = mysqlUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    enabled.push(`API e2e on MySQL/MariaDB at ${redacted}`);
    if (!mysqlAnswers) {
      warnings.push(
        `TEST_MYSQL_URL is set but nothing answers at ${redacted}:`,
        'the MySQL e2e run will fail. Start the server or unset TEST_MYSQL_URL.',
      );
    }
  }

  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (isExecutable(chromium)) {
    enabled.push(`browser e2e (${BROWSER_PROJECT}) with Chromium at ${chromium}`);
  } else {
    skipped.push({
      suite: `Browser e2e suite (${BROWSER_PROJECT}, with its lint and type check)`,
      enable: process.env.CHROMIUM_PATH
        ? [
            `CHROMIUM_PATH=${chromium} is not an executable file:`,
            'point CHROMIUM_PATH at a Chromium binary',
          ]
        : ['apt-get install -y chromium', '(or set CHROMIUM_PATH=/path/to/chromium)'],
    });
  }

  const redisUrl = process.env.TEST_REDIS_URL || DEFAULT_REDIS_URL;
  const redisAnswers = await answers(redisUrl, 6379);
  const scaled = mysqlAnswers && redisAnswers ? redisUrl : null;
  if (scaled) {
    enabled.push(`scaled e2e (api:e2e-scaled) with Redis at ${redisUrl}`);
  } else {
    skipped.push({
      suite: 'API scaled e2e suite (api:e2e-scaled: API and worker processes, MariaDB, Redis)',
      enable: [
        ...(mysqlAnswers ? [] : ['a MySQL/MariaDB server at TEST_MYSQL_URL (as above)']),
        ...(redisAnswers
          ? []
          : [
              process.env.TEST_REDIS_URL
                ? `Redis at TEST_REDIS_URL (nothing answers at ${redisUrl})`
                : `Redis on 127.0.0.1:6379, or TEST_REDIS_URL=redis://host:port`,
            ]),
      ],
    });
  }
  return { skipped, warnings, enabled, scaled };
}

function box(lines, tint) {
  const width = Math.max(...lines.map((line) => line.length));
  const edge = '═'.repeat(width + 4);
  const out = [`╔${edge}╗`, ...lines.map((line) => `║  ${line.padEnd(width)}  ║`), `╚${edge}╝`];
  return out.map((line) => paint(tint, line)).join('\n');
}

function banner({ skipped, warnings, enabled }, when) {
  if (skipped.length === 0 && warnings.length === 0) {
    return paint('32', `npm test ${when}: every suite enabled: ${enabled.join('; ')}.`);
  }
  const lines = [];
  if (skipped.length > 0) {
    const n = skipped.length;
    lines.push(
      `!!! ${when.toUpperCase()}: ${n} TEST SUITE${n > 1 ? 'S' : ''} SKIPPED: THIS IS NOT A FULL TEST RUN !!!`,
      '',
    );
    for (const { suite, enable } of skipped) {
      lines.push(`SKIPPED: ${suite}`);
      enable.forEach((step, i) =>
        lines.push(`${i === 0 ? '  to enable: ' : '             '}${step}`),
      );
      lines.push('');
    }
    lines.push('.ci/run provides Chromium, MariaDB and Redis, then runs everything.');
  }
  if (warnings.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(...warnings.map((w) => `WARNING: ${w}`));
  }
  return box(lines, '1;33');
}

function runNx(args, env) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['nx', ...args], { cwd: root, env, stdio: 'inherit' });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      console.error(`could not start nx: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 128 + (os.constants.signals[signal] ?? 0));
    });
  });
}

/** The (project, target) pairs of this run that execute tests, from Nx's project graph. */
function testTasks(env, excluded) {
  const file = path.join(resultsDir, 'project-graph.json');
  const graph = spawnSync('npx', ['nx', 'graph', `--file=${file}`], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  if (graph.status !== 0) return null;
  const { nodes } = JSON.parse(readFileSync(file, 'utf8')).graph;
  const tasks = [];
  for (const [project, node] of Object.entries(nodes)) {
    if (excluded.includes(project)) continue;
    for (const target of TEST_TARGETS) {
      if (node.data?.targets?.[target]) tasks.push({ project, target });
    }
  }
  return tasks;
}

/** Sums the summaries this run's test tasks wrote; null (with reasons) when any is missing. */
function countTests(tasks, runId) {
  let passed = 0;
  let failed = 0;
  const missing = [];
  const notes = [];
  for (const { project, target } of tasks) {
    const dir = path.join(resultsDir, project, target);
    let files = [];
    try {
      files = readdirSync(dir).filter(
        (name) => name.startsWith(`${runId}.`) && name.endsWith('.json'),
      );
    } catch {
      // no directory: the task wrote nothing in this run
    }
    if (files.length === 0) {
      missing.push(`${project}:${target}`);
      continue;
    }
    for (const name of files) {
      const summary = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
      if (name.endsWith('.playwright.json')) {
        // Playwright's json reporter: flaky tests passed on a retry; top-level errors (a web server
        // that never started, a spec that failed to load) ran no test but are failures.
        const { expected = 0, flaky = 0, unexpected = 0 } = summary.stats ?? {};
        const errors = summary.errors?.length ?? 0;
        passed += expected + flaky;
        failed += unexpected + errors;
        if (errors > 0)
          notes.push(`${project}:${target}: ${errors} error(s) outside tests, counted as failures`);
      } else {
        passed += summary.passed ?? 0;
        failed += (summary.failed ?? 0) + (summary.suitesFailedToRun ?? 0);
        if (summary.suitesFailedToRun > 0) {
          notes.push(
            `${project}:${target}: ${summary.suitesFailedToRun} test file(s) failed to run, counted as failures`,
          );
        }
      }
    }
  }
  return missing.length > 0 ? { missing } : { passed, failed, notes };
}

async function main() {
  const extraArgs = process.argv.slice(2);
  const runId = `run-${Date.now()}-${process.pid}`;
  const env = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    TEST_RUN_ID: runId,
  };

  const suites = await detectSuites();
  console.log(`${banner(suites, 'start')}\n`);

  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });

  const excluded = suites.skipped.some(({ suite }) => suite.includes(BROWSER_PROJECT))
    ? [BROWSER_PROJECT]
    : [];
  const nxArgs = ['run-many', '-t', 'lint', 'typecheck', ...TEST_TARGETS, '--outputStyle=static'];
  if (excluded.length > 0) nxArgs.push(`--exclude=${excluded.join(',')}`);
  nxArgs.push(...extraArgs);
  // Formatting first: cheap, and a diff of layout noise hides real changes in review.
  console.log('> nx format:check --all\n');
  const formatCode = await runNx(['format:check', '--all'], env);
  if (formatCode !== 0)
    console.log(paint('1;31', 'Not formatted (above): `npm run format` fixes it.'));
  console.log(`> nx ${nxArgs.join(' ')}\n`);
  let exitCode = (await runNx(nxArgs, env)) || formatCode;
  if (suites.scaled) {
    const scaledArgs = [
      'run',
      `${SCALED_TASK.project}:${SCALED_TASK.target}`,
      '--outputStyle=static',
    ];
    console.log(`\n> nx ${scaledArgs.join(' ')}\n`);
    const scaledCode = await runNx(scaledArgs, { ...env, TEST_REDIS_URL: suites.scaled });
    exitCode ||= scaledCode;
  }

  console.log(`\n${banner(suites, 'end')}`);
  console.log(
    exitCode === 0
      ? paint('32', 'npm test: all tasks passed')
      : paint('1;31', `npm test: FAILED (nx exited with ${exitCode})`),
  );

  const tasks = testTasks(env, excluded)?.concat(suites.scaled ? [SCALED_TASK] : []);
  const count = tasks
    ? countTests(tasks, runId)
    : { missing: ['(the project graph could not be read)'] };
  if (count.missing) {
    console.log(
      `(no test count: ${count.missing.join(', ')} left no summary in this run: replayed from the Nx ` +
        'cache, stopped early, or not reporting; `npm test -- --skip-nx-cache` reruns everything)',
    );
  } else {
    count.notes.forEach((note) => console.log(`note: ${note}`));
    console.log(`tests: ${count.passed} passed, ${count.failed} failed`);
  }
  process.exit(exitCode);
}

await main();

/**
 * `npm run fuzz`: the long fuzz run. Starts the app as the e2e suite does (SQLite, or MySQL with
 * E2E_DATABASE=mysql and TEST_MYSQL_URL), seeds users and videos, then sends FUZZ_RUNS generated
 * requests (default 10,000) over every operation of /api/docs-json and FUZZ_RAW_RUNS malformed
 * HTTP requests on raw sockets (default 500), and prints what it saw. Exits 1 on a failure, with
 * the shrunk counterexample and the seed to replay it (FUZZ_SEED, FUZZ_PATH). FUZZ_SURVEY=1 keeps
 * going after failures and lists every failure class with its smallest example.
 */
import { startApp } from '../support/app';
import { fuzzHttp } from './http-fuzz';
import { fuzzRaw } from './raw-fuzz';
import { loadOperations } from './openapi';
import { FUZZ_APP_SETTINGS, FuzzWorld } from './world';

const CONCURRENCY = 8;
const PROGRESS_EVERY = 1_000;

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number, got "${raw}"`);
  }
  return value;
}

async function main(): Promise<number> {
  const requests = setting('FUZZ_RUNS', 10_000);
  const rawRuns = setting('FUZZ_RAW_RUNS', 500);
  const seed = setting('FUZZ_SEED', Math.floor(Math.random() * 2 ** 31));
  const path = process.env['FUZZ_PATH'] || undefined;
  const survey = process.env['FUZZ_SURVEY'] === '1';

  const started = Date.now();
  const api = await startApp(FUZZ_APP_SETTINGS);
  try {
    const world = await FuzzWorld.seed(api);
    const operations = await loadOperations(api.url);
    console.log(
      `Fuzzing ${operations.length} operations of ${api.url}/api/docs-json on ${api.db.kind}: ` +
        `${requests} requests, ${rawRuns} raw-socket requests, seed ${seed}` +
        `${survey ? ', surveying every failure class' : ''}.`,
    );
    let nextReport = PROGRESS_EVERY;
    const http = await fuzzHttp(world, operations, {
      requests,
      seed,
      path,
      concurrency: CONCURRENCY,
      survey,
      progress: (stats) => {
        if (stats.requests < nextReport) return;
        nextReport += PROGRESS_EVERY;
        const elapsed = Math.round((Date.now() - started) / 1000);
        console.log(`  ${stats.requests} requests after ${elapsed} s`);
      },
    });
    console.log(`\nHTTP: ${http.stats.summary()}`);
    const raw = http.failure ? undefined : await fuzzRaw(world, { runs: rawRuns, seed, survey });
    if (raw) console.log(`\nRaw sockets: ${raw.stats.summary()}`);

    const failure = http.failure ?? raw?.failure;
    const classes = http.stats.failureClasses + (raw?.stats.failureClasses ?? 0);
    console.log(`\nDone in ${Math.round((Date.now() - started) / 1000)} s (seed ${seed}).`);
    if (failure) console.log(`\nFAILED\n${failure}`);
    else if (classes > 0) console.log(`\nFAILED: ${classes} failure classes (listed above).`);
    else console.log('No failures.');
    return failure || classes > 0 ? 1 : 0;
  } finally {
    await api.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);

import { startApp, TestApp } from './support/app';
import { fuzzHttp } from './fuzz/http-fuzz';
import { loadOperations, Operation } from './fuzz/openapi';
import { fuzzRaw } from './fuzz/raw-fuzz';
import { FUZZ_APP_SETTINGS, FuzzWorld } from './fuzz/world';

/**
 * The short run of the fuzz suite (the long one is `npm run fuzz`, see e2e/fuzz/main.ts): a few
 * hundred requests generated from the app's own OpenAPI document and the raw-socket cases, with a
 * new seed each run. A failure prints the shrunk counterexample and the seed; FUZZ_SEED=<seed>
 * replays it here, FUZZ_SEED=<seed> npm run fuzz in the long run.
 */
const SEED = Number(process.env['FUZZ_SEED'] || Math.floor(Math.random() * 2 ** 31));
const REQUESTS = 500;
const RAW_RUNS = 100;

let api: TestApp;
let world: FuzzWorld;
let operations: Operation[];

beforeAll(async () => {
  api = await startApp(FUZZ_APP_SETTINGS);
  world = await FuzzWorld.seed(api);
  operations = await loadOperations(api.url);
}, 120_000);

afterAll(() => api?.close());

describe(`fuzzing the API (seed ${SEED})`, () => {
  it('answers generated requests over every documented operation within the contract', async () => {
    const { stats, failure } = await fuzzHttp(world, operations, {
      requests: REQUESTS,
      seed: SEED,
      concurrency: 8,
      survey: false,
    });

    if (failure) throw new Error(`${failure}\n\n${stats.summary()}`);
    const missed = operations.filter((op) => !stats.byOperation.has(op.id)).map((op) => op.id);
    expect({ seed: SEED, missed }).toEqual({ seed: SEED, missed: [] });
  }, 120_000);

  it('answers malformed HTTP on a raw socket in the error shape, or closes, and keeps serving', async () => {
    const { stats, failure } = await fuzzRaw(world, { runs: RAW_RUNS, seed: SEED, survey: false });

    if (failure) throw new Error(`${failure}\n\n${stats.summary()}`);
    expect(stats.requests).toBeGreaterThan(RAW_RUNS);
  }, 120_000);
});

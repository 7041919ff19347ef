import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const JOBS = 12;

jest.setTimeout(300_000);

describe('npm run chaos:workers', () => {
  it(`loses and duplicates nothing while workers are killed at random (${JOBS} jobs, 20 s of kills)`, async () => {
    const run = spawn(process.execPath, ['tools/chaos-workers.mjs'], {
      cwd: ROOT,
      env: {
        ...process.env,
        CHAOS_JOBS: String(JOBS),
        CHAOS_SECONDS: '20',
        CHAOS_KILL_EVERY_SECONDS: '2',
        CHAOS_SETTLE_SECONDS: '180',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    run.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((done) => run.once('exit', done));

    expect({ stdout, code, stderr }).toEqual({
      stdout: `jobs ${JOBS}, succeeded ${JOBS}, failed 0, lost 0, duplicated 0\n`,
      code: 0,
      stderr: expect.any(String),
    });
  });
});

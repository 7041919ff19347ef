#!/usr/bin/env node
// Benchmark of the generation flow, printing figures (never asserting them: machines are shared
// and noisy). Starts the built server (dist/api/main.js) on a free port with a fresh data folder:
//   1. latency of POST /api/videos (p50/p99 over SUBMITS requests),
//   2. latency from sending POST /api/videos to its event arriving on an open /api/jobs/stream,
//   3. render time of a 5 s local-preview clip per orientation (job startedAt → finishedAt).
// Run `npm run build` first, or use `npm run bench:submit`, which builds.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 200);
const root = resolve(import.meta.dirname, '..');

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'vidgen-bench-'));
const server = spawn(process.execPath, [join(root, 'dist/api/main.js')], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    JOB_CONCURRENCY: '1',
    MAX_ACTIVE_JOBS_PER_USER: '1000',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});

try {
  await waitForHealth();
  const token = await register();
  const api = (path, init = {}) =>
    fetch(base + path, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });

  const stream = await openStream(api);
  const submitMs = [];
  const eventMs = [];
  for (let i = 0; i < SUBMITS; i++) {
    const sentAt = performance.now();
    const response = await api('/api/videos', {
      method: 'POST',
      body: JSON.stringify({ prompt: `Benchmark clip ${i}`, durationSeconds: 1 }),
    });
    submitMs.push(performance.now() - sentAt);
    const { job } = await response.json();
    const arrivedAt = await stream.arrivalOf(job.id);
    eventMs.push(arrivedAt - sentAt);
  }
  stream.close();

  // Cancel what is still waiting, so the render timings below run alone.
  const { items } = await (await api('/api/jobs?active=true')).json();
  for (const job of items) await api(`/api/jobs/${job.id}/cancel`, { method: 'POST' });

  const renders = {};
  for (const orientation of ['portrait', 'landscape']) {
    const { job } = await (
      await api('/api/videos', {
        method: 'POST',
        body: JSON.stringify({
          prompt: `A ${orientation} benchmark clip`,
          orientation,
          durationSeconds: 5,
        }),
      })
    ).json();
    const done = await waitForJob(api, job.id);
    renders[orientation] = (Date.parse(done.finishedAt) - Date.parse(done.startedAt)) / 1000;
  }

  console.log(`\nPOST /api/videos (${SUBMITS} requests, one client, 1 worker rendering meanwhile)`);
  console.log(
    `  p50 ${pct(submitMs, 50)} ms   p99 ${pct(submitMs, 99)} ms   max ${pct(submitMs, 100)} ms`,
  );
  console.log(`POST sent → its event received on /api/jobs/stream`);
  console.log(
    `  p50 ${pct(eventMs, 50)} ms   p99 ${pct(eventMs, 99)} ms   max ${pct(eventMs, 100)} ms`,
  );
  console.log(
    'Render of a 5 s local-preview clip (job started → finished, includes probe, thumbnail, storage)',
  );
  for (const [orientation, seconds] of Object.entries(renders))
    console.log(`  ${orientation.padEnd(9)} ${seconds.toFixed(2)} s`);
} finally {
  server.kill('SIGTERM');
  await new Promise((done) => server.once('exit', done));
  rmSync(dataDir, { recursive: true, force: true });
}

function pct(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)].toFixed(1);
}

async function freePort() {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

async function waitForHealth() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error('The server did not become healthy; run `npm run build` first.');
}

async function register() {
  const response = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `bench-${Date.now()}@example.com`,
      password: 'benchmark-password',
    }),
  });
  return (await response.json()).accessToken;
}

/** Reads /api/jobs/stream and remembers when each job's first event arrived. */
async function openStream(api) {
  const controller = new AbortController();
  const response = await api('/api/jobs/stream', { signal: controller.signal });
  const arrivals = new Map();
  const waiters = new Map();
  (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          const jobId = data && JSON.parse(data.slice(6)).job?.id;
          if (!jobId || arrivals.has(jobId)) continue;
          arrivals.set(jobId, performance.now());
          waiters.get(jobId)?.(arrivals.get(jobId));
        }
      }
    } catch (error) {
      if (error.name !== 'AbortError') throw error;
    }
  })();
  return {
    arrivalOf: (jobId) =>
      arrivals.has(jobId)
        ? Promise.resolve(arrivals.get(jobId))
        : new Promise((done) => waiters.set(jobId, done)),
    close: () => controller.abort(),
  };
}

async function waitForJob(api, jobId) {
  for (;;) {
    const { job } = await (await api(`/api/jobs/${jobId}`)).json();
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) {
      if (job.status !== 'succeeded')
        throw new Error(`Render ${job.status}: ${job.error?.message}`);
      return job;
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

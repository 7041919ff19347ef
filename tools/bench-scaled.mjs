#!/usr/bin/env node
// Benchmark of the scaled shape, printing figures (never asserting them: machines are shared and
// noisy). Starts 2 API and 2 worker processes of the built app (dist/api/main.js; `npm run
// bench:scaled` builds it first) on a MySQL/MariaDB database and a Redis key prefix of their own,
// with the local provider, and measures:
//   1. POST /api/videos on API 1, open loop: BENCH_RATE requests a second for BENCH_SECONDS, each
//      sent at its scheduled time whatever the earlier ones are doing, its latency counted from
//      that scheduled time (a stall shows in the figures instead of slowing the load down);
//   2. job events crossing processes, while that load and the renders run: one SSE client per user
//      on API 2's /api/jobs/stream, and for each event, the delay from the time the process making
//      the change stamped on the job to the event's arrival at the client:
//        created   job.createdAt, stamped by API 1 as it accepts the POST → the job's first event
//        started   job.startedAt, stamped by the worker taking the job → its `status` running event
//        finished  job.finishedAt, stamped by the worker ending the job → its `succeeded` event
//      Each stamp is taken just before the row is written, so the figures include that write,
//      the publish on Redis, API 2's routing and the SSE write. To tell those apart, this script
//      also subscribes to the events' Redis channel itself and prints the delay from an event's
//      arrival there to its arrival at the client on API 2: the cross-process delivery alone.
// Settings: BENCH_RATE (20), BENCH_SECONDS (10), BENCH_USERS (10), BENCH_DRAIN_SECONDS (30: how
// long the workers go on after the load, for more started/finished events), TEST_MYSQL_URL
// (mysql://root@127.0.0.1:3306), TEST_REDIS_URL (redis://127.0.0.1:6379).
import { createRequire } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';

const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const USERS = Number(process.env.BENCH_USERS ?? 10);
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? 30);
const CLIP_SECONDS = 1;
const root = resolve(import.meta.dirname, '..');

// The scaled suite's cluster helper, in TypeScript, as the e2e suites run it.
process.env.TEST_MYSQL_URL ||= 'mysql://root@127.0.0.1:3306';
process.env.SWC_NODE_PROJECT ||= join(root, 'tsconfig.base.json');
const require = createRequire(import.meta.url);
require('@swc-node/register');
const { Cluster, sleep } = require('../api/e2e-scaled/support/cluster.ts');
const { Redis } = require('ioredis');

const cluster = await Cluster.start({
  label: 'bench',
  env: { LOG_LEVEL: 'warn', MAX_ACTIVE_JOBS_PER_USER: '1000' },
});
const [api1, api2] = cluster.apis;
const samples = { created: [], started: [], finished: [] };
/** When each event (by type, job, status and progress) reached a Redis subscriber, and the client. */
const onRedis = new Map();
const onApi2 = new Map();
const streams = [];
const subscriber = new Redis(cluster.redis.url);
try {
  // The channel of the Redis adapter of JobEvents (api/src/jobs/events/redis-job-events.ts).
  await subscriber.subscribe(`${cluster.redis.keyPrefix}:job-events`);
  subscriber.on('message', (_channel, message) => {
    const { type, data } = JSON.parse(message);
    const key = eventKey(type, data.job);
    if (!onRedis.has(key)) onRedis.set(key, performance.timeOrigin + performance.now());
  });
  const users = await Promise.all(Array.from({ length: USERS }, (_, i) => register(api1, i)));
  for (const user of users) streams.push(await openStream(api2, user.token, samples));

  const post = await openLoop(users);
  await sleep(DRAIN_SECONDS * 1000);

  const config = cluster.apis[0].config;
  console.log(
    `\nScaled shape: 2 API + 2 worker processes (dist/api/main.js), MariaDB, Redis, local provider`,
  );
  console.log(
    `  BENCH_RATE=${RATE}/s BENCH_SECONDS=${SECONDS} (${post.latencies.length} requests) ` +
      `BENCH_USERS=${USERS} BENCH_DRAIN_SECONDS=${DRAIN_SECONDS}; ${CLIP_SECONDS} s clips, ` +
      `JOB_CONCURRENCY=${config.jobConcurrency} per worker, JOB_LEASE_SECONDS=${config.jobLeaseSeconds}; ` +
      `${availableParallelism()} CPUs (${cpus()[0]?.model.trim()})`,
  );
  console.log(`POST /api/videos on API 1, open loop (latency from each request's scheduled start)`);
  console.log(`  ${figures(post.latencies)}   errors ${describeErrors(post.errors)}`);
  console.log(
    'Job event → SSE client on API 2 (/api/jobs/stream), from the stamp on the job to the arrival',
  );
  console.log(`  created  (API 1 → API 2)   ${figures(samples.created)}`);
  console.log(`  started  (worker → API 2)  ${figures(samples.started)}`);
  console.log(`  finished (worker → API 2)  ${figures(samples.finished)}`);
  console.log(`  all                        ${figures(Object.values(samples).flat())}`);
  const delivery = [...onApi2]
    .filter(([key]) => onRedis.has(key))
    .map(([key, arrivedAt]) => arrivedAt - onRedis.get(key));
  console.log(`  of which Redis → API 2     ${figures(delivery)}`);
} finally {
  for (const stream of streams) stream.close();
  subscriber.disconnect();
  await cluster.close();
}

/** Sends RATE × SECONDS submissions on schedule, round robin over the users. */
async function openLoop(users) {
  const total = Math.round(RATE * SECONDS);
  const latencies = [];
  const errors = [];
  const firstAt = performance.now() + 200;
  await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      const scheduledAt = firstAt + (i * 1000) / RATE;
      await sleep(Math.max(0, scheduledAt - performance.now()));
      try {
        const response = await fetch(`${api1.url}/api/videos`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${users[i % users.length].token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            prompt: `Benchmark clip ${i + 1}`,
            durationSeconds: CLIP_SECONDS,
          }),
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - scheduledAt);
        if (response.status !== 202) errors.push(String(response.status));
      } catch (error) {
        errors.push(error.cause?.code ?? error.message);
      }
    }),
  );
  return { latencies, errors };
}

async function register(api, i) {
  const response = await fetch(`${api.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `bench-${i}-${Date.now()}@example.com`,
      password: 'bench-password',
    }),
  });
  if (response.status !== 201) throw new Error(`register answered ${response.status}`);
  return { token: (await response.json()).accessToken };
}

/** Reads a user's /api/jobs/stream and records the delays of the events that carry a stamp. */
async function openStream(api, token, into) {
  const controller = new AbortController();
  const response = await fetch(`${api.url}/api/jobs/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (response.status !== 200) throw new Error(`the stream answered ${response.status}`);
  const seen = new Set();
  const receive = (type, job, arrivedAt) => {
    if (type === 'snapshot' || type === 'ping') return;
    const key = eventKey(type, job);
    if (!onApi2.has(key)) onApi2.set(key, arrivedAt);
    if (!seen.has(job.id)) {
      seen.add(job.id);
      into.created.push(arrivedAt - Date.parse(job.createdAt));
    }
    if (type === 'status' && job.status === 'running' && job.startedAt)
      into.started.push(arrivedAt - Date.parse(job.startedAt));
    if (type === 'succeeded' && job.finishedAt)
      into.finished.push(arrivedAt - Date.parse(job.finishedAt));
  };
  (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        const arrivedAt = performance.timeOrigin + performance.now();
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const type = lines.find((line) => line.startsWith('event: '))?.slice(7);
          const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
          const job = data && JSON.parse(data).job;
          if (type && job) receive(type, job, arrivedAt);
        }
      }
    } catch (error) {
      if (error.name !== 'AbortError') throw error;
    }
  })();
  return { close: () => controller.abort() };
}

function eventKey(type, job) {
  return `${type} ${job.id} ${job.status} ${job.progress}`;
}

function figures(values) {
  if (values.length === 0) return 'no samples';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1);
  return `n ${String(sorted.length).padStart(4)}   p50 ${at(50)} ms   p99 ${at(99)} ms   max ${at(100)} ms`;
}

function describeErrors(errors) {
  if (errors.length === 0) return '0';
  const counts = {};
  for (const error of errors) counts[error] = (counts[error] ?? 0) + 1;
  return `${errors.length} (${Object.entries(counts)
    .map(([what, n]) => `${what} ×${n}`)
    .join(', ')})`;
}

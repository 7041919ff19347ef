#!/usr/bin/env node
// Benchmark of the scaled shape, printing figures (never asserting them: machines are shared and
// noisy). Starts 2 API and 2 worker processes of the built app (dist/api/main.js; `npm run
// bench:scaled` builds it first) on a MySQL/MariaDB database and a Redis key prefix of their own.
// By default the workers run their jobs as in production, on an upstream video service: the fake
// gateway (api/e2e/fake-gateway, new-api's `/v1/videos`), in a process of its own, whose jobs take
// BENCH_JOB_MS; the workers poll it, download its clip, probe it and make a thumbnail.
// BENCH_PROVIDER=local renders every job with ffmpeg on this machine instead, which loads the CPUs
// with renders: its event figures then tell how the platform fares on a starved machine.
// It measures:
//   1. POST /api/videos on API 1, open loop: BENCH_RATE requests a second for BENCH_SECONDS, each
//      sent at its scheduled time whatever the earlier ones are doing, its latency counted from
//      that scheduled time (a stall shows in the figures instead of slowing the load down);
//   2. job events crossing processes, while that load and the jobs run: one SSE client per user
//      on API 2's /api/jobs/stream, and for each event, the delay from the time the process making
//      the change stamped on the job to the event's arrival at the client:
//        created   job.createdAt, stamped by API 1 accepting the POST → its `status` queued event
//        started   job.startedAt, stamped by the worker taking the job → its `status` running event
//        finished  job.finishedAt, stamped by the worker ending the job → its `succeeded` event
//      Each stamp is taken just before the row is written, so the figures include that write, the
//      reads that build the event, the publish on Redis, API 2's routing and the SSE write. The
//      script also subscribes to the events' Redis channel itself, which splits each figure in
//      two: stamp → on Redis (the process making the change) and on Redis → client (API 2). The
//      stamps are whole milliseconds (DATETIME(3)), so a figure may be up to 1 ms too long.
// Then it waits until every accepted job has ended (at most BENCH_DRAIN_SECONDS) and prints the
// figures, the CPU time each process and the rest of the machine used meanwhile, and how long each
// Node process's event loop waited for a CPU: this machine is shared, and what else runs on it
// shows in the figures.
// Settings: BENCH_PROVIDER (openai-videos | local), BENCH_RATE (4/s; local 20/s), BENCH_SECONDS
// (60; local 10), BENCH_USERS (10), BENCH_DRAIN_SECONDS (30), BENCH_JOB_MS (1500: the gateway's
// generation time), TEST_MYSQL_URL (mysql://root@127.0.0.1:3306), TEST_REDIS_URL
// (redis://127.0.0.1:6379).
import { createRequire } from 'node:module';
import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';

const PROVIDER = process.env.BENCH_PROVIDER || 'openai-videos';
if (!['openai-videos', 'local'].includes(PROVIDER))
  throw new Error(`BENCH_PROVIDER: openai-videos or local, not "${PROVIDER}"`);
const local = PROVIDER === 'local';
// Renders queue up far behind 20/s. Upstream jobs take ~2.6 s here (BENCH_JOB_MS and 1 s polls),
// 16 at once: 4/s keeps about 10 running, so none waits in the queue for long.
const RATE = Number(process.env.BENCH_RATE || (local ? 20 : 4));
const SECONDS = Number(process.env.BENCH_SECONDS || (local ? 10 : 60));
const USERS = Number(process.env.BENCH_USERS || 10);
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS || 30);
const JOB_MS = Number(process.env.BENCH_JOB_MS || 1500);
// What the upstream is asked for (OpenAI's shortest); the gateway takes BENCH_JOB_MS whatever.
const CLIP_SECONDS = local ? 1 : 4;
const KINDS = ['created', 'started', 'finished'];
const root = resolve(import.meta.dirname, '..');

// The scaled suite's cluster helper, in TypeScript, as the e2e suites run it.
process.env.TEST_MYSQL_URL ||= 'mysql://root@127.0.0.1:3306';
process.env.SWC_NODE_PROJECT ||= join(root, 'tsconfig.base.json');
const require = createRequire(import.meta.url);
require('@swc-node/register');
const { Cluster, sleep } = require('../api/e2e-scaled/support/cluster.ts');
const { GatewayProcess } = require('../api/e2e-scaled/support/gateway-process.ts');
const { processesIn } = require('../api/e2e/support/media.ts');
const { Redis } = require('ioredis');

// new-api sends no poll hints, so the workers poll at UPSTREAM_POLL_INTERVAL_SECONDS. The fake's
// `openai` dialect would ask for a poll every tenth of a job: ten polls and progress events a job,
// where the default interval (5 s, slowing to 30 s) makes a few of a job that takes minutes.
const gateway = local
  ? undefined
  : await GatewayProcess.start({ jobDurationMs: JOB_MS, videosDialect: 'new-api' });
const providerEnv = gateway
  ? {
      VIDEO_PROVIDER: 'openai-videos',
      VIDEO_API_BASE_URL: gateway.url,
      VIDEO_API_KEY: gateway.apiKey,
      UPSTREAM_POLL_INTERVAL_SECONDS: '1',
    }
  : { VIDEO_PROVIDER: 'local' };
const cluster = await Cluster.start({
  label: 'bench',
  env: { LOG_LEVEL: 'warn', MAX_ACTIVE_JOBS_PER_USER: '1000', ...providerEnv },
}).catch(async (error) => {
  await gateway?.close();
  throw error;
});
const [api1, api2] = cluster.apis;
/** Per kind: stamp → client on API 2, stamp → on Redis. */
const samples = Object.fromEntries(KINDS.map((kind) => [kind, { total: [], toRedis: [] }]));
/**
 * When each event (by type, job, status, progress and stage) reached this script's Redis
 * subscriber and the client, in whichever order this script got to see them.
 */
const arrivals = new Map();
const arrivalOf = (type, job) => {
  const key = eventKey(type, job);
  if (!arrivals.has(key)) arrivals.set(key, { kind: stampOf(type, job)?.kind });
  return arrivals.get(key);
};
/** Jobs whose terminal event reached the client, by that event. */
const ended = new Map();
const streams = [];
const subscriber = new Redis(cluster.redis.url);
try {
  // The channel of the Redis adapter of JobEvents (api/src/jobs/events/redis-job-events.ts).
  await subscriber.subscribe(`${cluster.redis.keyPrefix}:job-events`);
  subscriber.on('message', (_channel, message) => {
    const arrivedAt = now();
    const { type, data } = JSON.parse(message);
    const arrival = arrivalOf(type, data.job);
    if (arrival.redis !== undefined) return;
    arrival.redis = arrivedAt;
    const stamped = stampOf(type, data.job);
    if (stamped) samples[stamped.kind].toRedis.push(arrivedAt - stamped.at);
  });
  const users = await Promise.all(Array.from({ length: USERS }, (_, i) => register(api1, i)));
  for (const user of users) streams.push(await openStream(api2, user.token));

  const cpuBefore = await cpuTimes();
  const post = await openLoop(users);
  const accepted = post.latencies.length - post.errors.length;
  const drainUntil = Date.now() + DRAIN_SECONDS * 1000;
  while (ended.size < accepted && Date.now() < drainUntil) await sleep(100);
  const cpuAfter = await cpuTimes();

  const config = api1.config;
  const pollSeconds = config.upstream.pollIntervalMs / 1000;
  const upstream = gateway
    ? `openai-videos on the fake gateway (new-api dialect, its own process; ` +
      `BENCH_JOB_MS=${JOB_MS}, UPSTREAM_POLL_INTERVAL_SECONDS=${pollSeconds})`
    : 'local provider (ffmpeg renders on this machine)';
  console.log(`\nScaled shape: 2 API + 2 worker processes (dist/api/main.js), MariaDB, Redis`);
  console.log(`  jobs: ${upstream}`);
  console.log(
    `  BENCH_RATE=${RATE}/s BENCH_SECONDS=${SECONDS} (${post.latencies.length} requests) ` +
      `BENCH_USERS=${USERS}; ${CLIP_SECONDS} s clips, JOB_CONCURRENCY=${config.jobConcurrency} ` +
      `per worker; ${ended.size} of ${accepted} jobs ended ` +
      `${ended.size < accepted ? `within BENCH_DRAIN_SECONDS=${DRAIN_SECONDS}` : 'in the run'} ` +
      `(not succeeded: ${tally([...ended.values()].filter((type) => type !== 'succeeded'))}); ` +
      `${availableParallelism()} CPUs (${cpus()[0]?.model.trim()})`,
  );
  console.log(`POST /api/videos on API 1, open loop (latency from each request's scheduled start)`);
  console.log(`  ${figures(post.latencies)}   errors ${tally(post.errors)}`);
  console.log(
    'Job event → SSE client on API 2 (/api/jobs/stream), from the time the process making the\n' +
      'change stamped on the job (createdAt / startedAt / finishedAt) to the arrival at the client',
  );
  const labels = {
    created: 'created  (API 1 → API 2) ',
    started: 'started  (worker → API 2)',
    finished: 'finished (worker → API 2)',
  };
  const line = (label, values) => console.log(`  ${label.padEnd(29)}${figures(values)}`);
  for (const kind of KINDS) line(labels[kind], samples[kind].total);
  line(
    'all',
    KINDS.flatMap((kind) => samples[kind].total),
  );
  console.log('  of which stamp → on Redis (row write, reads for the event, publish)');
  for (const kind of KINDS) line(`  ${kind}`, samples[kind].toRedis);
  console.log('  of which on Redis → client (API 2: receive, route, SSE write)');
  const delivered = [...arrivals.values()].filter(
    ({ redis, client }) => redis !== undefined && client !== undefined,
  );
  const delivery = (kind) =>
    delivered
      .filter((arrival) => kind === undefined || arrival.kind === kind)
      .map(({ redis, client }) => client - redis);
  for (const kind of KINDS) line(`  ${kind}`, delivery(kind));
  line('  every event, progress too', delivery());
  const window = ((cpuAfter.at - cpuBefore.at) / 1000).toFixed(1);
  console.log(
    `CPU seconds used during the load and drain (${window} s; ` +
      'MariaDB and Redis serve anyone on this machine)',
  );
  console.log(`  ${describeCpu(cpuBefore, cpuAfter)}`);
  console.log('Time the main thread (event loop) was ready to run but waited for a CPU');
  console.log(`  ${describeWaits(cpuBefore, cpuAfter)}`);
} finally {
  for (const stream of streams) stream.close();
  subscriber.disconnect();
  await cluster.close();
  await gateway?.close();
}

function now() {
  return performance.timeOrigin + performance.now();
}

/** The kind of a measured event and the stamp it is measured from, or null for other events. */
function stampOf(type, job) {
  if (type === 'status' && job.status === 'queued' && job.attempt === 1)
    return { kind: 'created', at: Date.parse(job.createdAt) };
  if (type === 'status' && job.status === 'running' && job.startedAt)
    return { kind: 'started', at: Date.parse(job.startedAt) };
  if (type === 'succeeded' && job.finishedAt)
    return { kind: 'finished', at: Date.parse(job.finishedAt) };
  return null;
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
        latencies.push(performance.now() - scheduledAt);
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
async function openStream(api, token) {
  const controller = new AbortController();
  const response = await fetch(`${api.url}/api/jobs/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (response.status !== 200) throw new Error(`the stream answered ${response.status}`);
  const receive = (type, job, arrivedAt) => {
    if (type === 'snapshot' || type === 'ping') return;
    if (['succeeded', 'failed', 'cancelled'].includes(type)) ended.set(job.id, type);
    const arrival = arrivalOf(type, job);
    if (arrival.client !== undefined) return;
    arrival.client = arrivedAt;
    const stamped = stampOf(type, job);
    if (stamped) samples[stamped.kind].total.push(arrivedAt - stamped.at);
  };
  (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        const arrivedAt = now();
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
  return `${type} ${job.id} ${job.status} ${job.progress} ${job.stage}`;
}

/**
 * CPU seconds used so far by the cluster's processes, the gateway, this script, the database and
 * Redis servers (shared with whatever else runs here) and the whole machine; and for the Node
 * processes, how long their main thread (the event loop) was ready to run but waited for a CPU.
 * From Linux's /proc.
 */
async function cpuTimes() {
  const ticks = 100;
  const used = {};
  const waited = {};
  const measure = async (name, pid) => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // utime, stime, and those of its children that have ended (a worker's renders and probes)
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0) / ticks;
    used[name] = (used[name] ?? 0) + seconds;
    if (!stat.includes('(node)')) return;
    const schedstat = await readFile(`/proc/${pid}/schedstat`, 'utf8').catch(() => '');
    const [, waitNs, slices] = schedstat.split(' ').map(Number);
    if (slices) waited[name] = { ms: waitNs / 1e6, slices };
  };
  for (const pid of await processesIn(cluster.root)) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    await measure(/(?:^|\0)WORKER_ID=([^\0]*)/.exec(environ)?.[1] ?? 'renders', pid);
  }
  if (gateway?.pid) await measure('gateway', gateway.pid);
  await measure('bench', process.pid);
  for (const pid of await servers(['mariadbd', 'mysqld', 'redis-server'])) {
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
    await measure(comm === 'redis-server' ? 'redis' : 'mariadb', pid);
  }
  const [total] = (await readFile('/proc/stat', 'utf8').catch(() => '')).split('\n');
  const [, user, nice, system, idle, iowait, irq, softirq] = total.split(/\s+/).map(Number);
  return {
    at: Date.now(),
    used,
    waited,
    busy: (user + nice + system + irq + softirq) / ticks,
    all: (user + nice + system + idle + iowait + irq + softirq) / ticks,
  };
}

async function servers(names) {
  const pids = (await readdir('/proc').catch(() => [])).filter((name) => /^\d+$/.test(name));
  const found = [];
  for (const pid of pids) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (names.includes(comm.trim())) found.push(pid);
  }
  return found;
}

function byName([a], [b]) {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** CPU seconds by process between two cpuTimes(), and what the rest of the machine used. */
function describeCpu(before, after) {
  const used = Object.entries(after.used)
    .map(([name, seconds]) => [name, seconds - (before.used[name] ?? 0)])
    .sort(byName);
  const ours = used.reduce((sum, [, seconds]) => sum + seconds, 0);
  const busy = after.busy - before.busy;
  const all = after.all - before.all;
  if (all <= 0) return 'not available (no /proc)';
  return [
    ...used.filter(([, seconds]) => seconds >= 0.05).map(([name, s]) => `${name} ${s.toFixed(1)}`),
    `anything else ${Math.max(0, busy - ours).toFixed(1)}`,
    `machine ${busy.toFixed(1)} of ${all.toFixed(1)} (${Math.round((100 * busy) / all)}% busy)`,
  ].join(', ');
}

/** Per Node process: the time its event loop waited for a CPU, in all and per time it ran. */
function describeWaits(before, after) {
  const waits = Object.entries(after.waited)
    .filter(([name]) => before.waited[name])
    .sort(byName)
    .map(([name, { ms, slices }]) => {
      const waitedMs = ms - before.waited[name].ms;
      const perRun = waitedMs / Math.max(1, slices - before.waited[name].slices);
      return `${name} ${Math.round(waitedMs)} ms (${perRun.toFixed(2)} ms a run)`;
    });
  return waits.length > 0 ? waits.join(', ') : 'not available (no /proc schedstat)';
}

function figures(values) {
  if (values.length === 0) return 'no samples';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1);
  return `n ${String(sorted.length).padStart(4)}   p50 ${at(50)} ms   p99 ${at(99)} ms   max ${at(100)} ms`;
}

/** How many, and of what: `3 (429 ×2, ECONNRESET ×1)`. */
function tally(values) {
  if (values.length === 0) return '0';
  const counts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return `${values.length} (${Object.entries(counts)
    .map(([what, n]) => `${what} ×${n}`)
    .join(', ')})`;
}

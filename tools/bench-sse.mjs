#!/usr/bin/env node
// Benchmark of the job event streams (SSE) at scale, printing figures (never asserting them:
// machines are shared and noisy). For each combination of BENCH_STREAMS and BENCH_USERS it starts
// the built server (dist/api/main.js; `npm run bench:sse` builds it first) in the embedded shape:
// SQLite in a fresh data folder, the in-process queue and events, jobs run as in production on an
// upstream video service, the fake gateway (openai-videos, new-api dialect) in a process of its
// own, as `npm run bench:scaled` does. Client processes of this script (BENCH_CLIENTS, so that no
// one event loop holds thousands of sockets) open the streams of GET /api/jobs/stream, each with
// a Bearer token: N streams round robin over U users, plus 10 of a watcher, one more user. Then:
//   baseline  before any stream opens, a warm-up burst and BENCH_BURST_ROUNDS bursts (BENCH_BURST
//             jobs of other users and one of the watcher, sent at once, each burst once the one
//             before has ended), then 3 s idle: the server CPU a job costs without streams;
//   idle      the server's VmRSS before opening the streams and after BENCH_SETTLE_SECONDS with
//             them open and idle (two heartbeat periods by default, so pings are in the figure):
//             the delta per stream; then its heap after a full GC (the server runs with
//             --expose-gc and a probe that answers process.memoryUsage() on its IPC channel);
//   (a)       one job of user 1, whose events go to its N / U streams;
//   (b)       the baseline's bursts again, with the streams open. The burst's users are users
//             2-51 when U > 50, whose events go to their own streams; else users of their own,
//             who open one stream each just before.
// Latency is from the job's own stamps, which the server takes just before it writes the row and
// publishes the event (createdAt → the `status` queued event, startedAt → the first `status`
// running event, finishedAt → `succeeded`), to the event's arrival at a stream's client: the
// server and the clients read the same clock. Stamps are whole milliseconds. Server CPU is the
// utime + stime of the server process (its ffprobe/ffmpeg children are shown apart); what the
// events cost is that, less what the open streams cost idle and the jobs cost without streams,
// per event published (once, whatever the streams) and per event delivered (to one stream).
// Settings: BENCH_STREAMS (2000,10000), BENCH_USERS (1,1000), BENCH_BURST (50),
// BENCH_BURST_ROUNDS (3), BENCH_SETTLE_SECONDS (30), BENCH_CLIENTS (4), BENCH_OPEN_CONCURRENCY
// (64 streams being opened at once), BENCH_JOB_MS (1500: the gateway's generation time),
// BENCH_JOB_CONCURRENCY (64: a burst runs at once), SSE_HEARTBEAT_SECONDS (the server's default).
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const list = (value) => value.split(',').map(Number);
const STREAMS = list(process.env.BENCH_STREAMS || '2000,10000');
const USERS = list(process.env.BENCH_USERS || '1,1000');
const BURST = Number(process.env.BENCH_BURST || 50);
const BURST_ROUNDS = Number(process.env.BENCH_BURST_ROUNDS || 3);
const WATCHER_STREAMS = 10;
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS || 30);
const CLIENTS = Number(process.env.BENCH_CLIENTS || 4);
const OPEN_CONCURRENCY = Number(process.env.BENCH_OPEN_CONCURRENCY || 64);
const JOB_MS = Number(process.env.BENCH_JOB_MS || 1500);
const JOB_CONCURRENCY = Number(process.env.BENCH_JOB_CONCURRENCY || 64);
const PHASE_TIMEOUT_MS = 120_000;
const KINDS = ['created', 'started', 'finished'];
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
const TICKS = 100;
const root = resolve(import.meta.dirname, '..');
// Answers `memory` on the server's IPC channel; unref'd so that the channel keeps nothing alive.
const PROBE = `data:text/javascript,${encodeURIComponent(
  "process.on('message', (m) => { if (m === 'memory') { gc(); " +
    'process.send(process.memoryUsage()); } });' +
    'process.channel.unref();',
)}`;

/** What an interrupted run must still undo: the processes it started and the server's folder. */
const cleanups = new Set();
const interrupted = () => {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // Already gone.
    }
  }
  process.exit(130);
};

async function benchmark() {
  process.env.SWC_NODE_PROJECT ||= join(root, 'tsconfig.base.json');
  const require = createRequire(import.meta.url);
  require('@swc-node/register');
  const { GatewayProcess } = require('../api/e2e-scaled/support/gateway-process.ts');
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  const gateway = await GatewayProcess.start({ jobDurationMs: JOB_MS, videosDialect: 'new-api' });
  const stopGateway = () => process.kill(gateway.pid, 'SIGKILL');
  cleanups.add(stopGateway);
  try {
    const load = loadavg().map((l) => l.toFixed(2));
    console.log(
      `\nSSE streams (GET /api/jobs/stream): embedded shape, one server process ` +
        `(dist/api/main.js, SQLite); jobs: openai-videos on the fake gateway (new-api, its own ` +
        `process, BENCH_JOB_MS=${JOB_MS}, UPSTREAM_POLL_INTERVAL_SECONDS=1), ` +
        `JOB_CONCURRENCY=${JOB_CONCURRENCY}; BENCH_BURST=${BURST} ` +
        `BENCH_BURST_ROUNDS=${BURST_ROUNDS} BENCH_SETTLE_SECONDS=${SETTLE_SECONDS} ` +
        `BENCH_CLIENTS=${CLIENTS} client processes; ` +
        `SSE_HEARTBEAT_SECONDS=${process.env.SSE_HEARTBEAT_SECONDS || 'default'}; ` +
        `${availableParallelism()} CPUs (${cpus()[0]?.model.trim()}); ulimit -n ` +
        `${await openFileLimit()}; load average ${load.join(' ')}`,
    );
    for (const streams of STREAMS)
      for (const users of USERS) await combination(gateway, streams, users);
  } finally {
    cleanups.delete(stopGateway);
    await gateway.close();
  }
}

async function combination(gateway, streamCount, userCount) {
  const limits = {
    perUser: Math.max(Math.ceil(streamCount / userCount), WATCHER_STREAMS),
    all: streamCount + WATCHER_STREAMS + BURST,
  };
  const server = await Server.start(gateway, limits);
  const clients = Array.from({ length: CLIENTS }, () => new Client());
  try {
    console.log(
      `\n── ${streamCount} streams over ${userCount} user(s), + ${WATCHER_STREAMS} of the ` +
        `watcher (one more user); SSE_MAX_STREAMS_PER_USER=${limits.perUser} ` +
        `SSE_MAX_STREAMS=${limits.all} ──`,
    );
    const run = await setUp(server, clients, gateway, streamCount, userCount);
    const jobMs = await measureBaseline(run);
    const idleRate = await measureIdle(run);
    await measureFanOut(run, idleRate, jobMs);
    await measureBursts(run, idleRate, jobMs);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await server.stop();
  }
}

/** Registers the users and lays the streams out over them. */
async function setUp(server, clients, gateway, streamCount, userCount) {
  // With more than BURST users, the burst's users are users 2-51, who watch their jobs on their
  // own streams; else BURST users more, who open one stream each just before the burst.
  const burstHasStreams = userCount > BURST;
  const registering = performance.now();
  const users = await register(server, userCount + 1 + (burstHasStreams ? 0 : BURST));
  const watcher = users[userCount];
  const burst = burstHasStreams ? users.slice(1, BURST + 1) : users.slice(userCount + 1);
  const groupOf = (user) => (user === 0 ? 'first' : user <= BURST ? 'burst' : 'other');
  return {
    server,
    clients,
    streamCount,
    userCount,
    users,
    burst,
    burstHasStreams,
    registeredIn: seconds(performance.now() - registering),
    burstJobs: [...burst.slice(0, BURST / 2), watcher, ...burst.slice(BURST / 2)],
    streams: [
      ...Array.from({ length: streamCount }, (_, i) => ({
        token: users[i % userCount].token,
        group: groupOf(i % userCount),
      })),
      ...Array.from({ length: WATCHER_STREAMS }, () => ({
        token: watcher.token,
        group: 'watcher',
      })),
    ],
    phase: () => Phase.start(server, clients, gateway.pid),
  };
}

/** BURST_ROUNDS bursts, each once the one before has ended; `watching`: the watcher's streams. */
async function runBursts({ server, clients, burstJobs }, watching) {
  for (let round = 1; round <= BURST_ROUNDS; round++) {
    await server.submit(burstJobs);
    if (watching)
      await waitUntil(async () => (await terminals(clients)).watcher >= round * watching);
    await server.waitForJobs();
  }
}

/** The server CPU a job costs with no stream open, less what the server spends idle. */
async function measureBaseline(run) {
  await runBursts(run, 0);
  const baseline = await run.phase();
  await runBursts(run, 0);
  const base = await baseline.end();
  const quiet = await run.phase();
  await sleep(3000);
  const idle = await quiet.end();
  const jobs = BURST_ROUNDS * run.burstJobs.length;
  const jobMs = (base.server.ownMs - (rate(idle) * base.ms) / 1000) / jobs;
  console.log(
    `  ${run.users.length} users registered in ${run.registeredIn} s; no stream open yet: a ` +
      `warm-up burst, then ${BURST_ROUNDS} bursts of ${run.burstJobs.length} jobs at once: ` +
      `server CPU ${Math.round(base.server.ownMs)} ms in ${seconds(base.ms)} s, idle ` +
      `${rate(idle).toFixed(1)} ms/s → ${jobMs.toFixed(1)} ms a job (its children ` +
      `${(base.server.childrenMs / jobs).toFixed(1)} ms)`,
  );
  return jobMs;
}

/** Opens the streams and measures what they cost idle; returns the server's CPU ms a second. */
async function measureIdle(run) {
  const { server, clients } = run;
  const rssBefore = await server.rssKb();
  const heapBefore = await server.memory();
  const opening = await run.phase();
  const connected = await openStreams(server, clients, run.streams);
  const opened = await opening.end();
  console.log(
    `  connected ${connected} of ${run.streams.length} in ${seconds(opened.ms)} s; the server ` +
      `counts ${await server.metric('vidgen_sse_streams_open')} open; server CPU ` +
      `${(opened.server.ownMs / connected).toFixed(2)} ms a stream opened`,
  );
  const idle = await run.phase();
  await sleep(SETTLE_SECONDS * 1000);
  const rssAfter = await server.rssKb();
  const settled = await idle.end();
  const heapAfter = await server.memory();
  const perStream = (kb) => `${(kb / connected).toFixed(1)} KB a stream`;
  const heapDelta = (heapAfter.heapUsed - heapBefore.heapUsed) / 1024;
  const rssGcDelta = (heapAfter.rss - heapBefore.rss) / 1024;
  console.log(`Idle streams, after ${SETTLE_SECONDS} s`);
  console.log(
    `  server VmRSS ${mb(rssBefore)} → ${mb(rssAfter)} MB: +${mb(rssAfter - rssBefore)} MB, ` +
      `${perStream(rssAfter - rssBefore)}`,
  );
  console.log(
    `  after a full GC: heap used ${mb(heapBefore.heapUsed / 1024)} → ` +
      `${mb(heapAfter.heapUsed / 1024)} MB (${perStream(heapDelta)}), RSS ` +
      `+${mb(rssGcDelta)} MB (${perStream(rssGcDelta)}), external and array buffers ` +
      `+${mb((heapAfter.external - heapBefore.external) / 1024)} MB`,
  );
  console.log(
    `  server CPU ${rate(settled).toFixed(1)} ms/s; ${settled.pings} pings received, ` +
      `${settled.ended} streams ended by the server; ${settled.clients}`,
  );
  return rate(settled);
}

/** (a) One job of user 1, to all of its streams. */
async function measureFanOut(run, idleRate, jobMs) {
  const expected = run.streams.filter(({ group }) => group === 'first').length;
  const fanOutJob = async () => {
    await run.server.submit([run.users[0]]);
    await waitUntil(async () => (await terminals(run.clients)).first >= expected);
  };
  // The code that writes to streams has not run yet: its first run is that of a cold server.
  await fanOutJob();
  const fanOut = await run.phase();
  await fanOutJob();
  const a = await fanOut.end();
  console.log(`(a) one job of user 1 → its ${expected} streams (after one unmeasured job)`);
  console.log(
    `  received: created by ${a.latency.first?.created?.length ?? 0}, terminal by ` +
      `${a.terminal.first ?? 0} of ${expected} streams`,
  );
  printLatency('fan-out, stamp → client', a.latency.first);
  printSpread(a.events, 'first');
  printCpu(a, idleRate, jobMs, 1);
}

/** (b) The bursts of other users' jobs, while the watcher watches one job of its own in each. */
async function measureBursts(run, idleRate, jobMs) {
  if (!run.burstHasStreams) {
    const streams = run.burst.map(({ token }) => ({ token, group: 'burst' }));
    await openStreams(run.server, run.clients, streams);
  }
  const bursts = await run.phase();
  await runBursts(run, WATCHER_STREAMS);
  const b = await bursts.end();
  const whose = run.burstHasStreams
    ? `users 2-${BURST + 1}, ${run.streamCount / run.userCount} streams each`
    : 'one stream each';
  console.log(
    `(b) ${BURST_ROUNDS} bursts: ${BURST} jobs of ${BURST} other users (${whose}) at once, ` +
      `with one job of the watcher (${WATCHER_STREAMS} streams)`,
  );
  console.log(
    `  received: the watcher's terminal events by ${b.terminal.watcher ?? 0} of ` +
      `${WATCHER_STREAMS * BURST_ROUNDS}`,
  );
  printLatency("the watcher's streams, stamp → client", b.latency.watcher);
  printLatency("the burst users' streams", b.latency.burst, true);
  printCpu(b, idleRate, jobMs, BURST_ROUNDS * run.burstJobs.length);
}

/** Opens the streams, spread over the clients; prints the failures, returns how many opened. */
async function openStreams(server, clients, streams) {
  const opened = await Promise.all(
    clients.map((client, c) =>
      client.ask({
        type: 'open',
        base: server.url,
        streams: streams.filter((_, i) => i % clients.length === c),
        concurrency: Math.ceil(OPEN_CONCURRENCY / clients.length),
      }),
    ),
  );
  const failures = merge(opened.map(({ failures }) => failures));
  if (Object.keys(failures).length > 0)
    console.log(`  streams that failed to open: ${describeCounts(failures)}`);
  return total(opened.map(({ opened }) => opened));
}

/** The server's CPU ms a second over a phase. */
function rate(phase) {
  return phase.server.ownMs / (phase.ms / 1000);
}

/** One measured stretch: server, clients and machine CPU, and what the clients received. */
class Phase {
  /** Resets the clients' tallies and takes the CPU readings the phase is measured from. */
  static async start(server, clients, gatewayPid) {
    const [before] = await Promise.all([
      cpuReadings(server, gatewayPid),
      ...clients.map((client) => client.ask({ type: 'report' })),
    ]);
    return new Phase(server, clients, gatewayPid, before);
  }

  constructor(server, clients, gatewayPid, before) {
    this.server = server;
    this.clients = clients;
    this.gatewayPid = gatewayPid;
    this.before = before;
    this.startedAt = performance.now();
  }

  async end() {
    const ms = performance.now() - this.startedAt;
    const { before } = this;
    const after = await cpuReadings(this.server, this.gatewayPid);
    const reports = await Promise.all(this.clients.map((client) => client.ask({ type: 'report' })));
    const clientMs = reports.reduce((sum, report) => sum + report.cpuMs, 0);
    const server = {
      ownMs: after.server.ownMs - before.server.ownMs,
      childrenMs: after.server.childrenMs - before.server.childrenMs,
    };
    const busy = after.machine.busy - before.machine.busy;
    const others =
      busy - server.ownMs - server.childrenMs - clientMs - (after.gateway - before.gateway);
    return {
      ms,
      server,
      clients: `clients: CPU ${Math.round(clientMs)} ms, busiest event loop ${Math.round(
        100 * Math.max(...reports.map((report) => report.elu)),
      )}% used`,
      machine:
        `machine: ${seconds(busy)} of ${seconds(after.machine.all - before.machine.all)} CPU-s ` +
        `busy, ${seconds(Math.max(0, others))} of them by other processes than this ` +
        `benchmark's; load average ${loadavg()[0].toFixed(2)}`,
      received: merge(reports.map((report) => report.received)),
      terminal: merge(reports.map((report) => report.terminal)),
      pings: total(reports.map((report) => report.pings)),
      ended: total(reports.map((report) => report.ended)),
      latency: mergeLatency(reports.map((report) => report.latency)),
      events: mergeEvents(reports.map((report) => report.events)),
    };
  }
}

/** The built server in a data folder of its own, with the probe on its IPC channel. */
class Server {
  /** `limits`: the most streams a user and all users will open. */
  static async start(gateway, limits) {
    const dir = mkdtempSync(join(tmpdir(), 'vidgen-bench-sse-'));
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', PROBE, join(root, 'dist/api/main.js')],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: join(dir, 'data'),
          LOG_LEVEL: 'warn',
          FAST_PASSWORD_HASHING: 'true',
          AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
          MAX_ACTIVE_JOBS_PER_USER: '1000',
          JOB_CONCURRENCY: String(JOB_CONCURRENCY),
          METRICS_ENABLED: 'true',
          VIDEO_PROVIDER: 'openai-videos',
          VIDEO_API_BASE_URL: gateway.url,
          VIDEO_API_KEY: gateway.apiKey,
          UPSTREAM_POLL_INTERVAL_SECONDS: '1',
          // The stream limits must not be what the figures measure: every stream is wanted.
          SSE_MAX_STREAMS_PER_USER: String(limits.perUser),
          SSE_MAX_STREAMS: String(limits.all),
          ...(process.env.SSE_HEARTBEAT_SECONDS && {
            SSE_HEARTBEAT_SECONDS: process.env.SSE_HEARTBEAT_SECONDS,
          }),
        },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    const server = new Server(dir, `http://127.0.0.1:${port}`, child);
    cleanups.add(server.cleanup);
    try {
      await server.waitForHealth();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  constructor(dir, url, child) {
    this.dir = dir;
    this.url = url;
    this.child = child;
    this.output = '';
    this.exited = new Promise((done) => child.once('exit', done));
    this.cleanup = () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    };
    const keep = (chunk) => (this.output = (this.output + chunk).slice(-16_384));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
  }

  async waitForHealth() {
    for (let i = 0; i < 150 && this.child.exitCode === null; i++) {
      if (
        await fetch(`${this.url}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await sleep(200);
    }
    throw new Error(
      `The server did not become healthy (run \`npm run bench:sse\`):\n${this.output}`,
    );
  }

  async submit(users) {
    await Promise.all(
      users.map(async ({ token }, i) => {
        const response = await fetch(`${this.url}/api/videos`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: `Benchmark clip ${i + 1}`, durationSeconds: 4 }),
        });
        if (response.status !== 202) throw new Error(`POST /api/videos: ${response.status}`);
        await response.arrayBuffer();
      }),
    );
  }

  async waitForJobs() {
    await waitUntil(async () => {
      const active = await Promise.all(
        ['queued', 'running'].map((state) => this.metric(`vidgen_jobs{state="${state}"}`)),
      );
      return active[0] + active[1] === 0;
    }, 500);
  }

  async metric(series) {
    const text = await (await fetch(`${this.url}/api/metrics`)).text();
    const line = text.split('\n').find((line) => line.startsWith(`${series} `));
    return Number(line?.slice(series.length + 1));
  }

  /** Process CPU in ms: its own (utime + stime) and its ended children's. */
  async cpu() {
    const fields = await statFields(this.child.pid);
    return {
      ownMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS,
      childrenMs: ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS,
    };
  }

  async rssKb() {
    const status = await readFile(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  }

  /** process.memoryUsage() of the server right after a full GC. */
  memory() {
    return new Promise((done) => {
      this.child.once('message', done);
      this.child.send('memory');
    });
  }

  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(killer);
    rmSync(this.dir, { recursive: true, force: true });
    cleanups.delete(this.cleanup);
  }
}

/** A client process of this script, asked one thing at a time. */
class Client {
  constructor() {
    this.child = fork(fileURLToPath(import.meta.url), ['client'], { stdio: 'inherit' });
    this.replies = [];
    this.child.on('message', (message) => this.replies.shift()?.(message));
    this.exited = new Promise((done) => this.child.once('exit', done));
  }

  ask(message) {
    return new Promise((done) => {
      this.replies.push(done);
      this.child.send(message);
    });
  }

  async close() {
    this.child.kill('SIGTERM');
    await this.exited;
  }
}

/** The client side: holds streams and tallies what arrives on them. */
function serveAsClient() {
  let tally = newTally();
  // Every stream of a user receives the same `data:` line: it is parsed once.
  let described = new Map();

  const describe = (type, data) => {
    let event = described.get(data);
    if (!event) {
      const { job } = JSON.parse(data);
      event = {
        key: `${type} ${job.id} ${job.status} ${job.progress} ${job.stage}`,
        jobId: job.id,
      };
      if (type === 'status' && job.status === 'queued' && job.attempt === 1)
        Object.assign(event, { kind: 'created', stamp: Date.parse(job.createdAt) });
      else if (type === 'status' && job.status === 'running' && job.startedAt)
        Object.assign(event, { kind: 'started', stamp: Date.parse(job.startedAt) });
      else if (type === 'succeeded')
        Object.assign(event, { kind: 'finished', stamp: Date.parse(job.finishedAt) });
      event.terminal = TERMINAL.has(type);
      described.set(data, event);
    }
    return event;
  };

  const receive = (stream, block, at) => {
    let type;
    let data;
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) type = line.slice(7);
      else if (line.startsWith('data: ')) data = line.slice(6);
    }
    if (type === 'ping') tally.pings++;
    if (!data || type === 'ping' || type === 'snapshot') return;
    const event = describe(type, data);
    const { group } = stream;
    tally.received[group] = (tally.received[group] ?? 0) + 1;
    // Later `status` events of a running job (a new stage) are not its start.
    const first = event.kind !== 'started' || !stream.started.has(event.jobId);
    if (event.kind && first) {
      if (event.kind === 'started') stream.started.add(event.jobId);
      ((tally.latency[group] ??= {})[event.kind] ??= []).push(at - event.stamp);
    }
    const spread = (tally.events[event.key] ??= [group, at, at]);
    spread[1] = Math.min(spread[1], at);
    spread[2] = Math.max(spread[2], at);
    if (event.terminal) tally.terminal[group] = (tally.terminal[group] ?? 0) + 1;
  };

  // Raw sockets rather than node:http: a response's parser and streams cost the client more CPU
  // per event than the server spends writing it, and the client shares the machine's CPUs.
  const open = ({ token, group }, base) =>
    new Promise((done) => {
      const { hostname, port, host } = new URL(base);
      const stream = { group, started: new Set() };
      const socket = connect(Number(port), hostname);
      // Latin-1 keeps string lengths equal to byte counts, which the chunk sizes count; every
      // field read here is ASCII.
      socket.setEncoding('latin1');
      let head = '';
      let chunked = false;
      let raw = '';
      let text = '';
      socket.on('connect', () =>
        socket.write(
          `GET /api/jobs/stream HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\n` +
            'Accept: text/event-stream\r\n\r\n',
        ),
      );
      socket.on('data', (chunk) => {
        const at = performance.timeOrigin + performance.now();
        if (head !== null) {
          head += chunk;
          const end = head.indexOf('\r\n\r\n');
          if (end === -1) return;
          const status = head.slice(9, 12);
          if (status !== '200') {
            socket.destroy();
            return done(status);
          }
          chunked = /\r\ntransfer-encoding: *chunked/i.test(head.slice(0, end));
          chunk = head.slice(end + 4);
          head = null;
          done(null);
        }
        if (chunked) {
          raw += chunk;
          for (let line = raw.indexOf('\r\n'); line !== -1; line = raw.indexOf('\r\n')) {
            const size = parseInt(raw.slice(0, line), 16);
            if (raw.length < line + size + 4) break;
            text += raw.slice(line + 2, line + 2 + size);
            raw = raw.slice(line + size + 4);
          }
        } else text += chunk;
        for (let end = text.indexOf('\n\n'); end !== -1; end = text.indexOf('\n\n')) {
          receive(stream, text.slice(0, end), at);
          text = text.slice(end + 2);
        }
      });
      socket.on('end', () => tally.ended++);
      socket.on('error', (error) => head !== null && done(error.code ?? error.message));
    });

  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message) => {
    if (message.type === 'open') {
      const failures = {};
      let opened = 0;
      let next = 0;
      const opener = async () => {
        while (next < message.streams.length) {
          const failure = await open(message.streams[next++], message.base);
          if (failure) failures[failure] = (failures[failure] ?? 0) + 1;
          else opened++;
        }
      };
      await Promise.all(Array.from({ length: message.concurrency }, opener));
      process.send({ opened, failures });
    } else if (message.type === 'terminals') {
      process.send(tally.terminal);
    } else if (message.type === 'report') {
      const cpu = process.cpuUsage(tally.cpu);
      const elu = performance.eventLoopUtilization(tally.elu).utilization;
      process.send({ ...tally, cpuMs: (cpu.user + cpu.system) / 1000, elu });
      tally = newTally();
      described = new Map();
    }
  });

  function newTally() {
    return {
      cpu: process.cpuUsage(),
      elu: performance.eventLoopUtilization(),
      received: {},
      terminal: {},
      latency: {},
      events: {},
      pings: 0,
      ended: 0,
    };
  }
}

async function register(server, count) {
  const users = [];
  let next = 0;
  const stamp = Date.now();
  const registrar = async () => {
    while (next < count) {
      const i = next++;
      const response = await fetch(`${server.url}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `bench-${i}-${stamp}@example.com`,
          password: 'bench-password',
        }),
      });
      if (response.status !== 201) throw new Error(`register answered ${response.status}`);
      users[i] = { token: (await response.json()).accessToken };
    }
  };
  await Promise.all(Array.from({ length: 16 }, registrar));
  return users;
}

async function terminals(clients) {
  return merge(await Promise.all(clients.map((client) => client.ask({ type: 'terminals' }))));
}

async function waitUntil(done, everyMs = 100) {
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  while (!(await done())) {
    if (Date.now() > deadline) {
      console.log(`  (gave up waiting after ${PHASE_TIMEOUT_MS / 1000} s)`);
      return;
    }
    await sleep(everyMs);
  }
}

function printLatency(title, byKind = {}, allOnly = false) {
  console.log(`  ${title}`);
  const all = KINDS.flatMap((kind) => byKind[kind] ?? []);
  if (!allOnly)
    for (const kind of KINDS) console.log(`    ${kind.padEnd(9)}${figures(byKind[kind] ?? [])}`);
  console.log(`    ${'all'.padEnd(9)}${figures(all)}`);
}

function printSpread(events, group) {
  const spreads = Object.values(events)
    .filter(([owner]) => owner === group)
    .map(([, first, last]) => last - first);
  console.log(`  spread, first → last stream of each event: ${figures(spreads)}`);
}

/**
 * The server's CPU over a phase, and what the events cost: less what the open streams cost idle
 * and what the jobs cost without streams.
 */
function printCpu(phase, idleRate, jobMs, jobs) {
  const published = Object.keys(phase.events).length;
  const delivered = total(phase.received);
  const net = phase.server.ownMs - idleRate * (phase.ms / 1000) - jobMs * jobs;
  console.log(
    `  server CPU ${Math.round(phase.server.ownMs)} ms in ${seconds(phase.ms)} s (its children ` +
      `${Math.round(phase.server.childrenMs)} ms): ` +
      `${(phase.server.ownMs / delivered).toFixed(3)} ` +
      `ms a delivered event; less idle (${idleRate.toFixed(1)} ms/s) and jobs ` +
      `(${jobMs.toFixed(1)} ms each): ${Math.round(net)} ms for ${published} events published ` +
      `and ${delivered} delivered, ${(net / published).toFixed(3)} ms an event published, ` +
      `${(net / delivered).toFixed(3)} ms an event delivered`,
  );
  console.log(`  ${phase.clients}; ${phase.machine}`);
}

function mergeLatency(all) {
  const merged = {};
  for (const byGroup of all)
    for (const [group, byKind] of Object.entries(byGroup))
      for (const [kind, values] of Object.entries(byKind))
        ((merged[group] ??= {})[kind] ??= []).push(...values);
  return merged;
}

function mergeEvents(all) {
  const merged = {};
  for (const events of all)
    for (const [key, [group, first, last]] of Object.entries(events)) {
      const seen = (merged[key] ??= [group, first, last]);
      seen[1] = Math.min(seen[1], first);
      seen[2] = Math.max(seen[2], last);
    }
  return merged;
}

function merge(counts) {
  const merged = {};
  for (const byName of counts)
    for (const [name, n] of Object.entries(byName)) merged[name] = (merged[name] ?? 0) + n;
  return merged;
}

function total(values) {
  return (Array.isArray(values) ? values : Object.values(values)).reduce((sum, n) => sum + n, 0);
}

function describeCounts(counts) {
  const entries = Object.entries(counts);
  return entries.length === 0 ? '0' : entries.map(([what, n]) => `${what} ×${n}`).join(', ');
}

function figures(values) {
  if (values.length === 0) return 'no samples';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1);
  const n = String(sorted.length).padStart(5);
  return `n ${n}   p50 ${at(50)} ms   p99 ${at(99)} ms   max ${at(100)} ms`;
}

function seconds(ms) {
  return (ms / 1000).toFixed(1);
}

function mb(kb) {
  return (kb / 1024).toFixed(1);
}

async function statFields(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

async function processCpu(pid) {
  const fields = await statFields(pid);
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS || 0;
}

async function cpuReadings(server, gatewayPid) {
  const [serverCpu, machine, gateway] = await Promise.all([
    server.cpu(),
    machineCpu(),
    processCpu(gatewayPid),
  ]);
  return { server: serverCpu, machine, gateway };
}

/** Busy and all CPU time of the machine so far, in ms. */
async function machineCpu() {
  const [line] = (await readFile('/proc/stat', 'utf8')).split('\n');
  const [, user, nice, system, idle, iowait, irq, softirq] = line.split(/\s+/).map(Number);
  const busy = ((user + nice + system + irq + softirq) * 1000) / TICKS;
  return { busy, all: busy + ((idle + iowait) * 1000) / TICKS };
}

async function openFileLimit() {
  const limits = await readFile('/proc/self/limits', 'utf8').catch(() => '');
  return /Max open files\s+(\d+)/.exec(limits)?.[1] ?? 'unknown';
}

async function freePort() {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

// Last: the classes above are not hoisted.
if (process.argv[2] === 'client') serveAsClient();
else await benchmark();

#!/usr/bin/env node
// Chaos run of the scaled shape: API and worker processes of the built app (dist/api/main.js;
// `npm run chaos:workers` builds it first) on a MySQL/MariaDB database and a Redis key prefix of
// their own. It submits CHAOS_JOBS jobs across several users while, for CHAOS_SECONDS, workers
// are killed with SIGKILL (with their renders) at random and started again; then it waits until
// no job is queued or running and prints exactly one line on stdout:
//
//   jobs N, succeeded S, failed F, lost L, duplicated D
//
// lost: a job neither succeeded nor failed in the end, a succeeded one whose file is missing, or a
// submission that was not accepted; duplicated: a video with more than one stored file pair or more
// than one succeeded job. The exit code is 0 only when every job succeeded exactly once. What
// happened along the way goes to stderr; the processes' logs stay in tmp/e2e-scaled/chaos.
//
// Settings, from the environment or as arguments (--jobs 12 --seconds 20 ...):
//   CHAOS_JOBS 40, CHAOS_SECONDS 60, CHAOS_USERS 4, CHAOS_APIS 2, CHAOS_WORKERS 3,
//   CHAOS_LEASE_SECONDS 5, CHAOS_KILL_EVERY_SECONDS 3 (on average), CHAOS_MAX_CLIP_SECONDS 3,
//   CHAOS_SETTLE_SECONDS 300 (how long the jobs may take to end after the chaos), CHAOS_SEED
//   TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306), TEST_REDIS_URL (redis://127.0.0.1:6379)
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const settings = readSettings({
  jobs: 40,
  seconds: 60,
  users: 4,
  apis: 2,
  workers: 3,
  'lease-seconds': 5,
  'kill-every-seconds': 3,
  'max-clip-seconds': 3,
  'settle-seconds': 300,
  seed: Math.floor(Math.random() * 2 ** 31),
});

// The scaled suite's cluster helper, in TypeScript, as the e2e suites run it.
process.env.TEST_MYSQL_URL ||= 'mysql://root@127.0.0.1:3306';
process.env.SWC_NODE_PROJECT ||= join(root, 'tsconfig.base.json');
const require = createRequire(import.meta.url);
require('@swc-node/register');
const { Cluster, sleep } = require('../api/e2e-scaled/support/cluster.ts');
const { filesIn } = require('../api/e2e/support/media.ts');

const random = mulberry32(settings.seed);
const startedAt = Date.now();
const say = (text) =>
  process.stderr.write(`[chaos ${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${text}\n`);

say(`settings ${JSON.stringify(settings)}`);
const cluster = await Cluster.start({
  label: 'chaos',
  apis: settings.apis,
  workers: settings.workers,
  env: {
    JOB_LEASE_SECONDS: String(settings['lease-seconds']),
    MAX_ACTIVE_JOBS_PER_USER: '1000',
  },
});
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    interrupted = true;
    say(`${signal}: removing the cluster`);
    cluster.close().finally(() => process.exit(130));
  });
}

let exitCode = 1;
try {
  const users = await Promise.all(
    Array.from({ length: settings.users }, (_, i) => register(pick(cluster.apis), i)),
  );
  const chaosEnds = Date.now() + settings.seconds * 1000;
  const kills = { count: 0 };
  // Submissions spread over the first two thirds, so that kills find jobs at every stage.
  const spacing = (settings.seconds * 1000 * 2) / 3 / settings.jobs;
  const [submitted] = await Promise.all([
    Promise.all(
      Array.from({ length: settings.jobs }, async (_, i) => {
        await sleep(i * spacing);
        return submit(users[i % users.length], i);
      }),
    ),
    killWorkers(chaosEnds, kills),
  ]);
  for (const worker of cluster.workers) if (!worker.running) await restartQuietly(worker);
  say(`chaos over after ${kills.count} kills; waiting for the jobs to end`);
  await settle();
  const tally = await count(submitted);
  say(`${tally.takenOver} jobs were taken over (attempt > 1)`);
  const { jobs, succeeded, failed, lost, duplicated } = tally;
  console.log(
    `jobs ${jobs}, succeeded ${succeeded}, failed ${failed}, lost ${lost}, duplicated ${duplicated}`,
  );
  exitCode = succeeded === jobs && failed + lost + duplicated === 0 ? 0 : 1;
} finally {
  if (!interrupted) await cluster.close();
}
process.exit(exitCode);

async function register(api, i) {
  const response = await fetch(`${api.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `chaos-${i}-${Date.now()}@example.com`,
      password: 'chaos-password',
    }),
  });
  if (response.status !== 201) throw new Error(`register answered ${response.status}`);
  const { accessToken, user } = await response.json();
  return { token: accessToken, id: user.id };
}

/** POST /api/videos on a random API; what was accepted, or null. */
async function submit(user, i) {
  const api = pick(cluster.apis);
  try {
    const response = await fetch(`${api.url}/api/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        prompt: `Chaos clip ${i + 1}`,
        orientation: pick(['portrait', 'landscape']),
        durationSeconds: 1 + Math.floor(random() * settings['max-clip-seconds']),
      }),
    });
    if (response.status !== 202) {
      say(`submission ${i + 1} to ${api.name} answered ${response.status}`);
      return null;
    }
    const { video, job } = await response.json();
    return { userId: user.id, videoId: video.id, jobId: job.id };
  } catch (error) {
    say(`submission ${i + 1} to ${api.name} failed: ${error.message}`);
    return null;
  }
}

/** Until `until`, SIGKILLs a random live worker now and then and starts it again a bit later. */
async function killWorkers(until, kills) {
  const restarts = [];
  const mean = settings['kill-every-seconds'] * 1000;
  while (Date.now() < until) {
    await sleep(mean * (0.3 + 1.4 * random()));
    const alive = cluster.workers.filter((worker) => worker.running);
    if (alive.length === 0 || Date.now() >= until) continue;
    const victim = pick(alive);
    await victim.kill();
    kills.count++;
    say(`killed ${victim.workerId}`);
    restarts.push(sleep(500 + 2500 * random()).then(() => restartQuietly(victim)));
  }
  await Promise.all(restarts);
}

/** A worker killed again while it starts is started again by that kill's own restart. */
async function restartQuietly(worker) {
  try {
    const next = await cluster.restart(worker);
    say(`started ${next.workerId}`);
  } catch (error) {
    say(`${worker.name} did not come up: ${error.message.split('\n')[0]}`);
  }
}

async function settle() {
  const deadline = Date.now() + settings['settle-seconds'] * 1000;
  for (;;) {
    const [{ active }] = await cluster.db.select(
      "SELECT COUNT(*) AS active FROM video_jobs WHERE status IN ('queued', 'running')",
    );
    if (Number(active) === 0) return;
    if (Date.now() > deadline) {
      say(`gave up waiting: ${active} jobs still queued or running`);
      return;
    }
    await sleep(500);
  }
}

async function count(submitted) {
  const jobs = await cluster.db.select(
    'SELECT id, video_id, status, attempt, error_message FROM video_jobs',
  );
  const videos = await cluster.db.select('SELECT id, file_key FROM videos');
  const tally = { jobs: settings.jobs, succeeded: 0, failed: 0, lost: 0, duplicated: 0 };
  tally.takenOver = jobs.filter((job) => Number(job.attempt) > 1).length;
  for (const [i, entry] of submitted.entries()) {
    if (!entry) {
      tally.lost++;
      continue;
    }
    const ofVideo = jobs.filter((job) => job.video_id === entry.videoId);
    const wins = ofVideo.filter((job) => job.status === 'succeeded');
    const files = await filesIn(join(cluster.dataDir, 'videos', entry.userId, entry.videoId));
    const clips = files.filter((name) => name.endsWith('.mp4'));
    const thumbnails = files.filter((name) => name.endsWith('.jpg'));
    const fileKey = videos.find((video) => video.id === entry.videoId)?.file_key;
    if (wins.length > 0 && fileKey && clips.includes(basename(fileKey))) {
      tally.succeeded++;
    } else if (wins.length > 0) {
      tally.lost++;
      say(`job ${i + 1} succeeded, but its file is not there (${fileKey}; ${files.join(', ')})`);
    } else if (ofVideo.some((job) => job.status === 'failed')) {
      tally.failed++;
      say(`job ${i + 1} failed: ${ofVideo.map((job) => job.error_message).join('; ')}`);
    } else {
      tally.lost++;
      say(`job ${i + 1} ended ${ofVideo.map((job) => job.status).join(', ') || 'missing'}`);
    }
    if (wins.length > 1 || clips.length > 1 || thumbnails.length > 1) {
      tally.duplicated++;
      say(`job ${i + 1}: ${wins.length} succeeded jobs, files ${files.join(', ')}`);
    }
  }
  return tally;
}

function pick(list) {
  return list[Math.floor(random() * list.length)];
}

/** A small seeded generator, so that CHAOS_SEED repeats a run's choices. */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each setting from --name, else CHAOS_NAME, else its default; all are whole numbers. */
function readSettings(defaults) {
  const { values } = parseArgs({
    options: Object.fromEntries(Object.keys(defaults).map((name) => [name, { type: 'string' }])),
  });
  return Object.fromEntries(
    Object.entries(defaults).map(([name, fallback]) => {
      const raw = values[name] ?? process.env[`CHAOS_${name.toUpperCase().replace(/-/g, '_')}`];
      if (raw === undefined || raw === '') return [name, fallback];
      const value = Number(raw);
      if (!Number.isInteger(value) || value < (name === 'seed' ? 0 : 1)) {
        console.error(`${name} must be a whole number (at least 1), got "${raw}"`);
        process.exit(2);
      }
      return [name, value];
    }),
  );
}

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestApp } from '../../e2e/support/app';
import { createMysqlDatabase, TestDatabase } from '../../e2e/support/database';
import { processesIn } from '../../e2e/support/media';
import { freePort } from '../../e2e/support/processes';
import { AppConfig, loadConfig, RedisConfig } from '../../src/config/app-config';
import { JobFollower, JobRow } from './job-rows';
import { deleteKeys, testRedisUrl } from './redis';

const ROOT = resolve(__dirname, '../../..');

/** The built server: the suite runs what a deployment runs (`npx nx build api`). */
export const MAIN = join(ROOT, 'dist/api/main.js');

/** Each cluster's process logs, kept after the run for a look at what went wrong. */
const LOG_ROOT = join(ROOT, 'tmp/e2e-scaled');

/** How much of a process's output is kept in memory for failure messages. */
const OUTPUT_KEPT = 64 * 1024;

/** Settings every process gets unless the cluster or the process says otherwise. */
const DEFAULTS: Record<string, string> = {
  VIDEO_PROVIDER: 'local',
  FAST_PASSWORD_HASHING: 'true',
  LOG_LEVEL: 'info',
  // Short, so a dead worker's jobs come back within seconds.
  JOB_LEASE_SECONDS: '5',
  JOB_SHUTDOWN_GRACE_SECONDS: '1',
  // Every client is 127.0.0.1; tests that count requests set a limit of their own.
  AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
};

export type Role = 'api' | 'worker';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the exit was seen. */
  at: number;
}

interface ProcessOptions {
  /** e.g. `api-1`, `worker-2`: stays the same across restarts. */
  name: string;
  role: Role;
  port: number;
  /** WORKER_ID of this start. */
  workerId: string;
  env: Record<string, string>;
  cwd: string;
  /** Appended to, across restarts. */
  logFile: string;
}

/** One `node dist/api/main.js` of the cluster: an API or a worker, on a port of its own. */
export class PlatformProcess {
  readonly name: string;
  readonly role: Role;
  readonly port: number;
  /** WORKER_ID of this start: what the job rows it runs say in `worker_id`. */
  readonly workerId: string;
  readonly env: Record<string, string>;
  readonly url: string;
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private text = '';

  constructor({ name, role, port, workerId, env, cwd, logFile }: ProcessOptions) {
    this.name = name;
    this.role = role;
    this.port = port;
    this.workerId = workerId;
    this.env = env;
    this.url = `http://127.0.0.1:${port}`;
    const log = createWriteStream(logFile, { flags: 'a' });
    log.write(`\n===== ${new Date().toISOString()} ${workerId} (${role}) on port ${port}\n`);
    // A process group of its own, so that kill() can take its renders down with it.
    this.child = spawn(process.execPath, [MAIN], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      this.text = (this.text + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((done) =>
      this.child.once('exit', (code, signal) => {
        log.end(`===== ${new Date().toISOString()} ${workerId} exited (${signal ?? code})\n`);
        done({ code, signal, at: Date.now() });
      }),
    );
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The latest output, stdout and stderr interleaved. */
  output(): string {
    return this.text;
  }

  /** SIGTERM to the server alone, as an orchestrator stops a container; resolves at once. */
  terminate(): void {
    if (this.running) this.child.kill('SIGTERM');
  }

  /** SIGTERM, then waits for the exit. */
  async stop(): Promise<void> {
    this.terminate();
    await this.exited;
  }

  /** kill -9 of the server and everything it started (its renders), as when a machine is lost. */
  async kill(): Promise<ProcessExit> {
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    return this.exited;
  }

  /** Waits until GET /api/health answers 200 with every check ok. */
  async waitUntilHealthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    for (;;) {
      if (!this.running)
        throw new Error(`${this.workerId} exited before it was healthy:\n${this.output()}`);
      try {
        const response = await fetch(`${this.url}/api/health`);
        last = `${response.status} ${await response.text()}`;
        if (response.status === 200 && last.includes('"status":"ok"')) return;
      } catch (error) {
        last = String(error);
      }
      if (Date.now() > deadline)
        throw new Error(`${this.workerId} was not healthy within ${timeoutMs} ms (${last})`);
      await sleep(100);
    }
  }
}

/** An API process, usable wherever the e2e helpers take an app (they only need its URL). */
export class ApiProcess extends PlatformProcess implements TestApp {
  constructor(
    options: ProcessOptions,
    /** The settings the process runs with, as it reads them. */
    readonly config: AppConfig,
    readonly db: TestDatabase,
  ) {
    super(options);
  }

  get app(): NestFastifyApplication {
    throw new Error(`${this.name} runs in a process of its own: there is no Nest app here`);
  }

  async close(): Promise<void> {
    await this.kill();
  }
}

export interface ClusterOptions {
  /** Names the folder of the process logs: tmp/e2e-scaled/<label>. */
  label: string;
  apis?: number;
  workers?: number;
  /** Settings of every process, over DEFAULTS. */
  env?: Record<string, string>;
  /** The Redis to share; TEST_REDIS_URL (or the local default) unless given. */
  redisUrl?: string;
}

/**
 * API and worker processes of the built app on one fresh MariaDB database (TEST_MYSQL_URL), one
 * Redis key prefix of their own and one shared DATA_DIR, as the scaled shape runs on one
 * machine. close() removes all of it again; the logs stay in tmp/e2e-scaled/<label>.
 */
export class Cluster {
  readonly apis: ApiProcess[] = [];
  readonly workers: PlatformProcess[] = [];
  private readonly starts = new Map<string, number>();
  private readonly named: Record<Role, number> = { api: 0, worker: 0 };
  private closed = false;

  private constructor(
    /** The temporary folder: the processes' working directory, with DATA_DIR inside. */
    readonly root: string,
    readonly dataDir: string,
    readonly db: TestDatabase,
    readonly redis: RedisConfig,
    readonly logDir: string,
    private readonly env: Record<string, string>,
  ) {}

  /** Starts every process at once (they migrate the empty database once, under a lock). */
  static async start(options: ClusterOptions): Promise<Cluster> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx nx build api\` first`);
    const root = await mkdtemp(join(tmpdir(), 'vidgen-scaled-'));
    const logDir = join(LOG_ROOT, options.label);
    await rm(logDir, { recursive: true, force: true });
    await mkdir(logDir, { recursive: true });
    const dataDir = join(root, 'data');
    await mkdir(dataDir);
    const redis = {
      url: options.redisUrl ?? testRedisUrl(),
      keyPrefix: `vidgen-scaled-${randomBytes(6).toString('hex')}`,
    };
    const cluster = new Cluster(
      root,
      dataDir,
      await createMysqlDatabase(),
      redis,
      logDir,
      options.env ?? {},
    );
    // Settled, not all: a failure must not leave the others starting behind close().
    const started = await Promise.allSettled([
      ...Array.from({ length: options.apis ?? 2 }, () => cluster.add('api')),
      ...Array.from({ length: options.workers ?? 2 }, () => cluster.add('worker')),
    ]);
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      await cluster.close();
      throw failure.reason;
    }
    return cluster;
  }

  /** Every process of the cluster that was started last under its name. */
  get processes(): PlatformProcess[] {
    return [...this.apis, ...this.workers];
  }

  /** One more worker, e.g. `worker-3`, healthy when this resolves. */
  startWorker(env: Record<string, string> = {}): Promise<PlatformProcess> {
    return this.add('worker', env);
  }

  /**
   * Starts a stopped process again under its name and port, with a new WORKER_ID
   * (`worker-1.2`), on the cluster's settings plus `env` (not those of its previous start).
   */
  async restart<T extends PlatformProcess>(
    previous: T,
    env: Record<string, string> = {},
  ): Promise<T> {
    if (previous.running) throw new Error(`${previous.workerId} is still running`);
    const next = this.spawn(previous.role, previous.name, previous.port, env);
    const list: PlatformProcess[] = previous.role === 'api' ? this.apis : this.workers;
    list[list.indexOf(previous)] = next;
    await next.waitUntilHealthy();
    return next as T;
  }

  /** The worker process whose WORKER_ID a job row names. */
  workerWithId(workerId: string | null): PlatformProcess {
    const worker = this.workers.find((each) => each.workerId === workerId);
    if (!worker) throw new Error(`No running worker of this cluster has the id ${workerId}`);
    return worker;
  }

  async jobRow(jobId: string): Promise<JobRow> {
    const [row] = await this.db.select<JobRow>(
      'SELECT id, video_id, user_id, status, attempt, worker_id, lease_expires_at ' +
        'FROM video_jobs WHERE id = ?',
      [jobId],
    );
    if (!row) throw new Error(`No job row ${jobId}`);
    return { ...row, attempt: Number(row.attempt) };
  }

  /** Polls the job's row (every 50 ms) until `matches` holds. */
  async waitForJobRow(
    jobId: string,
    matches: (row: JobRow) => boolean,
    timeoutMs = 60_000,
  ): Promise<JobRow> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await this.jobRow(jobId);
      if (matches(row)) return row;
      if (Date.now() > deadline)
        throw new Error(`waitForJobRow: gave up after ${timeoutMs} ms at ${JSON.stringify(row)}`);
      await sleep(50);
    }
  }

  /** Starts watching who runs the job, attempt by attempt, until it ends. */
  follow(jobId: string, timeoutMs = 120_000): JobFollower {
    return new JobFollower((id) => this.jobRow(id), jobId, timeoutMs);
  }

  /** Stops every process (kill -9), then removes the database, the Redis keys and the files. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.processes.map((each) => each.kill()));
    // Renders of a worker that was SIGTERMed or killed alone may outlive it, in DATA_DIR/work.
    for (const pid of await processesIn(this.root)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await deleteKeys(this.redis.url, this.redis.keyPrefix).catch(() => undefined);
    await this.db.drop();
    await rm(this.root, { recursive: true, force: true });
  }

  /** Starts a process under the next free name of its role, e.g. `worker-3`. */
  private async add(role: Role, env: Record<string, string> = {}): Promise<PlatformProcess> {
    const name = `${role}-${++this.named[role]}`;
    const started = this.spawn(role, name, await freePort(), env);
    const list: PlatformProcess[] = role === 'api' ? this.apis : this.workers;
    list.push(started);
    // In the order of their names, whichever got its port first.
    list.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    await started.waitUntilHealthy();
    return started;
  }

  private spawn(
    role: Role,
    name: string,
    port: number,
    overrides: Record<string, string>,
  ): PlatformProcess {
    const start = (this.starts.get(name) ?? 0) + 1;
    this.starts.set(name, start);
    const workerId = start === 1 ? name : `${name}.${start}`;
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      ...DEFAULTS,
      ...this.env,
      ...overrides,
      ...this.db.env,
      APP_ROLE: role,
      PORT: String(port),
      HOST: '127.0.0.1',
      WORKER_ID: workerId,
      DATA_DIR: this.dataDir,
      // No web build: unknown paths answer 404 instead of the web app.
      WEB_DIR: join(this.root, 'no-web-build'),
      REDIS_URL: this.redis.url,
      REDIS_KEY_PREFIX: this.redis.keyPrefix,
    };
    const options = {
      name,
      role,
      port,
      workerId,
      env,
      cwd: this.root,
      logFile: join(this.logDir, `${name}.log`),
    };
    return role === 'api'
      ? new ApiProcess(options, loadConfig(env, this.root), this.db)
      : new PlatformProcess(options);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

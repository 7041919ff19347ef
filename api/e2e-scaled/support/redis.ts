import { Redis } from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../e2e/support/processes';

/** The Redis the suite shares with everyone else on the machine: only keys of its own are touched. */
export function testRedisUrl(): string {
  return process.env['TEST_REDIS_URL'] || 'redis://127.0.0.1:6379';
}

/** Removes every key that starts with `prefix` (a cluster's REDIS_KEY_PREFIX), and nothing else. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * A `redis-server` of the test's own on a spare port, which it may stop and start again: an
 * outage must never be staged on the Redis others use. It keeps nothing on disk, so a restart
 * comes back empty, as a replaced Redis would.
 */
export class PrivateRedis {
  private server?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async create(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(
      await freePort(),
      await mkdtemp(join(tmpdir(), 'vidgen-redis-')),
    );
    await redis.start();
    return redis;
  }

  /** Starts the server on its port (again) and waits until it answers PING. */
  async start(): Promise<void> {
    const server = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1'],
        ...['--save', '', '--appendonly', 'no', '--dir', this.dir],
      ],
      { stdio: 'ignore' },
    );
    this.server = server;
    this.exited = new Promise((done) => server.once('exit', () => done()));
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(this.port))) {
      if (Date.now() > deadline || server.exitCode !== null)
        throw new Error(`redis-server did not answer on port ${this.port}`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  /** kill -9: the clients' connections drop at once, as when the Redis machine is lost. */
  async stop(): Promise<void> {
    if (this.server && this.server.exitCode === null && this.server.signalCode === null)
      this.server.kill('SIGKILL');
    await this.exited;
  }

  async remove(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}

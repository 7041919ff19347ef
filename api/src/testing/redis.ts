import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig, loadConfig } from '../config/app-config';
import { RedisConnections } from '../redis/redis-connections';

/** The shared Redis of the test machine; tests touch only keys under their own prefix. */
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A key prefix that no other test run uses. */
export function uniqueKeyPrefix(): string {
  return `test-${randomUUID().slice(0, 12)}`;
}

/** Removes every key under `prefix`, leaving the rest of that Redis alone. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url);
  try {
    for await (const keys of client.scanStream({ match: `${prefix}:*`, count: 1000 })) {
      if ((keys as string[]).length > 0) await client.del(...(keys as string[]));
    }
  } finally {
    client.disconnect();
  }
}

/**
 * What one test of a Redis adapter holds: a key prefix no other test uses, and what to undo at
 * its end. `begin()` before each test, `end()` after it: the deferred cleanups run, the last
 * first, then the prefix's keys in the shared Redis are deleted.
 */
export class RedisTestScope {
  keyPrefix = '';
  private cleanups: (() => Promise<void> | void)[] = [];

  begin(): void {
    this.keyPrefix = uniqueKeyPrefix();
    this.cleanups = [];
  }

  /** Runs `cleanup` at the end of the test, before those deferred earlier. */
  defer(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  async end(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) await cleanup();
    await deleteKeys(TEST_REDIS_URL, this.keyPrefix);
  }

  /**
   * An adapter as one process of this test has it: its own connections to `url`, under this
   * test's key prefix (`env` adds settings); shut down with its connections at the end.
   */
  adapterOf<T extends OnApplicationShutdown>(
    url: string,
    create: (connections: RedisConnections, config: AppConfig) => T,
    env: Record<string, string> = {},
  ): T {
    const config = loadConfig({ ...env, REDIS_URL: url, REDIS_KEY_PREFIX: this.keyPrefix });
    const connections = new RedisConnections(config);
    const adapter = create(connections, config);
    this.defer(async () => {
      await adapter.onApplicationShutdown();
      await connections.onApplicationShutdown();
    });
    return adapter;
  }
}

/** A redis-server of the test's own, which it may stop and start again (an outage). */
export interface TestRedisServer {
  url: string;
  /** Stops the server; what it held is gone, as after a Redis restart without persistence. */
  stop(): Promise<void>;
  /** Serves again on the same port. */
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('No free port');
  return address.port;
}

async function runRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = new Promise<void>((resolve) =>
    lines.on('line', (line) => {
      if (line.includes('Ready to accept connections')) resolve();
    }),
  );
  await Promise.race([
    ready,
    once(child, 'exit').then(([code]) => {
      throw new Error(`redis-server exited with code ${code} before accepting connections`);
    }),
  ]);
  return child;
}

export async function startRedisServer(): Promise<TestRedisServer> {
  const port = await freePort();
  let server: ChildProcess | undefined = await runRedisServer(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const running = server;
      server = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    },
    async start() {
      server ??= await runRedisServer(port);
    },
  };
}

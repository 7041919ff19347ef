import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { S3Config } from '../config/app-config';

/** An S3-compatible server of the tests' own (s3rver, from npm) with one bucket, on a free port. */
export interface TestS3Server {
  config: S3Config;
  /** Settings for loadConfig() that store the app's files in this server's bucket. */
  env: Record<string, string>;
  /** Every key in the bucket, or under `prefix`, sorted: listed through an S3 client. */
  keys(prefix?: string): Promise<string[]>;
  /** Stops answering, keeping the stored objects (an outage); `start` serves them again. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its folder. Safe to call more than once. */
  close(): Promise<void>;
}

/** s3rver accepts this one key pair. */
const ACCESS_KEY = 'S3RVER';
const BUCKET = 'vidgen';

/**
 * A process of its own, because s3rver signs its listing continuation tokens with DES, which
 * OpenSSL 3 offers only with the legacy provider: in this process, every listing longer than a
 * page would fail. Started with stdin open, it ends with the test process that holds it. The port
 * is written plainly, not with console.log, which colours numbers when FORCE_COLOR is set (Nx).
 */
const SERVER_SCRIPT = `
const S3rver = require(${JSON.stringify(require.resolve('s3rver'))});
const [directory, port, bucket] = process.argv.slice(1);
new S3rver({ address: '127.0.0.1', port: Number(port), silent: true, directory, configureBuckets: [{ name: bucket }] })
  .run()
  .then((address) => process.stdout.write(address.port + '\\n'), (error) => { console.error(error); process.exit(1); });
process.stdin.on('end', () => process.exit(0)).resume();
`;

async function runServer(
  directory: string,
  port: number,
): Promise<{ port: number; process: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '-e', SERVER_SCRIPT, directory, String(port), BUCKET],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const [line] = await Promise.race([
    once(createInterface({ input: child.stdout }), 'line') as Promise<[string]>,
    once(child, 'exit').then(([code]) => {
      throw new Error(`s3rver exited with code ${code} before listening`);
    }),
  ]);
  return { port: Number(line), process: child };
}

export async function startS3Server(): Promise<TestS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'vidgen-s3-'));
  let server: ChildProcess | undefined;
  const first = await runServer(directory, 0);
  server = first.process;
  const { port } = first;
  const config: S3Config = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    bucket: BUCKET,
    accessKeyId: ACCESS_KEY,
    secretAccessKey: ACCESS_KEY,
    forcePathStyle: true,
  };
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY },
  });
  const stop = async () => {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill();
    await exited;
  };
  let closing: Promise<void> | undefined;
  return {
    config,
    env: {
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: config.endpoint as string,
      S3_REGION: config.region,
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: ACCESS_KEY,
    },
    async keys(prefix) {
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken }),
        );
        keys.push(...(page.Contents ?? []).map((object) => object.Key as string));
        ContinuationToken = page.NextContinuationToken;
      } while (ContinuationToken);
      return keys.sort();
    },
    stop,
    async start() {
      if (!server) server = (await runServer(directory, port)).process;
    },
    close: () =>
      (closing ??= (async () => {
        client.destroy();
        await stop();
        await rm(directory, { recursive: true, force: true });
      })()),
  };
}

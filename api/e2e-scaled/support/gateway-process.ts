import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { VideosDialectName } from '../../e2e/fake-gateway/videos-api';

const ROOT = resolve(__dirname, '../../..');
const MAIN = resolve(ROOT, 'api/e2e/fake-gateway/main.ts');

/** How much of the gateway's output is kept in memory for failure messages. */
const OUTPUT_KEPT = 64 * 1024;

export interface GatewayProcessOptions {
  /** Simulated generation time of a `/v1/videos` job (FAKE_GATEWAY_JOB_MS). */
  jobDurationMs: number;
  videosDialect: VideosDialectName;
  apiKey?: string;
  /** The first start makes the gateway's clips with ffmpeg; later ones read them from a cache. */
  startTimeoutMs?: number;
}

/**
 * The fake upstream gateway as a process of its own, started as `npm run dev:gateway` starts it:
 * a benchmark that loads the workers must not count the gateway's CPU in its own event loop,
 * where it would delay the very arrivals it times.
 */
export class GatewayProcess {
  private constructor(
    /** VIDEO_API_BASE_URL, e.g. http://127.0.0.1:PORT/v1 */
    readonly url: string,
    readonly apiKey: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(options: GatewayProcessOptions): Promise<GatewayProcess> {
    const apiKey = options.apiKey ?? 'bench-key';
    const child = spawn(process.execPath, ['-r', require.resolve('@swc-node/register'), MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        SWC_NODE_PROJECT: resolve(ROOT, 'api/tsconfig.e2e.json'),
        // Any free port: the gateway prints the one it got.
        FAKE_GATEWAY_PORT: '0',
        FAKE_GATEWAY_KEY: apiKey,
        FAKE_GATEWAY_JOB_MS: String(options.jobDurationMs),
        FAKE_GATEWAY_VIDEOS_DIALECT: options.videosDialect,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    let output = '';
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`The fake gateway did not start in time:\n${output}`)),
        options.startTimeoutMs ?? 120_000,
      );
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
        const listening = /listening on (http:\/\/\S+\/v1)/.exec(output);
        if (listening) {
          clearTimeout(timer);
          done(listening[1]);
        }
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      void exited.then(() => {
        clearTimeout(timer);
        fail(new Error(`The fake gateway exited before it listened:\n${output}`));
      });
    }).catch(async (error: unknown) => {
      child.kill('SIGKILL');
      await exited;
      throw error;
    });
    return new GatewayProcess(url, apiKey, child, exited);
  }

  /** SIGTERM, then waits for the exit. */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

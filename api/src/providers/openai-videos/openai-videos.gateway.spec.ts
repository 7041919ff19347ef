import { Test } from '@nestjs/testing';
import { Orientation } from '@vidgen/contracts';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGateway, startFakeGateway } from '../../../e2e/fake-gateway/fake-gateway';
import { AppConfig, loadConfig } from '../../config/app-config';
import { FfmpegMediaTool } from '../../media/ffmpeg-media-tool';
import { MediaError } from '../../media/media-tool';
import { downloadResult } from '../upstream/safe-download';
import {
  GenerationProgress,
  GenerationRequest,
  GenerationResult,
  ProviderError,
} from '../video-provider';
import { OpenAiVideosVideoProvider, STAGE_RESUMING } from './openai-videos-video-provider';

// The adapter and the downloader against the shared fake gateway (api/e2e/fake-gateway), which
// answers as OpenAI's Videos API does, jobs advancing by the wall clock. Everything stays on
// loopback. Its polls ask for 100 ms between requests, so a job takes about a second.
jest.setTimeout(30_000);

const JOB_MS = 1000;
let gateway: FakeGateway;
let root: string;
let jobs = 0;

beforeAll(async () => {
  gateway = await startFakeGateway({ jobDurationMs: JOB_MS });
  root = await mkdtemp(join(tmpdir(), 'vidgen-openai-videos-'));
});

afterAll(async () => {
  await gateway.close();
  await rm(root, { recursive: true, force: true });
});

function configFor(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    LOG_LEVEL: 'silent',
    VIDEO_PROVIDER: 'openai-videos',
    VIDEO_API_BASE_URL: gateway.url,
    VIDEO_API_KEY: gateway.apiKey,
    DOWNLOAD_MAX_MB: '5',
    ...env,
  });
}

async function provider(config = configFor()): Promise<OpenAiVideosVideoProvider> {
  const moduleRef = await Test.createTestingModule({
    providers: [OpenAiVideosVideoProvider, { provide: AppConfig, useValue: config }],
  }).compile();
  return moduleRef.get(OpenAiVideosVideoProvider);
}

interface Run {
  result: GenerationResult;
  progress: GenerationProgress[];
  /** What `rememberUpstreamJob` was given. */
  remembered: string[];
}

async function run(
  scenario: string,
  overrides: Partial<GenerationRequest> = {},
  config = configFor(),
): Promise<Run> {
  jobs += 1;
  const progress: GenerationProgress[] = [];
  const remembered: string[] = [];
  const request: GenerationRequest = {
    jobId: `job-${jobs}`,
    prompt: `A heron on a misty lake, job ${jobs} [scenario:${scenario}]`,
    orientation: Orientation.Portrait,
    durationSeconds: 4,
    workDir: join(root, `job-${jobs}`),
    rememberUpstreamJob: async (id) => void remembered.push(id),
    ...overrides,
  };
  const result = await (
    await provider(config)
  ).generate(request, (p) => progress.push(p), new AbortController().signal);
  return { result, progress, remembered };
}

async function failure(
  scenario: string,
  config = configFor(),
  overrides: Partial<GenerationRequest> = {},
): Promise<ProviderError> {
  const error = await run(scenario, overrides, config).then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  expect((error as ProviderError).message).not.toContain(gateway.apiKey);
  return error as ProviderError;
}

/** The generated link, then the download into a job folder, as the runner does. */
async function download(scenario: string): Promise<{ path: string; workDir: string }> {
  const { result } = await run(scenario);
  if (result.kind !== 'url') throw new Error('expected a link');
  const workDir = join(root, `download-${jobs}`);
  await mkdir(workDir);
  return {
    path: await downloadResult(result.url, workDir, configFor(), new AbortController().signal),
    workDir,
  };
}

function requestsSince(before: number, method: string, pattern: RegExp) {
  return gateway.requests.slice(before).filter((r) => r.method === method && pattern.test(r.path));
}

const CREATE = /^\/v1\/videos$/;
const POLL = /^\/v1\/videos\/video_[0-9a-f]+$/;

describe('openai-videos against the fake gateway', () => {
  it.each([
    [Orientation.Portrait, '720x1280', 720, 1280],
    [Orientation.Landscape, '1280x720', 1280, 720],
  ])(
    'makes a %s video as %s: creates once, polls, and the content is that video',
    async (orientation, size, width, height) => {
      const before = gateway.requests.length;
      const { result, progress, remembered } = await run('success', {
        orientation,
        durationSeconds: 8,
      });

      const [create] = requestsSince(before, 'POST', CREATE);
      expect(create.body).toEqual({
        model: 'sora-2',
        prompt: expect.stringContaining('A heron'),
        seconds: '8',
        size,
      });
      expect(create.headers['authorization']).toBe(`Bearer ${gateway.apiKey}`);
      expect(requestsSince(before, 'POST', CREATE)).toHaveLength(1);
      expect(requestsSince(before, 'GET', POLL).length).toBeGreaterThan(2);

      expect(remembered).toHaveLength(1);
      expect(result).toEqual({
        kind: 'url',
        url: `${gateway.url}/videos/${remembered[0]}/content`,
        model: 'sora-2',
      });
      const percents = progress.map((p) => p.percent);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      expect(Math.max(...percents)).toBeGreaterThan(50);
      expect(progress.map((p) => p.stage)).toEqual(
        expect.arrayContaining([
          'Sending the job to the video service',
          'Waiting in the video service’s queue',
          'Generating the video',
        ]),
      );

      if (result.kind !== 'url') return;
      const path = await downloadResult(
        result.url,
        join(root, `download-${jobs}`),
        configFor(),
        new AbortController().signal,
      );
      expect(await new FfmpegMediaTool(configFor()).probe(path)).toMatchObject({
        width,
        height,
        videoCodec: 'h264',
      });
    },
  );

  it('sends the configured model', async () => {
    const before = gateway.requests.length;
    const { result } = await run('success', {}, configFor({ VIDEO_MODEL: 'sora-2-pro' }));
    expect(requestsSince(before, 'POST', CREATE)[0].body).toMatchObject({ model: 'sora-2-pro' });
    expect(result.model).toBe('sora-2-pro');
  });

  it('succeeds when the upstream never reports progress', async () => {
    const { result, progress } = await run('no-progress');
    expect(result.kind).toBe('url');
    expect(Math.max(...progress.map((p) => p.percent))).toBe(0);
  });

  it('follows progress jumping from 0 to 90', async () => {
    const { progress } = await run('jump');
    expect([...new Set(progress.map((p) => p.percent))]).toEqual([0, 90]);
  });

  it('waits as long as the poll answers ask (openai-poll-after-ms)', async () => {
    const before = gateway.requests.length;
    await run('success');
    const polls = requestsSince(before, 'GET', POLL).length;
    // 100 ms hints over a 1 s job: about ten polls, not hundreds and not one per 5 s default.
    expect(polls).toBeGreaterThanOrEqual(3);
    expect(polls).toBeLessThanOrEqual(20);
  });

  /** A job created upstream by an attempt stopped right then, as a restart would stop it. */
  async function interruptedJob(scenario: string): Promise<string> {
    const restart = new Error('restart');
    const controller = new AbortController();
    let id = '';
    const interrupted = (await provider()).generate(
      {
        jobId: `job-interrupted-${scenario}`,
        prompt: `A heron at dawn [scenario:${scenario}]`,
        orientation: Orientation.Landscape,
        durationSeconds: 4,
        workDir: join(root, `job-interrupted-${scenario}`),
        rememberUpstreamJob: async (created) => {
          id = created;
          controller.abort(restart);
        },
      },
      () => undefined,
      controller.signal,
    );
    await expect(interrupted).rejects.toBe(restart);
    return id;
  }

  it('resumes the job an earlier attempt created, without creating another', async () => {
    const id = await interruptedJob('success');

    const before = gateway.requests.length;
    const resumed = await run('success', { upstreamJobId: id });
    expect(requestsSince(before, 'POST', CREATE)).toHaveLength(0);
    const polled = new Set(requestsSince(before, 'GET', POLL).map((r) => r.path));
    expect([...polled]).toEqual([`/v1/videos/${id}`]);
    expect(resumed.result).toMatchObject({ url: `${gateway.url}/videos/${id}/content` });
    expect(resumed.progress[0].stage).toBe(STAGE_RESUMING);
    expect(resumed.remembered).toEqual([]);
  });

  it('resumes even when its first poll is cut', async () => {
    const id = await interruptedJob('poll-cut-once');
    const config = configFor({ UPSTREAM_MAX_RETRIES: '0', UPSTREAM_POLL_INTERVAL_SECONDS: '1' });

    const before = gateway.requests.length;
    const resumed = await run('success', { upstreamJobId: id }, config);
    expect(requestsSince(before, 'POST', CREATE)).toHaveLength(0);
    expect(resumed.result).toMatchObject({ url: `${gateway.url}/videos/${id}/content` });
  });

  it('creates a new job when the upstream no longer knows the stored one', async () => {
    const before = gateway.requests.length;
    const { result, remembered } = await run('success', { upstreamJobId: 'video_gone' });
    expect(requestsSince(before, 'GET', /\/v1\/videos\/video_gone$/)).toHaveLength(1);
    expect(requestsSince(before, 'POST', CREATE)).toHaveLength(1);
    expect(remembered).toHaveLength(1);
    expect(result.kind).toBe('url');
  });

  it('ends a failed job with the upstream’s reason', async () => {
    expect(await failure('failed')).toMatchObject({
      code: 'CONTENT_POLICY',
      message:
        'The video service refused the prompt under its content policy: Your request was blocked by our moderation system.',
    });
  });

  it.each([
    [
      'http-500-create',
      'UPSTREAM_UNAVAILABLE',
      'The video service is unavailable (HTTP 500: The server had an error while processing your request. Sorry about that!) after 2 attempts.',
    ],
    [
      'bad-size',
      'UPSTREAM_REJECTED',
      "The video service rejected the request (HTTP 422: Invalid value: '720x1280'. This size is not supported for 'sora-2' on this deployment.).",
    ],
  ])('fails on %s with %s', async (scenario, code, message) => {
    expect(await failure(scenario, configFor({ UPSTREAM_MAX_RETRIES: '1' }))).toMatchObject({
      code,
      message,
    });
  });

  it('fails with a wrong key as UPSTREAM_AUTH, without retrying', async () => {
    const before = gateway.requests.length;
    const error = await failure('success', configFor({ VIDEO_API_KEY: 'sk-wrong-key-123456' }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_AUTH',
      message: expect.stringContaining('HTTP 401: Incorrect API key provided: sk-'),
    });
    expect(error.message).not.toContain('sk-wrong-key-123456');
    expect(gateway.requests.length - before).toBe(1);
  });

  it('retries a 429 after its Retry-After, then goes on', async () => {
    const before = gateway.requests.length;
    const started = Date.now();
    const { result } = await run('http-429-once');
    expect(result.kind).toBe('url');
    expect(requestsSince(before, 'POST', CREATE)).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it.each(['0', '2'])(
    'polls again when a poll’s connection is cut (UPSTREAM_MAX_RETRIES=%s): the job goes on upstream',
    async (retries) => {
      const before = gateway.requests.length;
      const config = configFor({
        UPSTREAM_MAX_RETRIES: retries,
        UPSTREAM_POLL_INTERVAL_SECONDS: '1',
      });
      const { result } = await run('poll-cut-once', {}, config);
      expect(result.kind).toBe('url');
      expect(requestsSince(before, 'POST', CREATE)).toHaveLength(1);
    },
  );

  it('stops a poll that gets no answer after the idle timeout, saying so', async () => {
    const started = Date.now();
    const error = await failure('poll-hang', configFor({ UPSTREAM_IDLE_TIMEOUT_SECONDS: '1' }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_IDLE_TIMEOUT',
      message: expect.stringContaining('sent nothing for 1 second'),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops polling at once when the job is cancelled', async () => {
    const controller = new AbortController();
    const stopped = new Error('cancelled');
    const progress: GenerationProgress[] = [];
    const running = (await provider()).generate(
      {
        jobId: 'job-cancel',
        prompt: 'A heron [scenario:stall-poll]',
        orientation: Orientation.Portrait,
        durationSeconds: 4,
        workDir: join(root, 'job-cancel'),
      },
      (p) => {
        progress.push(p);
        if (p.percent > 0) controller.abort(stopped);
      },
      controller.signal,
    );
    await expect(running).rejects.toBe(stopped);
  });

  it('sends the key with the content download, which is that job’s video', async () => {
    const before = gateway.requests.length;
    const { path } = await download('success');
    const [content] = requestsSince(before, 'GET', /\/content$/);
    expect(content.headers['authorization']).toBe(`Bearer ${gateway.apiKey}`);
    expect((await new FfmpegMediaTool(configFor()).probe(path)).height).toBe(1280);
  });

  it('refuses content redirected to a private address', async () => {
    await expect(download('redirect-private')).rejects.toMatchObject({
      code: 'DOWNLOAD_REFUSED',
      message: expect.stringContaining('127.0.0.2, loopback'),
    });
  });

  it('refuses oversized content', async () => {
    await expect(download('oversized')).rejects.toMatchObject({
      code: 'DOWNLOAD_TOO_LARGE',
      message: expect.stringContaining('50 MB, over the limit of 5 MB'),
    });
    expect(await readdir(join(root, `download-${jobs}`))).toEqual([]);
  });

  it('downloads text labelled video/mp4, which ffprobe then rejects (the runner’s check)', async () => {
    const { path } = await download('not-video');
    await expect(new FfmpegMediaTool(configFor()).probe(path)).rejects.toBeInstanceOf(MediaError);
  });
});

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
import { ChatStreamVideoProvider } from './chat-stream-video-provider';

// The adapter and the downloader against the shared fake gateway (api/e2e/fake-gateway), which
// speaks sora2api byte for byte. Everything stays on loopback.
jest.setTimeout(30_000);

let gateway: FakeGateway;
let root: string;
let jobs = 0;

beforeAll(async () => {
  gateway = await startFakeGateway({ progressIntervalMs: 60 });
  root = await mkdtemp(join(tmpdir(), 'vidgen-gateway-'));
});

afterAll(async () => {
  await gateway.close();
  await rm(root, { recursive: true, force: true });
});

function configFor(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    LOG_LEVEL: 'silent',
    VIDEO_API_BASE_URL: gateway.url,
    VIDEO_API_KEY: gateway.apiKey,
    DOWNLOAD_MAX_MB: '5',
    ...env,
  });
}

async function provider(config = configFor()): Promise<ChatStreamVideoProvider> {
  const moduleRef = await Test.createTestingModule({
    providers: [ChatStreamVideoProvider, { provide: AppConfig, useValue: config }],
  }).compile();
  return moduleRef.get(ChatStreamVideoProvider);
}

function request(scenario: string, overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  jobs += 1;
  return {
    jobId: `job-${jobs}`,
    prompt: `A red fox in fresh snow, job ${jobs} [scenario:${scenario}]`,
    orientation: Orientation.Portrait,
    durationSeconds: 15,
    workDir: join(root, `job-${jobs}`),
    ...overrides,
  };
}

interface Run {
  result: GenerationResult;
  progress: GenerationProgress[];
}

async function run(
  scenario: string,
  overrides: Partial<GenerationRequest> = {},
  config = configFor(),
): Promise<Run> {
  const progress: GenerationProgress[] = [];
  const result = await (
    await provider(config)
  ).generate(request(scenario, overrides), (p) => progress.push(p), new AbortController().signal);
  return { result, progress };
}

async function failure(scenario: string, config = configFor()): Promise<ProviderError> {
  const error = await run(scenario, {}, config).then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  expect((error as ProviderError).message).not.toContain(gateway.apiKey);
  return error as ProviderError;
}

/** The generated link, then the download into a job folder (which must end up clean on failure). */
async function download(
  scenario: string,
  config = configFor(),
): Promise<{ path: string; workDir: string }> {
  const { result } = await run(scenario, {}, config);
  if (result.kind !== 'url') throw new Error('expected a link');
  const workDir = join(root, `download-${jobs}`);
  await mkdir(workDir); // as the runner does before the provider starts
  return {
    path: await downloadResult(result.url, workDir, config, new AbortController().signal),
    workDir,
  };
}

function lastChatRequest(): Record<string, unknown> {
  const chats = gateway.requests.filter((r) => r.path === '/v1/chat/completions');
  return chats[chats.length - 1].body as Record<string, unknown>;
}

describe('chat-stream against the fake gateway', () => {
  it.each([
    [Orientation.Portrait, 'sora2-portrait-15s', 720, 1280],
    [Orientation.Landscape, 'sora2-landscape-15s', 1280, 720],
  ])(
    'makes a %s video with %s, and the download is that video',
    async (orientation, model, width, height) => {
      const { result, progress } = await run('success', { orientation });
      expect(lastChatRequest()).toMatchObject({
        model,
        stream: true,
        messages: [{ role: 'user' }],
      });
      expect(gateway.requests[gateway.requests.length - 1].headers['authorization']).toBe(
        `Bearer ${gateway.apiKey}`,
      );
      expect(result).toMatchObject({ kind: 'url', model });
      expect(progress.map((p) => p.percent)).toEqual([0, 0, 0, 37, 76, 76, 76]);
      expect(progress.map((p) => p.stage)).toContain('Video Generation Progress: 37% (running)');

      if (result.kind !== 'url') return;
      const workDir = join(root, `download-${jobs}`);
      const path = await downloadResult(
        result.url,
        workDir,
        configFor(),
        new AbortController().signal,
      );
      const info = await new FfmpegMediaTool(configFor()).probe(path);
      expect(info).toMatchObject({ width, height, videoCodec: 'h264' });
    },
  );

  it('sends the templated model for the requested length', async () => {
    const config = configFor({ VIDEO_MODEL_TEMPLATE: 'sora2-{orientation}-{duration}s' });
    const { result } = await run(
      'success',
      { orientation: Orientation.Landscape, durationSeconds: 10 },
      config,
    );
    expect(lastChatRequest()['model']).toBe('sora2-landscape-10s');
    expect(result.model).toBe('sora2-landscape-10s');
  });

  it('succeeds without any progress chunk', async () => {
    const { result, progress } = await run('no-progress');
    expect(result.kind).toBe('url');
    expect(Math.max(...progress.map((p) => p.percent))).toBe(0);
  });

  it('follows progress jumping from 0 to 90', async () => {
    const { progress } = await run('jump');
    expect([...new Set(progress.map((p) => p.percent))]).toEqual([0, 90]);
  });

  it.each([
    ['estimated', 40, 'Generation in progress: 40% completed (estimated)...'],
    ['bracket', 45, '[generation] (processing) 45% ...'],
    ['think', 100, '视频已生成100%'],
    ['retry-chinese', 83, '生成失败，正在重试 (1/3)...'],
  ])('reads the %s progress form', async (scenario, top, stage) => {
    const { result, progress } = await run(scenario);
    expect(result.kind).toBe('url');
    expect(Math.max(...progress.map((p) => p.percent))).toBe(top);
    expect(progress.map((p) => p.stage)).toContain(stage);
  });

  it.each(['double-quotes', 'bare-url', 'malformed-done', 'think'])(
    'finds the link in the %s form',
    async (scenario) => {
      const { result } = await run(scenario);
      expect(result).toMatchObject({
        kind: 'url',
        url: expect.stringMatching(
          new RegExp(`^${gateway.url.replace('/v1', '')}/files/[0-9a-f]+\\.mp4$`),
        ),
      });
    },
  );

  it.each([
    [
      'error-chunk',
      'UPSTREAM_ERROR',
      'The video service reported an error: Upstream API timeout: Generation exceeded 3000 seconds limit',
    ],
    [
      'error-event',
      'UPSTREAM_ERROR',
      'The video service reported an error: Upstream API timeout: Generation exceeded 3000 seconds limit',
    ],
    [
      'content-policy',
      'CONTENT_POLICY',
      'The video service refused the prompt under its content policy: This content may violate our guardrails concerning similarity to third-party content.',
    ],
    [
      'no-url',
      'UPSTREAM_NO_RESULT',
      'The video service finished without a video: Video generation finished, but no video was returned.',
    ],
    [
      'cut',
      'UPSTREAM_STREAM_CUT',
      'The connection to the video service closed before the video was ready.',
    ],
    [
      'http-401',
      'UPSTREAM_AUTH',
      'The video service refused the API key (HTTP 401: Invalid API key). Check VIDEO_API_KEY.',
    ],
    [
      'http-422',
      'UPSTREAM_REJECTED',
      'The video service rejected the request (HTTP 422: messages.0.content.str: String should have at most 4000 characters).',
    ],
  ])('fails on %s with %s', async (scenario, code, message) => {
    expect(await failure(scenario)).toMatchObject({ code, message });
  });

  it('reports sora2api’s 500 wrapping `400: Invalid model` at once, as the model setting’s fault', async () => {
    const before = gateway.requests.length;
    const error = await failure('http-500', configFor({ UPSTREAM_MAX_RETRIES: '1' }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_MODEL_NOT_OFFERED',
      message: expect.stringContaining('HTTP 500: 400: Invalid model: sora2-portrait-15s'),
    });
    expect(gateway.requests.length - before).toBe(1);
  });

  it('fails with a wrong key as UPSTREAM_AUTH, without retrying', async () => {
    const before = gateway.requests.length;
    const error = await failure('success', configFor({ VIDEO_API_KEY: 'wrong-key' }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_AUTH',
      message: expect.stringContaining('HTTP 401: Invalid API key'),
    });
    expect(error.message).not.toContain('wrong-key');
    expect(gateway.requests.length - before).toBe(1);
  });

  it('stops a stalled stream after the idle timeout, saying so', async () => {
    const started = Date.now();
    const error = await failure('stall', configFor({ UPSTREAM_IDLE_TIMEOUT_SECONDS: '1' }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_IDLE_TIMEOUT',
      message: expect.stringContaining('sent nothing for 1 second'),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each(['http-429-once', 'http-503-once'])('retries %s and then succeeds', async (scenario) => {
    const before = gateway.requests.length;
    const started = Date.now();
    const { result } = await run(scenario);
    expect(result.kind).toBe('url');
    expect(
      gateway.requests.slice(before).filter((r) => r.path === '/v1/chat/completions'),
    ).toHaveLength(2);
    // 429 carries Retry-After: 1, which is honoured.
    if (scenario === 'http-429-once') expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it.each(['private-url', 'redirect-private'])(
    'refuses the %s link before connecting to it',
    async (scenario) => {
      const before = gateway.requests.length;
      const error = await download(scenario).then(
        () => new Error('expected a refusal'),
        (e: unknown) => e,
      );
      expect(error).toMatchObject({
        code: 'DOWNLOAD_REFUSED',
        message: expect.stringContaining('127.0.0.2, loopback'),
      });
      expect(
        gateway.requests
          .slice(before)
          .some((r) => r.headers['host']?.toString().startsWith('127.0.0.2')),
      ).toBe(false);
    },
  );

  it('refuses an oversized file', async () => {
    const error = await download('oversized').then(
      () => new Error('expected a refusal'),
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'DOWNLOAD_TOO_LARGE',
      message: expect.stringContaining('50 MB, over the limit of 5 MB'),
    });
  });

  it('refuses a real MP4 served as text/html', async () => {
    const error = await download('wrong-type').then(
      () => new Error('expected a refusal'),
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'DOWNLOAD_NOT_VIDEO' });
    expect(await readdir(join(root, `download-${jobs}`))).toEqual([]);
  });

  it('downloads text labelled video/mp4, which ffprobe then rejects (the runner’s check)', async () => {
    const { path } = await download('not-video');
    await expect(new FfmpegMediaTool(configFor()).probe(path)).rejects.toBeInstanceOf(MediaError);
  });
});

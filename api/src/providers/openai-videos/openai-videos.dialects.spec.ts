import { Test } from '@nestjs/testing';
import { Orientation } from '@vidgen/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGateway, startFakeGateway } from '../../../e2e/fake-gateway/fake-gateway';
import { VideosDialectName } from '../../../e2e/fake-gateway/videos-api';
import { AppConfig, loadConfig } from '../../config/app-config';
import { FfmpegMediaTool } from '../../media/ffmpeg-media-tool';
import { downloadResult } from '../upstream/safe-download';
import { GenerationProgress, GenerationRequest, ProviderError } from '../video-provider';
import { OpenAiVideosVideoProvider } from './openai-videos-video-provider';

// The adapter against the fake gateway speaking each `/v1/videos` dialect of section C of the
// protocols page (new-api, go-sora2api, grok2api v2, Modified_Sora2api), with the settings the
// README's dialect table gives for it. None of these sends poll hints, so polls go at
// UPSTREAM_POLL_INTERVAL_SECONDS (1 s) and a job takes one or two polls.
jest.setTimeout(60_000);

const JOB_MS = 600;
let root: string;
let jobs = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vidgen-openai-videos-dialects-'));
});

afterAll(() => rm(root, { recursive: true, force: true }));

/**
 * A gateway of the dialect for the enclosing describe, and the adapter's helpers against it;
 * jobs ask for `seconds` unless they say otherwise.
 */
function dialect(
  videosDialect: VideosDialectName,
  settings: Record<string, string> = {},
  seconds = 10,
) {
  let gateway: FakeGateway;
  beforeAll(async () => {
    gateway = await startFakeGateway({ jobDurationMs: JOB_MS, videosDialect });
  });
  afterAll(() => gateway.close());

  const config = (env: Record<string, string> = {}): AppConfig =>
    loadConfig({
      LOG_LEVEL: 'silent',
      VIDEO_PROVIDER: 'openai-videos',
      VIDEO_API_BASE_URL: gateway.url,
      VIDEO_API_KEY: gateway.apiKey,
      UPSTREAM_POLL_INTERVAL_SECONDS: '1',
      UPSTREAM_MAX_RETRIES: '0',
      ...settings,
      ...env,
    });

  const provider = async (env: Record<string, string> = {}) => {
    const moduleRef = await Test.createTestingModule({
      providers: [OpenAiVideosVideoProvider, { provide: AppConfig, useValue: config(env) }],
    }).compile();
    return moduleRef.get(OpenAiVideosVideoProvider);
  };

  const request = (overrides: Partial<GenerationRequest> = {}): GenerationRequest => {
    jobs += 1;
    return {
      jobId: `job-${jobs}`,
      prompt: `A heron on a misty lake, job ${jobs}`,
      orientation: Orientation.Portrait,
      durationSeconds: seconds,
      workDir: join(root, `job-${jobs}`),
      ...overrides,
    };
  };

  /** Generates, then downloads and probes the result as the runner does. */
  const generate = async (
    overrides: Partial<GenerationRequest> = {},
    adapter?: OpenAiVideosVideoProvider,
  ) => {
    const progress: GenerationProgress[] = [];
    const remembered: string[] = [];
    const job = request({
      rememberUpstreamJob: async (id) => void remembered.push(id),
      ...overrides,
    });
    const result = await (adapter ?? (await provider())).generate(
      job,
      (p) => progress.push(p),
      new AbortController().signal,
    );
    if (result.kind !== 'url') throw new Error('expected a link');
    const file = await downloadResult(
      result.url,
      job.workDir,
      config(),
      new AbortController().signal,
    );
    const probed = await new FfmpegMediaTool(config()).probe(file);
    return { result, progress, remembered, probed };
  };

  const failure = async (
    overrides: Partial<GenerationRequest> = {},
    env: Record<string, string> = {},
  ): Promise<ProviderError> => {
    const error = await generate(overrides, await provider(env)).then(
      () => new Error('expected a failure'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  };

  const creates = (since: number) =>
    gateway.requests.slice(since).filter((r) => r.method === 'POST' && r.path === '/v1/videos');

  return {
    gateway: () => gateway,
    provider,
    generate,
    failure,
    creates,
    requestCount: () => gateway.requests.length,
  };
}

/** A job created upstream by an attempt stopped right then, as a restart would stop it. */
async function interrupted(
  adapter: OpenAiVideosVideoProvider,
  overrides: Partial<GenerationRequest> & { prompt: string },
): Promise<string> {
  const restart = new Error('restart');
  const controller = new AbortController();
  let id = '';
  const attempt = adapter.generate(
    {
      jobId: 'job-interrupted',
      orientation: Orientation.Landscape,
      durationSeconds: 10,
      workDir: join(root, 'job-interrupted'),
      rememberUpstreamJob: async (created) => {
        id = created;
        controller.abort(restart);
      },
      ...overrides,
    },
    () => undefined,
    controller.signal,
  );
  await expect(attempt).rejects.toBe(restart);
  return id;
}

describe('new-api (VIDEO_MODEL=sora-2, the default)', () => {
  const d = dialect('new-api', {}, 4);

  it.each([
    [Orientation.Portrait, '720x1280', 720, 1280],
    [Orientation.Landscape, '1280x720', 1280, 720],
  ])(
    'makes %s as %s, the length asked, resuming nothing',
    async (orientation, size, width, height) => {
      const before = d.requestCount();
      const { result, remembered, probed } = await d.generate({ orientation, durationSeconds: 8 });
      expect(d.creates(before).map((r) => r.body)).toEqual([
        { model: 'sora-2', prompt: expect.any(String), seconds: '8', size },
      ]);
      expect(remembered).toEqual([expect.stringMatching(/^task_[A-Za-z0-9]{32}$/)]);
      expect(result.model).toBe('sora-2');
      expect(probed).toMatchObject({ width, height });
      expect(probed.durationSeconds).toBeCloseTo(8, 0);
    },
  );

  it('waits through `unknown` (before new-api’s first sync) on resume, and finishes that task', async () => {
    const adapter = await d.provider();
    const id = await interrupted(adapter, { prompt: 'A slow sync', durationSeconds: 4 });
    const before = d.requestCount();
    const { progress, remembered } = await d.generate(
      { upstreamJobId: id, durationSeconds: 4 },
      adapter,
    );
    expect(d.creates(before)).toHaveLength(0);
    expect(remembered).toEqual([]);
    expect(progress[1]).toEqual({ percent: 0, stage: 'Waiting in the video service’s queue' });
  });

  it('starts a new task when new-api answers 400 task_not_exist on resume', async () => {
    const before = d.requestCount();
    const { remembered } = await d.generate({
      upstreamJobId: 'task_forgottenForgottenForgotten00',
    });
    expect(d.creates(before)).toHaveLength(1);
    expect(remembered).toHaveLength(1);
  });

  it('fails a task new-api forgets while it runs, saying it is gone, without polling on', async () => {
    const error = await d.failure({ prompt: 'Lost [scenario:forgotten]' });
    expect(error.code).toBe('UPSTREAM_JOB_LOST');
    expect(error.message).toMatch(
      /^The video service no longer knows job task_\w{32} \(HTTP 400: task_not_exist\): it was lost or expired there/,
    );
  });

  it.each([
    [
      'moderation-submit',
      'CONTENT_POLICY',
      'The video service refused the prompt under its content policy: Your request was blocked by our moderation system.',
    ],
    [
      'failed',
      'CONTENT_POLICY',
      'The video service refused the prompt under its content policy: Your request was blocked by our moderation system.',
    ],
    [
      'task-timeout',
      'UPSTREAM_FAILED',
      'The video service could not make the video: 任务超时（1440分钟） (the gateway gave up waiting for the generation)',
    ],
  ])('fails [scenario:%s] as %s', async (scenario, code, message) => {
    expect(await d.failure({ prompt: `x [scenario:${scenario}]` })).toMatchObject({
      code,
      message,
    });
  });

  it('names VIDEO_SECONDS_OPTIONS when the upstream refuses the length', async () => {
    const error = await d.failure({ durationSeconds: 10 });
    expect(error.code).toBe('UPSTREAM_REJECTED');
    expect(error.message).toContain("Invalid value: '10'");
    expect(error.message).toMatch(
      /Set VIDEO_SECONDS_OPTIONS to the lengths the gateway makes \(offered now: 4, 8, 12\)\.$/,
    );
  });
});

describe('go-sora2api', () => {
  describe('with the default VIDEO_MODEL=sora-2', () => {
    const d = dialect('go-sora2api');

    it('fails every job saying to put the orientation in the model name', async () => {
      const error = await d.failure();
      expect(error.message).toContain('set VIDEO_MODEL_TEMPLATE=sora-2-{orientation}-{duration}s');
    });
  });

  describe('with VIDEO_MODEL_TEMPLATE=sora-2-{orientation}-{duration}s', () => {
    const d = dialect('go-sora2api', { VIDEO_MODEL_TEMPLATE: 'sora-2-{orientation}-{duration}s' });

    it('offers 10 and 15 s', async () => {
      expect((await d.provider()).durationOptions).toEqual([10, 15]);
    });

    it.each([
      [Orientation.Portrait, 10, 'sora-2-portrait-10s', 720, 1280],
      [Orientation.Landscape, 15, 'sora-2-landscape-15s', 1280, 720],
    ])('makes %s %s s with the model %s', async (orientation, seconds, model, width, height) => {
      const before = d.requestCount();
      const { result, probed } = await d.generate({ orientation, durationSeconds: seconds });
      expect(d.creates(before)[0].body).toMatchObject({ model, seconds: String(seconds) });
      expect(result.model).toBe(model);
      expect(probed).toMatchObject({ width, height });
      expect(probed.durationSeconds).toBeCloseTo(seconds, 0);
    });

    it('calls 内容违规 (content violation) a content-policy refusal', async () => {
      expect(await d.failure({ prompt: 'x [scenario:content-violation]' })).toMatchObject({
        code: 'CONTENT_POLICY',
        message:
          'The video service refused the prompt under its content policy: 获取下载链接失败: 内容违规: 内容违反使用政策',
      });
    });

    it('fails a stuck job when the gateway gives up polling, saying so', async () => {
      expect(await d.failure({ prompt: 'x [scenario:stuck]' })).toMatchObject({
        code: 'UPSTREAM_FAILED',
        message:
          'The video service could not make the video: 轮询超时 (the gateway gave up waiting for the generation)',
      });
    });

    it('resumes its task after a restart', async () => {
      const adapter = await d.provider();
      const id = await interrupted(adapter, { prompt: 'A restart' });
      const before = d.requestCount();
      const { probed } = await d.generate(
        { upstreamJobId: id, orientation: Orientation.Landscape },
        adapter,
      );
      expect(d.creates(before)).toHaveLength(0);
      expect(probed).toMatchObject({ width: 1280, height: 720 });
    });
  });
});

describe('grok2api v2 (VIDEO_MODEL=grok-imagine-video, VIDEO_SECONDS_OPTIONS=6,10,12,16,20)', () => {
  const d = dialect('grok2api', {
    VIDEO_MODEL: 'grok-imagine-video',
    VIDEO_SECONDS_OPTIONS: '6,10,12,16,20',
  });

  it('sends a form once the gateway refuses JSON, and every later job as a form from the start', async () => {
    const adapter = await d.provider();
    const before = d.requestCount();
    const first = await d.generate(
      { orientation: Orientation.Landscape, durationSeconds: 6 },
      adapter,
    );
    const second = await d.generate(
      { orientation: Orientation.Portrait, durationSeconds: 12 },
      adapter,
    );
    const kinds = d.creates(before).map((r) => String(r.headers['content-type']).split(';')[0]);
    expect(kinds).toEqual(['application/json', 'multipart/form-data', 'multipart/form-data']);
    expect(d.creates(before)[1].body).toEqual({
      fields: {
        model: 'grok-imagine-video',
        prompt: expect.any(String),
        seconds: '6',
        size: '1280x720',
      },
      files: {},
    });
    expect(first.probed).toMatchObject({ width: 1280, height: 720 });
    expect(first.probed.durationSeconds).toBeCloseTo(6, 0);
    expect(second.probed).toMatchObject({ width: 720, height: 1280 });
    expect(second.probed.durationSeconds).toBeCloseTo(12, 0);
  });

  it('sends a form from the start with VIDEO_API_FORM=multipart', async () => {
    const before = d.requestCount();
    await d.generate({}, await d.provider({ VIDEO_API_FORM: 'multipart' }));
    expect(d.creates(before)).toHaveLength(1);
  });

  it('says to set VIDEO_API_FORM when told to send JSON only', async () => {
    const error = await d.failure({}, { VIDEO_API_FORM: 'json' });
    expect(error.code).toBe('UPSTREAM_REJECTED');
    expect(error.message).toContain('Field required');
    expect(error.message).toContain('set VIDEO_API_FORM=multipart (or auto)');
  });

  it('fails a job grok2api forgets as lost, and starts anew when it forgot one before a restart', async () => {
    expect((await d.failure({ prompt: 'x [scenario:forgotten]' })).code).toBe('UPSTREAM_JOB_LOST');
    const before = d.requestCount();
    const { remembered } = await d.generate({
      upstreamJobId: 'video_0123456789abcdef0123456789abcdef',
    });
    expect(remembered).toHaveLength(1);
    expect(d.creates(before).length).toBeGreaterThan(0);
  });

  it.each([
    ['failed', 'UPSTREAM_FAILED', 'Video generation returned no final video URL'],
    ['no-account', 'UPSTREAM_NO_ACCOUNT', 'No available accounts for video generation'],
  ])('fails [scenario:%s] as %s with its words', async (scenario, code, words) => {
    const error = await d.failure({ prompt: `x [scenario:${scenario}]` });
    expect(error).toMatchObject({ code, message: expect.stringContaining(words) });
  });
});

describe('Modified_Sora2api (VIDEO_SECONDS_OPTIONS=10,15)', () => {
  const d = dialect('modified-sora2api', { VIDEO_SECONDS_OPTIONS: '10,15' });

  it.each([
    [Orientation.Portrait, 10, 720, 1280],
    [Orientation.Landscape, 15, 1280, 720],
  ])(
    'makes %s %s s, following its redirect to the file',
    async (orientation, seconds, width, height) => {
      const { probed } = await d.generate({ orientation, durationSeconds: seconds });
      expect(probed).toMatchObject({ width, height });
      expect(probed.durationSeconds).toBeCloseTo(seconds, 0);
    },
  );

  it('names VIDEO_SECONDS_OPTIONS when a length it does not make is asked', async () => {
    const error = await d.failure({ durationSeconds: 8 });
    expect(error.message).toContain('Invalid seconds: 8. Valid: 10, 15');
    expect(error.message).toContain('Set VIDEO_SECONDS_OPTIONS');
  });

  it('fails a refused prompt, completed without a video, with the gateway’s reason', async () => {
    const error = await d.failure({ prompt: 'x [scenario:content-policy]' });
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toContain('HTTP 404');
    expect(error.message).toContain('Video content not available');
  });
});

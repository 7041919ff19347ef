import { ApiRoutes, JobStatus, VideoStatus } from '@vidgen/contracts';
import { FakeGateway, FakeGatewayOptions, startFakeGateway } from './fake-gateway/fake-gateway';
import { startApp, TestApp } from './support/app';
import { withBearer } from './support/http';
import { ffprobeBytes } from './support/media';
import { createUser, CreatedUser } from './support/users';
import { asBytes, bytesOf, createVideo, getVideo, waitForJob } from './support/videos';

/**
 * The API journey with VIDEO_PROVIDER=chat-stream through each chat dialect of section C of the
 * protocols page, with the settings the README's dialect table gives for it: both orientations
 * where the gateway can make them (the stored file probed), the lengths, and every failure form
 * with its code and sentence. sora2api as built today: chat-stream.e2e-spec.ts.
 */
interface Setup {
  gateway: FakeGateway;
  api: TestApp;
  user: CreatedUser;
  /** The lengths the provider offers (GET /api/providers). */
  lengths: number[];
}
/*
 * Passport keeps one `jwt` strategy per process: only the app started last accepts its users'
 * tokens. So each app is used until the next one starts, and stopped then.
 */
let current: Setup | undefined;

async function tearDown(): Promise<void> {
  await current?.api.close();
  await current?.gateway.close();
  current = undefined;
}

async function setUp(
  chatDialect: FakeGatewayOptions['chatDialect'],
  settings: Record<string, string>,
): Promise<Setup> {
  await tearDown();
  const gateway = await startFakeGateway({ progressIntervalMs: 40, chatDialect });
  const api = await startApp({
    VIDEO_PROVIDER: 'chat-stream',
    VIDEO_API_BASE_URL: gateway.url,
    VIDEO_API_KEY: gateway.apiKey,
    UPSTREAM_IDLE_TIMEOUT_SECONDS: '5',
    UPSTREAM_MAX_RETRIES: '0',
    ...settings,
  });
  const user = await createUser(api);
  const providers = await withBearer(api, user).get(ApiRoutes.providers);
  expect(providers.body.active).toMatchObject({ name: 'chat-stream', isLocalPreview: false });
  const setup = { gateway, api, user, lengths: providers.body.active.durationOptions as number[] };
  current = setup;
  return setup;
}

afterAll(tearDown);

async function generate(
  { api, user }: Setup,
  prompt: string,
  orientation: 'portrait' | 'landscape',
  durationSeconds: number,
) {
  const created = await createVideo(api, user, { prompt, orientation, durationSeconds });
  const job = await waitForJob(api, user, created.job.id);
  return { job, video: await getVideo(api, user, created.video.id) };
}

/** A video made as asked: stored, and the stored file itself of that frame and length. */
async function expectMade(
  setup: Setup,
  orientation: 'portrait' | 'landscape',
  durationSeconds: number,
  frame: { width: number; height: number },
): Promise<void> {
  const { job, video } = await generate(
    setup,
    `A ${orientation} harbour`,
    orientation,
    durationSeconds,
  );
  expect(job).toMatchObject({ status: JobStatus.Succeeded, error: null });
  expect(video).toMatchObject({ status: VideoStatus.Ready, orientation, ...frame });
  expect(video.durationSeconds).toBeCloseTo(durationSeconds, 0);
  const content = await asBytes(
    withBearer(setup.api, setup.user).get(ApiRoutes.videoContent(video.id)),
  );
  const probed = await ffprobeBytes(bytesOf(content), 'mp4');
  expect(probed).toMatchObject(frame);
  expect(probed.durationSeconds).toBeCloseTo(durationSeconds, 0);
  // Landscape is wider than tall, portrait taller than wide.
  expect(probed.width > probed.height).toBe(orientation === 'landscape');
}

/** A job that failed with this code, its sentence saying why in the gateway's words. */
async function expectFailure(setup: Setup, scenario: string, code: string, words: string | RegExp) {
  const { job, video } = await generate(
    setup,
    `A test [scenario:${scenario}]`,
    'portrait',
    setup.lengths[0],
  );
  expect(job.status).toBe(JobStatus.Failed);
  expect(job.error).toEqual({ code, message: expect.stringMatching(words) });
  expect(job.error?.message).not.toMatch(/gave no reason/);
  expect(video).toMatchObject({ status: VideoStatus.Failed, error: job.error, contentUrl: null });
}

function expectLengths(setup: Setup, lengths: number[]): void {
  expect(setup.lengths).toEqual(lengths);
}

const exactly = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('sora2api, legacy model names (VIDEO_MODEL_TEMPLATE=sora-video-{orientation}-{duration}s)', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp('sora2api-legacy', {
      VIDEO_MODEL_TEMPLATE: 'sora-video-{orientation}-{duration}s',
    });
  });

  it('offers 10 and 15 s and makes both orientations at both lengths', async () => {
    expectLengths(setup, [10, 15]);
    await expectMade(setup, 'portrait', 10, { width: 720, height: 1280 });
    await expectMade(setup, 'landscape', 15, { width: 1280, height: 720 });
  });

  it.each([
    [
      'content-policy',
      'CONTENT_POLICY',
      /^The video service refused the prompt under its content policy: This content may violate our guardrails/,
    ],
    [
      'error-chunk',
      'UPSTREAM_ERROR',
      new RegExp(
        `^${exactly('The video service reported an error: Upstream API timeout: Generation exceeded 1500 seconds limit')}$`,
      ),
    ],
    ['no-account', 'UPSTREAM_NO_ACCOUNT', /No available tokens for video generation/],
    [
      'cut',
      'UPSTREAM_STREAM_CUT',
      /^The connection to the video service closed before the video was ready\.$/,
    ],
  ])('fails [scenario:%s] with %s', (scenario, code, words) =>
    expectFailure(setup, scenario, code, words),
  );

  it('says the current model names are not offered by a legacy build', async () => {
    const current = await setUp('sora2api-legacy', {});
    expectLengths(current, [15]);
    await expectFailure(
      current,
      'success',
      'UPSTREAM_MODEL_NOT_OFFERED',
      /400: Invalid model: sora2-portrait-15s/,
    );
  });

  it('builds before 2025-12-11 report a refused prompt only as an internal error (not CONTENT_POLICY)', async () => {
    const old = await setUp(
      { dialect: 'sora2api-legacy', build: '2025-12-01' },
      { VIDEO_MODEL_TEMPLATE: 'sora-video-{orientation}-{duration}s' },
    );
    expectLengths(old, [10, 15]);
    await expectFailure(
      old,
      'content-policy',
      'UPSTREAM_ERROR',
      /'NoneType' object is not subscriptable/,
    );
  });
});

describe('Modified_Sora2api (VIDEO_MODEL_TEMPLATE=sora2-{orientation}-{duration}s)', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp('modified-sora2api', {
      VIDEO_MODEL_TEMPLATE: 'sora2-{orientation}-{duration}s',
    });
  });

  it('makes both orientations at its lengths, the stage in its `[stage] (status)` words', async () => {
    expectLengths(setup, [10, 15]);
    await expectMade(setup, 'portrait', 15, { width: 720, height: 1280 });
    await expectMade(setup, 'landscape', 10, { width: 1280, height: 720 });
  });

  it.each([
    [
      'content-policy',
      'CONTENT_POLICY',
      /^The video service refused the prompt under its content policy: This content may violate our guardrails/,
    ],
    ['error-chunk', 'UPSTREAM_ERROR', /Generation exceeded 1500 seconds limit$/],
    ['no-account', 'UPSTREAM_NO_ACCOUNT', /No available tokens for video generation/],
  ])('fails [scenario:%s] with %s', (scenario, code, words) =>
    expectFailure(setup, scenario, code, words),
  );
});

describe('Modified_Sora2api with a model name without orientation (VIDEO_MODEL_PORTRAIT=sora-2)', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp('modified-sora2api', {
      VIDEO_MODEL_PORTRAIT: 'sora-2',
      VIDEO_MODEL_LANDSCAPE: 'sora2-landscape-10s',
    });
  });

  it('fails a portrait request as WRONG_ORIENTATION, since the gateway made landscape, and stores nothing', async () => {
    const { job, video } = await generate(setup, 'A tall lighthouse', 'portrait', 10);
    expect(job.status).toBe(JobStatus.Failed);
    expect(job.error).toEqual({
      code: 'WRONG_ORIENTATION',
      message: expect.stringMatching(
        /^The video service made a landscape video \(1280x720\) with the model "sora-2" although portrait was asked for/,
      ),
    });
    expect(video).toMatchObject({
      status: VideoStatus.Failed,
      contentUrl: null,
      thumbnailUrl: null,
    });
  });
});

describe('grok2api v1 (VIDEO_MODEL_PORTRAIT=VIDEO_MODEL_LANDSCAPE=grok-imagine-0.9)', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp('grok2api-v1', {
      VIDEO_MODEL_PORTRAIT: 'grok-imagine-0.9',
      VIDEO_MODEL_LANDSCAPE: 'grok-imagine-0.9',
    });
  });

  it.each(['portrait', 'landscape'] as const)(
    'cannot make a %s video from a prompt alone: it answers a picture, and the job says so',
    async (orientation) => {
      expectLengths(setup, [10]);
      const { job } = await generate(setup, 'A fox in the snow', orientation, 10);
      expect(job.error).toEqual({
        code: 'UPSTREAM_NO_RESULT',
        message: expect.stringMatching(
          /^The video service answered with a picture instead of a video: .*input image/,
        ),
      });
    },
  );

  it.each([
    ['no-token', 'UPSTREAM_NO_ACCOUNT', /没有可用Token: grok-imagine-0\.9/],
    ['ip-blocked', 'UPSTREAM_LOCATION_BLOCKED', /您的IP被拦截/],
  ])('fails [scenario:%s] before the stream with %s', (scenario, code, words) =>
    expectFailure(setup, scenario, code, words),
  );

  it('refuses a wrong key with the gateway’s words, not raw JSON', async () => {
    const wrongKey = await setUp('grok2api-v1', {
      VIDEO_MODEL_PORTRAIT: 'grok-imagine-0.9',
      VIDEO_API_KEY: 'not-the-key',
    });
    expectLengths(wrongKey, [10]);
    await expectFailure(wrongKey, 'success', 'UPSTREAM_AUTH', /令牌无效，长度: 11/);
    const { job } = await generate(wrongKey, 'again', 'portrait', 10);
    expect(job.error?.message).not.toContain('{');
  });
});

describe('grok2api v2 from 2026-04-08 (VIDEO_MODEL_*=grok-imagine-video, VIDEO_SECONDS_OPTIONS=6,10,12,16,20)', () => {
  const grok = {
    VIDEO_MODEL_PORTRAIT: 'grok-imagine-video',
    VIDEO_MODEL_LANDSCAPE: 'grok-imagine-video',
    VIDEO_SECONDS_OPTIONS: '6,10,12,16,20',
  };
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp('grok2api-v2', grok);
  });

  it('makes both orientations at its lengths from video_config (default format: the provider’s link)', async () => {
    expectLengths(setup, [6, 10, 12, 16, 20]);
    await expectMade(setup, 'portrait', 6, { width: 720, height: 1280 });
    await expectMade(setup, 'landscape', 20, { width: 1280, height: 720 });
    const sent = setup.gateway.requests.filter((r) => r.path === '/v1/chat/completions').at(-1);
    expect(sent?.body).toMatchObject({
      model: 'grok-imagine-video',
      video_config: { seconds: 20, size: '1280x720', resolution_name: '720p' },
    });
  });

  it.each([
    ['no-account', 'UPSTREAM_NO_ACCOUNT', /No available accounts for video generation/],
    [
      'moderated',
      'UPSTREAM_NO_RESULT',
      /^The video service returned no video \(Video generation returned no final video URL\)\..*probably refused/,
    ],
    [
      'upstream-status',
      'UPSTREAM_ERROR',
      /^The video service reported an error: Video upstream returned 403$/,
    ],
    ['stream-error', 'UPSTREAM_ERROR', /Upstream stream error: peer closed connection/],
    ['cut', 'UPSTREAM_STREAM_CUT', /closed before the video was ready/],
  ])('fails [scenario:%s] with %s', (scenario, code, words) =>
    expectFailure(setup, scenario, code, words),
  );

  it.each(['local_url', 'local_html'] as const)(
    'resolves the relative link of %s (app_url empty) against the gateway',
    async (videoFormat) => {
      const local = await setUp({ dialect: 'grok2api-v2', videoFormat }, grok);
      expectLengths(local, [6, 10, 12, 16, 20]);
      await expectMade(local, 'landscape', 12, { width: 1280, height: 720 });
    },
  );

  it('refuses a wrong key (403 "Invalid API key.") as the key’s fault', async () => {
    const wrongKey = await setUp('grok2api-v2', { ...grok, VIDEO_API_KEY: 'not-the-key' });
    expectLengths(wrongKey, [6, 10, 12, 16, 20]);
    await expectFailure(wrongKey, 'success', 'UPSTREAM_AUTH', /Invalid API key\./);
  });
});

describe('grok2api v2 before 2026-04-08 (VIDEO_SECONDS_OPTIONS=6,10,15)', () => {
  const grok = {
    VIDEO_MODEL_PORTRAIT: 'grok-imagine-video',
    VIDEO_MODEL_LANDSCAPE: 'grok-imagine-video',
    VIDEO_SECONDS_OPTIONS: '6,10,15',
  };

  it('March builds: aspect_ratio and video_length, progress in <think>, the link in <source src>', async () => {
    const march = await setUp({ dialect: 'grok2api-v2', build: '2026-03-20' }, grok);
    expectLengths(march, [6, 10, 15]);
    await expectMade(march, 'portrait', 15, { width: 720, height: 1280 });
    await expectMade(march, 'landscape', 6, { width: 1280, height: 720 });
  });

  it('early April builds: no progress, ![video](URL); empty content when moderated', async () => {
    const april = await setUp({ dialect: 'grok2api-v2', build: '2026-04-05' }, grok);
    expectLengths(april, [6, 10, 15]);
    await expectMade(april, 'landscape', 10, { width: 1280, height: 720 });
    const { job } = await generate(april, 'A test [scenario:moderated]', 'portrait', 6);
    // This build really says nothing: the message says so rather than invent a reason.
    expect(job.error).toEqual({
      code: 'UPSTREAM_NO_RESULT',
      message: 'The video service finished without a video and gave no reason.',
    });
  });

  it('a length the build does not make is refused with its words (builds before 2026-03-06: 6, 10, 15 only)', async () => {
    const february = await setUp(
      { dialect: 'grok2api-v2', build: '2026-02-20' },
      { ...grok, VIDEO_SECONDS_OPTIONS: '6,12' },
    );
    expectLengths(february, [6, 12]);
    const { job } = await generate(february, 'A long take', 'landscape', 12);
    expect(job.error).toEqual({
      code: 'UPSTREAM_REJECTED',
      message: expect.stringContaining('video_length must be 6, 10, or 15 seconds'),
    });
  });
});

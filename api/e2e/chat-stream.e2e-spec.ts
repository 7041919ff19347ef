import { ApiRoutes, JobStatus, VideoStatus } from '@vidgen/contracts';
import { FakeGateway, startFakeGateway } from './fake-gateway/fake-gateway';
import { startApp, TestApp } from './support/app';
import { withBearer } from './support/http';
import { ffprobeBytes } from './support/media';
import { createUser, CreatedUser } from './support/users';
import {
  asBytes,
  bytesOf,
  cancelQuietly,
  createVideo,
  getJob,
  getVideo,
  sleep,
  waitForJob,
} from './support/videos';

// The full journey through the API with VIDEO_PROVIDER=chat-stream, against the fake gateway
// that speaks the Sora-compatible chat-completions protocol (scenarios chosen in the prompt).
let gateway: FakeGateway;
let api: TestApp;
let alice: CreatedUser;

beforeAll(async () => {
  gateway = await startFakeGateway({ progressIntervalMs: 50 });
  api = await startApp({
    VIDEO_PROVIDER: 'chat-stream',
    VIDEO_API_BASE_URL: gateway.url,
    VIDEO_API_KEY: gateway.apiKey,
    UPSTREAM_IDLE_TIMEOUT_SECONDS: '3',
  });
  alice = await createUser(api);
});

afterAll(async () => {
  await api?.close();
  await gateway?.close();
});

async function generate(prompt: string, orientation?: string) {
  const created = await createVideo(api, alice, {
    prompt,
    orientation,
    durationSeconds: undefined,
  });
  const job = await waitForJob(api, alice, created.job.id);
  return { job, video: await getVideo(api, alice, created.video.id) };
}

describe('chat-stream provider', () => {
  it('says which provider is active and offers its lengths', async () => {
    const response = await withBearer(api, alice).get(ApiRoutes.providers);
    expect(response.body.active).toMatchObject({
      name: 'chat-stream',
      isLocalPreview: false,
      durationOptions: [15],
    });
  });

  it.each([
    ['portrait', 'sora2-portrait-15s', 720, 1280],
    ['landscape', 'sora2-landscape-15s', 1280, 720],
  ])(
    'makes a %s video: the model names the orientation, the file is copied and plays',
    async (orientation, model, width, height) => {
      const { job, video } = await generate(`A ${orientation} harbour at dawn`, orientation);

      expect(job.status).toBe(JobStatus.Succeeded);
      expect(video).toMatchObject({
        status: VideoStatus.Ready,
        provider: 'chat-stream',
        model,
        width,
        height,
      });
      const sent = gateway.requests.filter((r) => r.path === '/v1/chat/completions').at(-1);
      expect(sent?.body).toMatchObject({
        model,
        stream: true,
        messages: [{ role: 'user', content: `A ${orientation} harbour at dawn` }],
      });
      const content = await asBytes(withBearer(api, alice).get(ApiRoutes.videoContent(video.id)));
      expect(await ffprobeBytes(bytesOf(content), 'mp4')).toMatchObject({ width, height });
    },
  );

  it.each([
    ['content-policy', 'CONTENT_POLICY'],
    ['error-chunk', 'UPSTREAM_ERROR'],
    ['cut', 'UPSTREAM_STREAM_CUT'],
    ['stall', 'UPSTREAM_IDLE_TIMEOUT'],
    ['private-url', 'DOWNLOAD_REFUSED'],
    ['not-video', 'INVALID_VIDEO'],
  ])('fails a [scenario:%s] job with %s and a message that says why', async (scenario, code) => {
    const { job, video } = await generate(`A test of ${scenario} [scenario:${scenario}]`);

    expect(job.status).toBe(JobStatus.Failed);
    expect(job.error?.code).toBe(code);
    expect(job.error?.message.length).toBeGreaterThan(10);
    expect(video).toMatchObject({ status: VideoStatus.Failed, error: job.error, contentUrl: null });
  });
});

describe('progress read between two upstream updates', () => {
  it('is the latest stage, not an older one (what a page loading then starts from)', async () => {
    // Real gateways report every 30 s; here 3 s, and the first report comes at once.
    const slow = await startFakeGateway({ progressIntervalMs: 3000 });
    const app = await startApp({
      VIDEO_PROVIDER: 'chat-stream',
      VIDEO_API_BASE_URL: slow.url,
      VIDEO_API_KEY: slow.apiKey,
    });
    try {
      const bob = await createUser(app);
      const created = await createVideo(app, bob, {
        prompt: 'A slow tide',
        durationSeconds: undefined,
      });
      await sleep(1800);

      expect(await getJob(app, bob, created.job.id)).toMatchObject({
        status: JobStatus.Running,
        stage: 'Initializing generation request...',
      });
      await cancelQuietly(app, bob, created.job.id);
    } finally {
      await app.close();
      await slow.close();
    }
  });
});

import { ApiRoutes, JobStatus, VideoStatus } from '@vidgen/contracts';
import { FakeGateway, startFakeGateway } from './fake-gateway/fake-gateway';
import { startApp, TestApp } from './support/app';
import { anonymous, withBearer } from './support/http';
import { ffprobeBytes } from './support/media';
import { createUser, CreatedUser } from './support/users';
import { asBytes, bytesOf, createVideo, eventually, getVideo, waitForJob } from './support/videos';

jest.setTimeout(120_000);

// The journey through the API with VIDEO_PROVIDER=openai-videos, against the fake gateway's
// OpenAI-style `/v1/videos` jobs (which advance by the wall clock whether polled or not).
let gateway: FakeGateway;
const apps: TestApp[] = [];

beforeAll(async () => {
  gateway = await startFakeGateway({ jobDurationMs: 1500 });
});

afterEach(async () => {
  // The last one started owns the shared data folder and database; close them all.
  for (const app of apps.splice(0).reverse()) await app.close();
});

afterAll(async () => {
  await gateway?.close();
});

async function start(restartOf?: TestApp): Promise<TestApp> {
  const env = {
    VIDEO_PROVIDER: 'openai-videos',
    VIDEO_API_BASE_URL: gateway.url,
    VIDEO_API_KEY: gateway.apiKey,
    UPSTREAM_IDLE_TIMEOUT_SECONDS: '3',
    DOWNLOAD_MAX_MB: '5',
  };
  const app = await startApp(env, { restartOf });
  apps.push(app);
  return app;
}

const isCreate = (r: { method: string; path: string }) =>
  r.method === 'POST' && r.path === '/v1/videos';

interface JobRow {
  status: string;
  attempt: number;
  upstream_job_id: string | null;
}

describe('openai-videos provider', () => {
  let api: TestApp;
  let alice: CreatedUser;

  beforeAll(async () => {
    api = await startApp({
      VIDEO_PROVIDER: 'openai-videos',
      VIDEO_API_BASE_URL: gateway.url,
      VIDEO_API_KEY: gateway.apiKey,
    });
    alice = await createUser(api);
  });

  afterAll(() => api?.close());

  it('says which provider is active and offers the lengths the API makes', async () => {
    const response = await withBearer(api, alice).get(ApiRoutes.providers);
    expect(response.body.active).toEqual({
      name: 'openai-videos',
      label: 'sora-2 (OpenAI-style video API)',
      isLocalPreview: false,
      durationOptions: [4, 8, 12],
    });
  });

  it.each([
    ['portrait', '720x1280', 720, 1280],
    ['landscape', '1280x720', 1280, 720],
  ])(
    'makes a %s video (size %s): the file is copied from /content and plays',
    async (orientation, size, width, height) => {
      const prompt = `A ${orientation} lighthouse at night`;
      const created = await createVideo(api, alice, { prompt, orientation, durationSeconds: 8 });
      const job = await waitForJob(api, alice, created.job.id);

      expect(job.status).toBe(JobStatus.Succeeded);
      const sent = gateway.requests
        .filter(isCreate)
        .find((r) => (r.body as { prompt: string }).prompt === prompt);
      expect(sent?.body).toEqual({ model: 'sora-2', prompt, seconds: '8', size });
      const video = await getVideo(api, alice, created.video.id);
      expect(video).toMatchObject({
        status: VideoStatus.Ready,
        provider: 'openai-videos',
        model: 'sora-2',
        width,
        height,
      });
      const content = await asBytes(withBearer(api, alice).get(ApiRoutes.videoContent(video.id)));
      expect(await ffprobeBytes(bytesOf(content), 'mp4')).toMatchObject({ width, height });
      const [row] = await api.db.select<JobRow>(
        'SELECT upstream_job_id FROM video_jobs WHERE id = ?',
        [job.id],
      );
      expect(row.upstream_job_id).toMatch(/^video_[0-9a-f]+$/);
    },
  );

  it('refuses a length the API does not make, naming the field', async () => {
    const response = await withBearer(api, alice)
      .post(ApiRoutes.videos)
      .send({ prompt: 'A fox', durationSeconds: 5 });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('durationSeconds');
  });

  it.each([
    ['failed', 'CONTENT_POLICY', 'Your request was blocked by our moderation system.'],
    ['bad-size', 'UPSTREAM_REJECTED', 'This size is not supported'],
    ['oversized', 'DOWNLOAD_TOO_LARGE', 'over the limit of 5 MB, DOWNLOAD_MAX_MB'],
    ['not-video', 'INVALID_VIDEO', 'not a playable video'],
    ['poll-hang', 'UPSTREAM_IDLE_TIMEOUT', 'sent nothing for 3 seconds'],
  ])('fails a [scenario:%s] job with %s and the reason', async (scenario, code, words) => {
    const app = await start();
    const bob = await createUser(app);
    const created = await createVideo(app, bob, {
      prompt: `A test of ${scenario} [scenario:${scenario}]`,
      durationSeconds: 4,
    });
    const job = await waitForJob(app, bob, created.job.id);

    expect(job.status).toBe(JobStatus.Failed);
    expect(job.error).toMatchObject({ code, message: expect.stringContaining(words) });
    expect(await getVideo(app, bob, created.video.id)).toMatchObject({
      status: VideoStatus.Failed,
      error: job.error,
      contentUrl: null,
    });
  });
});

describe('a restart during an openai-videos job', () => {
  it('resumes polling the same upstream job instead of creating another', async () => {
    const first = await start();
    const alice = await createUser(first);
    const prompt = 'A paid-for generation that outlives a restart';
    const created = await createVideo(first, alice, { prompt, durationSeconds: 4 });
    // Stopped mid-job, once the upstream accepted it.
    await waitForJob(first, alice, created.job.id, [JobStatus.Running]);
    const upstreamId = await eventually(async () => {
      const [row] = await first.db.select<JobRow>(
        'SELECT upstream_job_id FROM video_jobs WHERE id = ?',
        [created.job.id],
      );
      expect(row.upstream_job_id).toMatch(/^video_[0-9a-f]+$/);
      return row.upstream_job_id;
    });
    await first.stop();

    const second = await start(first);
    const job = await waitForJob(second, alice, created.job.id);

    expect(job).toMatchObject({ status: JobStatus.Succeeded, attempt: 2 });
    expect(
      gateway.requests.filter(
        (r) => isCreate(r) && (r.body as { prompt: string }).prompt === prompt,
      ),
    ).toHaveLength(1);
    const polled = gateway.requests.filter(
      (r) => r.method === 'GET' && r.path === `/v1/videos/${upstreamId}`,
    );
    expect(polled.length).toBeGreaterThan(0);
    const [row] = await second.db.select<JobRow>(
      'SELECT status, attempt, upstream_job_id FROM video_jobs WHERE id = ?',
      [created.job.id],
    );
    expect(row.upstream_job_id).toBe(upstreamId);
    expect(await getVideo(second, alice, created.video.id)).toMatchObject({
      status: VideoStatus.Ready,
      width: 720,
      height: 1280,
    });
  });

  it('starts a new upstream job when the user retries a failed one', async () => {
    const app = await start();
    const alice = await createUser(app);
    const created = await createVideo(app, alice, {
      prompt: 'Fails, then tried again [scenario:failed]',
      durationSeconds: 4,
    });
    const failed = await waitForJob(app, alice, created.job.id);
    expect(failed.status).toBe(JobStatus.Failed);

    const retried = await withBearer(app, alice).post(ApiRoutes.jobRetry(created.job.id));
    expect(retried.status).toBe(202);
    const again = await waitForJob(app, alice, retried.body.job.id);
    expect(again.status).toBe(JobStatus.Failed);
    const rows = await app.db.select<JobRow>(
      'SELECT upstream_job_id FROM video_jobs WHERE video_id = ?',
      [created.video.id],
    );
    expect(new Set(rows.map((r) => r.upstream_job_id)).size).toBe(2);
  });
});

describe('an upstream that is down', () => {
  it('fails the job saying it could not be reached, while the API keeps answering', async () => {
    // A port nothing listens on: the gateway stopped.
    const down = await startFakeGateway();
    await down.close();
    const app = await startApp({
      VIDEO_PROVIDER: 'openai-videos',
      VIDEO_API_BASE_URL: down.url,
      VIDEO_API_KEY: down.apiKey,
      UPSTREAM_MAX_RETRIES: '2',
    });
    apps.push(app);
    const alice = await createUser(app);
    const created = await createVideo(app, alice, {
      prompt: 'A harbour nobody can reach',
      durationSeconds: 4,
    });

    const health = await anonymous(app).get(ApiRoutes.health);
    expect(health.status).toBe(200);
    const job = await waitForJob(app, alice, created.job.id);
    expect(job.status).toBe(JobStatus.Failed);
    expect(job.error).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      message: `Could not reach the video service at ${new URL(down.url).host} (connection refused) after 3 attempts.`,
    });
  });
});

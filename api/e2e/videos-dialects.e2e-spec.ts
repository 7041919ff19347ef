import { ApiRoutes, JobStatus, Orientation, VideoStatus } from '@vidgen/contracts';
import { FakeGateway, startFakeGateway } from './fake-gateway/fake-gateway';
import { VideosDialectName } from './fake-gateway/videos-api';
import { startApp, TestApp } from './support/app';
import { withBearer } from './support/http';
import { ffprobeBytes } from './support/media';
import { createUser, CreatedUser } from './support/users';
import { asBytes, bytesOf, createVideo, eventually, getVideo, waitForJob } from './support/videos';

jest.setTimeout(180_000);

// The journey through the API with VIDEO_PROVIDER=openai-videos against each `/v1/videos`
// dialect of the fake gateway (section C of the protocols page), set up as the README's dialect
// table says: both orientations come back as asked (ffprobe on the stored file), at the length
// asked; every failure form ends the job with its code and the gateway's words; and a restart
// resumes the same upstream job.
const JOB_MS = 1500;

interface DialectCase {
  title: string;
  dialect: VideosDialectName;
  /** The settings the README's dialect table gives for it. */
  settings: Record<string, string>;
  durationOptions: number[];
  /** The upstream's ids. */
  ids: RegExp;
  /** [scenario, code, words of the message] */
  failures: [string, string, string][];
}

const CASES: DialectCase[] = [
  {
    title: 'new-api',
    dialect: 'new-api',
    settings: {},
    durationOptions: [4, 8, 12],
    ids: /^task_[A-Za-z0-9]{32}$/,
    failures: [
      [
        'moderation-submit',
        'CONTENT_POLICY',
        'The video service refused the prompt under its content policy: Your request was blocked by our moderation system.',
      ],
      ['failed', 'CONTENT_POLICY', 'Your request was blocked by our moderation system.'],
      [
        'task-timeout',
        'UPSTREAM_FAILED',
        'The video service could not make the video: 任务超时（1440分钟） (the gateway gave up waiting for the generation)',
      ],
      [
        'forgotten',
        'UPSTREAM_JOB_LOST',
        '(HTTP 400: task_not_exist): it was lost or expired there',
      ],
      ['quota-old', 'UPSTREAM_QUOTA', 'user quota is not enough'],
      ['quota-403', 'UPSTREAM_QUOTA', '用户额度不足'],
      ['content-502', 'DOWNLOAD_FAILED', 'Upstream service returned status 404'],
    ],
  },
  {
    title: 'go-sora2api',
    dialect: 'go-sora2api',
    settings: { VIDEO_MODEL_TEMPLATE: 'sora-2-{orientation}-{duration}s' },
    durationOptions: [10, 15],
    ids: /^task_[0-9a-f]{8}$/,
    failures: [
      [
        'content-violation',
        'CONTENT_POLICY',
        'The video service refused the prompt under its content policy: 获取下载链接失败: 内容违规: 内容违反使用政策',
      ],
      ['stuck', 'UPSTREAM_FAILED', '轮询超时 (the gateway gave up waiting for the generation)'],
      ['no-account', 'UPSTREAM_NO_ACCOUNT', '无可用账号: 没有可用的 Sora 账号'],
    ],
  },
  {
    title: 'grok2api v2',
    dialect: 'grok2api',
    settings: { VIDEO_MODEL: 'grok-imagine-video', VIDEO_SECONDS_OPTIONS: '6,10,12,16,20' },
    durationOptions: [6, 10, 12, 16, 20],
    ids: /^video_[0-9a-f]{32}$/,
    failures: [
      [
        'failed',
        'UPSTREAM_FAILED',
        'The video service could not make the video: Video generation returned no final video URL',
      ],
      ['no-account', 'UPSTREAM_NO_ACCOUNT', 'No available accounts for video generation'],
      [
        'forgotten',
        'UPSTREAM_JOB_LOST',
        'not found (param: video_id)): it was lost or expired there',
      ],
    ],
  },
  {
    title: 'Modified_Sora2api',
    dialect: 'modified-sora2api',
    settings: { VIDEO_SECONDS_OPTIONS: '10,15' },
    durationOptions: [10, 15],
    ids: /^sora-2-[0-9a-f]{12}$/,
    failures: [
      ['content-policy', 'DOWNLOAD_FAILED', 'Video content not available'],
      ['failed', 'UPSTREAM_FAILED', 'exceeded 1500 seconds limit'],
    ],
  },
];

interface JobRow {
  upstream_job_id: string | null;
}

const isCreate = (r: { method: string; path: string }) =>
  r.method === 'POST' && r.path === '/v1/videos';

function settingsFor(gateway: FakeGateway, c: DialectCase): Record<string, string> {
  return {
    VIDEO_PROVIDER: 'openai-videos',
    VIDEO_API_BASE_URL: gateway.url,
    VIDEO_API_KEY: gateway.apiKey,
    UPSTREAM_POLL_INTERVAL_SECONDS: '1',
    UPSTREAM_MAX_RETRIES: '1',
    DOWNLOAD_MAX_MB: '5',
    ...c.settings,
  };
}

describe.each(CASES)('openai-videos through $title', (c) => {
  let gateway: FakeGateway;
  let api: TestApp;
  let alice: CreatedUser;

  beforeAll(async () => {
    gateway = await startFakeGateway({ jobDurationMs: JOB_MS, videosDialect: c.dialect });
    api = await startApp(settingsFor(gateway, c));
    alice = await createUser(api);
  });

  afterAll(async () => {
    await api?.close();
    await gateway?.close();
  });

  it('offers the lengths the gateway makes', async () => {
    const response = await withBearer(api, alice).get(ApiRoutes.providers);
    expect(response.body.active).toMatchObject({
      name: 'openai-videos',
      durationOptions: c.durationOptions,
    });
  });

  it.each([
    [Orientation.Portrait, 720, 1280],
    [Orientation.Landscape, 1280, 720],
  ])(
    'makes a %s video of the length asked: the stored file is %ix%i',
    async (orientation, width, height) => {
      const durationSeconds = c.durationOptions[c.durationOptions.length > 1 ? 1 : 0];
      const prompt = `A ${orientation} lighthouse through ${c.title}`;
      const created = await createVideo(api, alice, { prompt, orientation, durationSeconds });
      const job = await waitForJob(api, alice, created.job.id);

      expect(job).toMatchObject({ status: JobStatus.Succeeded, error: null });
      const video = await getVideo(api, alice, created.video.id);
      expect(video).toMatchObject({ status: VideoStatus.Ready, orientation, width, height });
      expect(video.durationSeconds).toBeCloseTo(durationSeconds, 0);
      const content = await asBytes(withBearer(api, alice).get(ApiRoutes.videoContent(video.id)));
      const probed = await ffprobeBytes(bytesOf(content), 'mp4');
      expect(probed).toMatchObject({ width, height });
      expect(probed.durationSeconds).toBeCloseTo(durationSeconds, 0);
      const [row] = await api.db.select<JobRow>(
        'SELECT upstream_job_id FROM video_jobs WHERE id = ?',
        [job.id],
      );
      expect(row.upstream_job_id).toMatch(c.ids);
    },
  );

  it.each(c.failures)(
    'fails a [scenario:%s] job with %s, saying “%s”',
    async (scenario, code, words) => {
      const created = await createVideo(api, alice, {
        prompt: `A test of ${scenario} [scenario:${scenario}]`,
        durationSeconds: c.durationOptions[0],
      });
      const job = await waitForJob(api, alice, created.job.id);

      expect(job.status).toBe(JobStatus.Failed);
      expect(job.error).toMatchObject({ code, message: expect.stringContaining(words) });
      expect(job.error?.message).not.toContain(gateway.apiKey);
      expect(await getVideo(api, alice, created.video.id)).toMatchObject({
        status: VideoStatus.Failed,
        error: job.error,
      });
    },
  );

  it('resumes the same upstream job after a restart, creating no other', async () => {
    const first = await startApp(settingsFor(gateway, c));
    const bob = await createUser(first);
    try {
      const created = await createVideo(first, bob, {
        prompt: `A paid-for generation through ${c.title} that outlives a restart`,
        orientation: Orientation.Landscape,
        durationSeconds: c.durationOptions[0],
      });
      const upstreamId = await eventually(async () => {
        const [row] = await first.db.select<JobRow>(
          'SELECT upstream_job_id FROM video_jobs WHERE id = ?',
          [created.job.id],
        );
        expect(row.upstream_job_id).toMatch(c.ids);
        return row.upstream_job_id;
      });
      await first.stop();
      const restartedAt = gateway.requests.length;

      const second = await startApp(settingsFor(gateway, c), { restartOf: first });
      try {
        const job = await waitForJob(second, bob, created.job.id);
        expect(job).toMatchObject({ status: JobStatus.Succeeded, attempt: 2 });
        expect(gateway.requests.slice(restartedAt).filter(isCreate)).toEqual([]);
        expect(
          gateway.requests
            .slice(restartedAt)
            .some((r) => r.method === 'GET' && r.path === `/v1/videos/${upstreamId}`),
        ).toBe(true);
        expect(await getVideo(second, bob, created.video.id)).toMatchObject({
          status: VideoStatus.Ready,
          width: 1280,
          height: 720,
        });
      } finally {
        await second.stop();
      }
    } finally {
      await first.close();
    }
  });
});

describe('openai-videos through new-api restarted without its tasks', () => {
  it('creates a new task when new-api answers task_not_exist for the stored one', async () => {
    const c = CASES[0];
    const before = await startFakeGateway({ jobDurationMs: 20_000, videosDialect: 'new-api' });
    const after = await startFakeGateway({ jobDurationMs: JOB_MS, videosDialect: 'new-api' });
    const first = await startApp(settingsFor(before, c));
    try {
      const alice = await createUser(first);
      const created = await createVideo(first, alice, {
        prompt: 'Outlives its gateway',
        durationSeconds: 4,
      });
      const forgotten = await eventually(async () => {
        const [row] = await first.db.select<JobRow>(
          'SELECT upstream_job_id FROM video_jobs WHERE id = ?',
          [created.job.id],
        );
        expect(row.upstream_job_id).toMatch(c.ids);
        return row.upstream_job_id;
      });
      await first.stop();
      await before.close();

      // The same address space, a gateway whose table lost the task: a restored backup, say.
      const second = await startApp(settingsFor(after, c), { restartOf: first });
      try {
        const job = await waitForJob(second, alice, created.job.id);
        expect(job).toMatchObject({ status: JobStatus.Succeeded, attempt: 2 });
        const polled = after.requests.filter((r) => r.path === `/v1/videos/${forgotten}`);
        expect(polled).toHaveLength(1);
        expect(after.requests.filter(isCreate)).toHaveLength(1);
        const [row] = await second.db.select<JobRow>(
          'SELECT upstream_job_id FROM video_jobs WHERE id = ?',
          [created.job.id],
        );
        expect(row.upstream_job_id).not.toBe(forgotten);
      } finally {
        await second.stop();
      }
    } finally {
      await first.close();
      await after.close();
    }
  });
});

describe('openai-videos through go-sora2api with the default VIDEO_MODEL=sora-2', () => {
  it('fails the job saying which setting puts the orientation in the model name', async () => {
    const gateway = await startFakeGateway({ jobDurationMs: JOB_MS, videosDialect: 'go-sora2api' });
    const api = await startApp(settingsFor(gateway, { ...CASES[1], settings: {} }));
    try {
      const alice = await createUser(api);
      const created = await createVideo(api, alice, { prompt: 'A fox', durationSeconds: 4 });
      const job = await waitForJob(api, alice, created.job.id);
      expect(job.status).toBe(JobStatus.Failed);
      expect(job.error?.message).toBe(
        'The video service reads the orientation from the model name and found none in "sora-2" ' +
          '(HTTP 400: 模型名称中未找到方向（landscape/portrait）: sora-2): set ' +
          'VIDEO_MODEL_TEMPLATE=sora-2-{orientation}-{duration}s (go-sora2api), or VIDEO_MODEL_PORTRAIT ' +
          'and VIDEO_MODEL_LANDSCAPE to names with "portrait" and "landscape" in them.',
      );
    } finally {
      await api.close();
      await gateway.close();
    }
  });
});

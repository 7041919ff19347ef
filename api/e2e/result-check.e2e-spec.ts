import { ApiRoutes, JobStatus, Orientation, VideoStatus } from '@vidgen/contracts';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions, MIGRATIONS } from '../src/database/database.module';
import { openMigrated } from '../src/database/migrate-once';
import { AddRequestedShape1764518400000 } from '../src/database/migrations/1764518400000-add-requested-shape';
import { FakeGateway, startFakeGateway } from './fake-gateway/fake-gateway';
import { startApp, TestApp } from './support/app';
import { createTestDatabase } from './support/database';
import { withBearer } from './support/http';
import {
  FakeFfmpeg,
  fakeFfmpeg,
  FFMPEG,
  ffprobeBytes,
  storedFilesOf,
  workFolderOf,
} from './support/media';
import { createUser, CreatedUser } from './support/users';
import {
  asBytes,
  bytesOf,
  createVideo,
  expectVideoShape,
  getVideo,
  listVideos,
  waitForJob,
} from './support/videos';

jest.setTimeout(120_000);

// A gateway whose landscape model makes portrait videos: the misconfiguration (or the gateway
// that ignores the orientation) that used to store a 720x1280 file as "landscape". The fake
// gateway makes each model's own orientation.
const MISCONFIGURED = {
  VIDEO_PROVIDER: 'chat-stream',
  VIDEO_MODEL_PORTRAIT: 'sora2-portrait-15s',
  VIDEO_MODEL_LANDSCAPE: 'sora2-portrait-15s',
};

let gateway: FakeGateway;

beforeAll(async () => {
  gateway = await startFakeGateway({ progressIntervalMs: 50 });
});

afterAll(async () => {
  await gateway?.close();
});

async function startOnGateway(settings: Record<string, string> = {}): Promise<TestApp> {
  return startApp({
    ...MISCONFIGURED,
    VIDEO_API_BASE_URL: gateway.url,
    VIDEO_API_KEY: gateway.apiKey,
    ...settings,
  });
}

async function generate(api: TestApp, user: CreatedUser, prompt: string, orientation: string) {
  const created = await createVideo(api, user, { prompt, orientation, durationSeconds: undefined });
  const job = await waitForJob(api, user, created.job.id);
  return { job, video: await getVideo(api, user, created.video.id) };
}

describe('a file of another orientation than requested (ORIENTATION_MISMATCH unset: fail)', () => {
  let api: TestApp;
  let alice: CreatedUser;

  beforeAll(async () => {
    api = await startOnGateway();
    alice = await createUser(api);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('fails the job with WRONG_ORIENTATION and a sentence saying what came back, storing nothing', async () => {
    const { job, video } = await generate(api, alice, 'A wide harbour at dawn', 'landscape');

    const sent = gateway.requests.filter((r) => r.path === '/v1/chat/completions').at(-1);
    expect(sent?.body).toMatchObject({ model: 'sora2-portrait-15s' });
    expect(job.status).toBe(JobStatus.Failed);
    expect(job.error).toEqual({
      code: 'WRONG_ORIENTATION',
      message:
        'The video service made a portrait video (720x1280) with the model "sora2-portrait-15s" ' +
        'although landscape was asked for; check the model settings (VIDEO_MODEL_LANDSCAPE, ' +
        'VIDEO_MODEL_TEMPLATE).',
    });
    expectVideoShape(video);
    expect(video).toMatchObject({
      status: VideoStatus.Failed,
      error: job.error,
      orientation: Orientation.Landscape,
      requestedOrientation: Orientation.Landscape,
      width: null,
      height: null,
      contentUrl: null,
      thumbnailUrl: null,
    });
    expect(await storedFilesOf(api, alice.user.id, video.id)).toEqual([]);
    expect(existsSync(workFolderOf(api, job.id))).toBe(false);
    const content = await withBearer(api, alice).get(ApiRoutes.videoContent(video.id));
    expect(content.status).toBe(404);
  });

  it('stores a file of the requested orientation, the request and the result agreeing', async () => {
    const { job, video } = await generate(api, alice, 'A tall lighthouse', 'portrait');

    expect(job.status).toBe(JobStatus.Succeeded);
    expectVideoShape(video);
    expect(video).toMatchObject({
      status: VideoStatus.Ready,
      orientation: Orientation.Portrait,
      requestedOrientation: Orientation.Portrait,
      width: 720,
      height: 1280,
      requestedDurationSeconds: 15,
    });
  });
});

describe('a file of another orientation than requested with ORIENTATION_MISMATCH=keep', () => {
  let api: TestApp;
  let bob: CreatedUser;

  beforeAll(async () => {
    api = await startOnGateway({ ORIENTATION_MISMATCH: 'keep' });
    bob = await createUser(api);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('is stored and marked with its own orientation, the request still visible', async () => {
    const { job, video } = await generate(api, bob, 'A wide harbour at noon', 'landscape');

    expect(job).toMatchObject({ status: JobStatus.Succeeded, error: null });
    expectVideoShape(video);
    expect(video).toMatchObject({
      status: VideoStatus.Ready,
      orientation: Orientation.Portrait,
      requestedOrientation: Orientation.Landscape,
      width: 720,
      height: 1280,
      requestedDurationSeconds: 15,
      error: null,
    });
    const content = await asBytes(withBearer(api, bob).get(ApiRoutes.videoContent(video.id)));
    expect(await ffprobeBytes(bytesOf(content), 'mp4')).toMatchObject({ width: 720, height: 1280 });
    // Filed under what it is.
    expect((await listVideos(api, bob, '?orientation=portrait')).map((v) => v.id)).toEqual([
      video.id,
    ]);
    expect(await listVideos(api, bob, '?orientation=landscape')).toEqual([]);
  });
});

// The local renderer always makes what it is asked for; this ffmpeg spoils its render afterwards
// when the prompt says so: `[cut]` keeps the first second, `[turn]` adds a quarter-turn rotation
// (as phones store portrait video), which players and the probe apply.
const CUT = '[cut]';
const TURN = '[turn]';

describe('what the local renderer made, spoilt after the render', () => {
  let ffmpeg: FakeFfmpeg;
  let api: TestApp;
  let carol: CreatedUser;

  beforeAll(async () => {
    ffmpeg = await fakeFfmpeg(
      [
        `'${FFMPEG}' "$@" || exit $?`,
        '[ -f prompt.txt ] && [ -f output.mp4 ] || exit 0',
        `if grep -qF '${CUT}' prompt.txt; then`,
        `  '${FFMPEG}' -v error -y -i output.mp4 -t 1 -c copy spoilt.mp4 || exit $?`,
        `elif grep -qF '${TURN}' prompt.txt; then`,
        `  '${FFMPEG}' -v error -y -i output.mp4 -c copy -metadata:s:v:0 rotate=90 spoilt.mp4 || exit $?`,
        'else',
        '  exit 0',
        'fi',
        'mv spoilt.mp4 output.mp4',
      ].join('\n'),
    );
    api = await startApp({ FFMPEG_PATH: ffmpeg.path });
    carol = await createUser(api);
  });

  afterAll(async () => {
    await api?.close();
    await ffmpeg?.remove();
  });

  it('records a length far from the request: the real one, and the one asked for', async () => {
    const created = await createVideo(api, carol, {
      prompt: `${CUT} A short wave`,
      durationSeconds: 4,
    });
    const job = await waitForJob(api, carol, created.job.id);
    const video = await getVideo(api, carol, created.video.id);

    expect(job.status).toBe(JobStatus.Succeeded);
    expect(video).toMatchObject({ status: VideoStatus.Ready, requestedDurationSeconds: 4 });
    expect(video.durationSeconds).toBeLessThan(1.5);
    const [row] = await api.db.select<Record<string, unknown>>(
      'SELECT duration_seconds, requested_duration_seconds FROM videos WHERE id = ?',
      [video.id],
    );
    expect(Number(row?.['requested_duration_seconds'])).toBe(4);
    expect(Number(row?.['duration_seconds'])).toBe(video.durationSeconds);
  });

  it('reads the orientation as players show it: portrait frames turned a quarter are landscape', async () => {
    const created = await createVideo(api, carol, {
      prompt: `${TURN} A tall tree`,
      orientation: 'portrait',
    });
    const job = await waitForJob(api, carol, created.job.id);

    expect(job.status).toBe(JobStatus.Failed);
    expect(job.error?.code).toBe('WRONG_ORIENTATION');
    expect(job.error?.message).toMatch(
      /^The video service made a landscape video \(1280x720\) with the model "[^"]+" although portrait was asked for; check the model settings \(VIDEO_MODEL_PORTRAIT, VIDEO_MODEL_TEMPLATE\)\.$/,
    );
    expect(await storedFilesOf(api, carol.user.id, created.video.id)).toEqual([]);
  });
});

describe('videos stored before the request was kept apart', () => {
  it('take their own orientation and length, in whole seconds of at least one, as the request', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'vidgen-e2e-migration-'));
    const db = await createTestDatabase(dataDir);
    const options = dataSourceOptions(
      loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...db.env }, dataDir),
    ) as DataSourceOptions;
    const userId = randomUUID();
    const videos = [
      { id: randomUUID(), orientation: 'landscape', duration: 9.96, expected: 10 },
      { id: randomUUID(), orientation: 'portrait', duration: 15, expected: 15 },
      { id: randomUUID(), orientation: 'portrait', duration: 0.4, expected: 1 },
    ];
    try {
      const before = await openMigrated({
        ...options,
        migrations: MIGRATIONS.filter((m) => m !== AddRequestedShape1764518400000),
      } as DataSourceOptions);
      const now = '2026-01-01 00:00:00.000';
      await before.query(
        'INSERT INTO users (id, email, password_hash, display_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        [userId, `${userId}@example.com`, 'x', 'Old', now, now],
      );
      for (const video of videos) {
        await before.query(
          'INSERT INTO videos (id, user_id, prompt, title, orientation, status, provider, ' +
            'duration_seconds, favorite, current_job_id, created_at, updated_at) ' +
            "VALUES (?, ?, 'p', 't', ?, 'ready', 'local', ?, 0, ?, ?, ?)",
          [video.id, userId, video.orientation, video.duration, randomUUID(), now, now],
        );
      }
      await before.destroy();

      const after = await openMigrated(options);
      await after.destroy();

      const rows = await db.select<Record<string, unknown>>(
        'SELECT id, orientation, requested_orientation, duration_seconds, requested_duration_seconds FROM videos',
      );
      for (const video of videos) {
        const row = rows.find((r) => r['id'] === video.id);
        expect(row?.['requested_orientation']).toBe(video.orientation);
        expect(Number(row?.['requested_duration_seconds'])).toBe(video.expected);
        expect(Number(row?.['duration_seconds'])).toBe(video.duration);
      }
    } finally {
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

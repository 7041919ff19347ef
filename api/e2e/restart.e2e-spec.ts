import { ApiRoutes, JobStatus, VideoStatus } from '@vidgen/contracts';
import { startApp, TestApp } from './support/app';
import { bearerHeaders, withBearer } from './support/http';
import {
  ffprobeBytes,
  filesIn,
  hangingFfmpeg,
  storedFilesOf,
  storedNamesOf,
  userVideoDir,
  workFolders,
} from './support/media';
import { openSse } from './support/sse';
import { createUser } from './support/users';
import {
  asBytes,
  bytesOf,
  createVideo,
  getVideo,
  sleep,
  waitForJob,
  waitForRendering,
} from './support/videos';

jest.setTimeout(180_000);

// Each test starts its own apps: the point is what a stopped one leaves to the next.
const apps: TestApp[] = [];

afterEach(async () => {
  // The last one started owns the shared data folder and database; close them all.
  for (const app of apps.splice(0).reverse()) await app.close();
});

async function start(env: Record<string, string>, restartOf?: TestApp): Promise<TestApp> {
  const app = await startApp(env, { restartOf });
  apps.push(app);
  return app;
}

interface JobRow {
  id: string;
  status: string;
  attempt: number;
}
interface VideoRow {
  id: string;
  status: string;
  file_key: string | null;
  thumbnail_key: string | null;
}

describe('a restart of the server', () => {
  it('hands the running job back at shutdown (attempt 2); the next start runs it and the one still queued; both complete, nothing half-written', async () => {
    const env = { JOB_CONCURRENCY: '1' };
    const first = await start(env);
    const alice = await createUser(first);
    // Long enough to be mid-render when the server stops.
    const running = await createVideo(first, alice, {
      prompt: 'Interrupted by a restart',
      durationSeconds: 10,
    });
    const queued = await createVideo(first, alice, {
      prompt: 'Waiting through a restart',
      orientation: 'landscape',
    });
    await waitForRendering(first, alice, running.job.id);

    await first.stop();

    // The database and the disk as the stopped server left them.
    const jobs = await first.db.select<JobRow>(
      'SELECT id, status, attempt FROM video_jobs ORDER BY created_at',
    );
    expect(
      jobs.map(({ id, status, attempt }) => ({ id, status, attempt: Number(attempt) })),
    ).toEqual([
      // Handed back at shutdown as its next attempt.
      { id: running.job.id, status: JobStatus.Queued, attempt: 2 },
      { id: queued.job.id, status: JobStatus.Queued, attempt: 1 },
    ]);
    const videos = await first.db.select<VideoRow>(
      'SELECT id, status, file_key, thumbnail_key FROM videos ORDER BY created_at',
    );
    expect(videos).toEqual([
      { id: running.video.id, status: VideoStatus.Queued, file_key: null, thumbnail_key: null },
      { id: queued.video.id, status: VideoStatus.Queued, file_key: null, thumbnail_key: null },
    ]);
    expect(await filesIn(userVideoDir(first, alice.user.id))).toEqual([]);

    const second = await start(env, first);

    // The same session works: the secret and the sessions live in the data folder and database.
    const resumed = await waitForJob(second, alice, running.job.id);
    expect(resumed).toMatchObject({
      status: JobStatus.Succeeded,
      attempt: 2,
      progress: 100,
      error: null,
    });
    expect(await waitForJob(second, alice, queued.job.id)).toMatchObject({
      status: JobStatus.Succeeded,
      attempt: 1,
    });
    for (const [video, width, height] of [
      [running.video, 720, 1280],
      [queued.video, 1280, 720],
    ] as const) {
      expect(await getVideo(second, alice, video.id)).toMatchObject({
        status: VideoStatus.Ready,
        width,
        height,
      });
      const content = await asBytes(
        withBearer(second, alice).get(ApiRoutes.videoContent(video.id)),
      );
      expect(content.status).toBe(200);
      const probed = await ffprobeBytes(bytesOf(content), 'mp4');
      expect(probed).toMatchObject({ width, height, codec: 'h264' });
      expect(probed.durationSeconds).toBeCloseTo(video.durationSeconds, 1);
    }
    expect(await filesIn(userVideoDir(second, alice.user.id))).toEqual(
      [running.video.id, queued.video.id].sort(),
    );
    for (const [{ video, job }, attempt] of [
      [running, 2],
      [queued, 1],
    ] as const) {
      expect(await storedFilesOf(second, alice.user.id, video.id)).toEqual(
        storedNamesOf({ id: job.id, attempt }),
      );
    }
    expect(await workFolders(second)).toEqual([]);
  });

  it('stops within 5 s with an event stream open, ending the stream', async () => {
    const ffmpeg = await hangingFfmpeg();
    try {
      const first = await start({ FFMPEG_PATH: ffmpeg.path, SSE_HEARTBEAT_SECONDS: '1' });
      const alice = await createUser(first);
      const { job } = await createVideo(first, alice);
      await waitForJob(first, alice, job.id, [JobStatus.Running]);
      // As a browser on the Library page holds it open.
      const stream = await openSse(first, ApiRoutes.jobsStream, bearerHeaders(alice));
      await stream.waitFor((event) => event.event === 'snapshot', 5000);

      const stopped = first.stop().then(() => 'stopped');
      try {
        expect(
          await Promise.race([stopped, sleep(5000).then(() => 'still stopping after 5 s')]),
        ).toBe('stopped');
        await stream.waitForEnd(1000);
      } finally {
        // Only the client leaving lets the server finish stopping.
        stream.close();
        await stopped;
      }
    } finally {
      for (const app of apps.splice(0).reverse()) await app.close();
      await ffmpeg.remove();
    }
  });
});

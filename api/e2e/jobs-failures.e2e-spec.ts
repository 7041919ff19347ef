import { ApiRoutes, JobEventData, JobStatus, VideoStatus } from '@vidgen/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, TestApp } from './support/app';
import { bearerHeaders } from './support/http';
import {
  failingFfmpeg,
  FakeFfmpeg,
  hangingFfmpeg,
  processesIn,
  storedFilesOf,
  workFolderOf,
  workFolders,
} from './support/media';
import { eventData, openSse } from './support/sse';
import { createUser, CreatedUser } from './support/users';
import { createVideo, eventually, getVideo, waitForJob } from './support/videos';

jest.setTimeout(120_000);

/** Starts an app with these settings for the tests of one describe block, with a user of its own. */
function appWith(
  settings: () => Promise<{ env: Record<string, string>; cleanUp?: () => Promise<void> }>,
) {
  const context = {} as { api: TestApp; user: CreatedUser };
  let cleanUp: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const { env, cleanUp: clean } = await settings();
    cleanUp = clean;
    context.api = await startApp(env);
    context.user = await createUser(context.api);
  });
  afterAll(async () => {
    await context.api?.close();
    await cleanUp?.();
  });
  return context;
}

/** The failed job and video must agree, say why, and leave nothing behind. */
async function expectFailed(
  api: TestApp,
  user: CreatedUser,
  videoId: string,
  jobId: string,
  code: string,
  why: RegExp,
) {
  const job = await waitForJob(api, user, jobId);
  expect(job).toMatchObject({
    status: JobStatus.Failed,
    error: { code, message: expect.stringMatching(why) },
  });
  expect(job.finishedAt).not.toBeNull();
  const video = await getVideo(api, user, videoId);
  expect(video).toMatchObject({
    status: VideoStatus.Failed,
    error: job.error,
    contentUrl: null,
    thumbnailUrl: null,
  });
  // The message is for the video's owner: no stack trace, no server paths.
  expect(job.error?.message).not.toMatch(/\n\s+at |node_modules/);
  expect(job.error?.message).not.toContain(api.config.dataDir);
  await eventually(async () => expect(await workFolders(api)).toEqual([]));
  expect(await storedFilesOf(api, user.user.id, videoId)).toEqual([]);
  return job;
}

describe('an ffmpeg that exits 1 with a message on stderr', () => {
  let ffmpeg: FakeFfmpeg;
  const ctx = appWith(async () => {
    ffmpeg = await failingFfmpeg('x264 [error]: the encoder broke down (e2e)');
    return { env: { FFMPEG_PATH: ffmpeg.path }, cleanUp: () => ffmpeg.remove() };
  });

  it('fails the job and the video with RENDER_FAILED and ffmpeg’s own words', async () => {
    const { video, job } = await createVideo(ctx.api, ctx.user);

    const failed = await expectFailed(
      ctx.api,
      ctx.user,
      video.id,
      job.id,
      'RENDER_FAILED',
      /the encoder broke down \(e2e\)/,
    );
    expect(failed.error?.message).toMatch(/exited with code 1/);
  });

  it('ends the job’s event stream with a `failed` event carrying the error, job and video', async () => {
    const { job } = await createVideo(ctx.api, ctx.user);
    const stream = await openSse(ctx.api, ApiRoutes.jobStream(job.id), bearerHeaders(ctx.user));

    await stream.waitForEnd();

    const events = stream.jobEvents;
    expect(events[0].event).toBe('snapshot');
    expect(events[events.length - 1].event).toBe('failed');
    expect(
      events.filter((e) => ['succeeded', 'failed', 'cancelled'].includes(e.event)),
    ).toHaveLength(1);
    const data = eventData<JobEventData>(events[events.length - 1]);
    expect(data.job).toMatchObject({
      id: job.id,
      status: JobStatus.Failed,
      error: { code: 'RENDER_FAILED' },
    });
    expect(data.video).toMatchObject({ status: VideoStatus.Failed, error: data.job.error });
  });
});

describe('an FFMPEG_PATH that does not exist', () => {
  let dir: string;
  const ctx = appWith(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vidgen-e2e-no-ffmpeg-'));
    return {
      env: { FFMPEG_PATH: join(dir, 'ffmpeg') },
      cleanUp: () => rm(dir, { recursive: true, force: true }),
    };
  });

  it('fails the job with RENDER_FAILED saying ffmpeg could not be started', async () => {
    const { video, job } = await createVideo(ctx.api, ctx.user);

    await expectFailed(
      ctx.api,
      ctx.user,
      video.id,
      job.id,
      'RENDER_FAILED',
      /could not start ffmpeg/i,
    );
  });

  it('does not show the server’s path of the binary to the user', async () => {
    const { job } = await createVideo(ctx.api, ctx.user);

    const failed = await waitForJob(ctx.api, ctx.user, job.id);

    expect(failed.error?.message).not.toContain(dir);
  });
});

describe('JOB_TIMEOUT_SECONDS=5 and a render that never ends', () => {
  let ffmpeg: FakeFfmpeg;
  const ctx = appWith(async () => {
    ffmpeg = await hangingFfmpeg();
    return {
      env: { FFMPEG_PATH: ffmpeg.path, JOB_TIMEOUT_SECONDS: '5' },
      cleanUp: () => ffmpeg.remove(),
    };
  });

  it('fails the job after 5 seconds with JOB_TIMEOUT, saying it took too long, and stops ffmpeg', async () => {
    const { video, job } = await createVideo(ctx.api, ctx.user, { durationSeconds: 20 });
    await waitForJob(ctx.api, ctx.user, job.id, [JobStatus.Running]);
    await eventually(async () =>
      expect(await processesIn(workFolderOf(ctx.api, job.id))).not.toEqual([]),
    );

    const failed = await expectFailed(
      ctx.api,
      ctx.user,
      video.id,
      job.id,
      'JOB_TIMEOUT',
      /took longer than 5 seconds/,
    );

    const ranFor = Date.parse(failed.finishedAt as string) - Date.parse(failed.startedAt as string);
    expect(ranFor).toBeGreaterThanOrEqual(4900);
    expect(ranFor).toBeLessThan(15_000);
    expect(await processesIn(workFolderOf(ctx.api, job.id))).toEqual([]);
  });
});

describe('a failure does not stop the queue', () => {
  let ffmpeg: FakeFfmpeg;
  const ctx = appWith(async () => {
    ffmpeg = await failingFfmpeg('e2e: broken');
    return {
      env: { FFMPEG_PATH: ffmpeg.path, JOB_CONCURRENCY: '1' },
      cleanUp: () => ffmpeg.remove(),
    };
  });

  it('takes up the next job after a failed one', async () => {
    const jobs = await Promise.all([1, 2, 3].map(() => createVideo(ctx.api, ctx.user)));

    for (const { job } of jobs)
      expect((await waitForJob(ctx.api, ctx.user, job.id)).status).toBe(JobStatus.Failed);
  });
});

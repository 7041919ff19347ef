import {
  ApiRoutes,
  CreateVideoResponse,
  ErrorCode,
  JobStatus,
  VideoStatus,
} from '@vidgen/contracts';
import { startApp, TestApp } from './support/app';
import { expectApiError } from './support/errors';
import { withBearer } from './support/http';
import {
  FAIL,
  FAIL_ONCE,
  FakeFfmpeg,
  HANG,
  processesIn,
  scriptedFfmpeg,
  storedFilesOf,
  storedNamesOf,
  workFolderOf,
  workFolders,
} from './support/media';
import { createUser, CreatedUser } from './support/users';
import {
  createVideo,
  eventually,
  expectJobShape,
  expectVideoShape,
  generateVideo,
  getJob,
  getVideo,
  sleep,
  waitForJob,
  waitForRendering,
} from './support/videos';

jest.setTimeout(120_000);

// One worker, so a [hang] job in front keeps the next one queued for as long as a test needs.
let ffmpeg: FakeFfmpeg;
let api: TestApp;
let alice: CreatedUser;

beforeAll(async () => {
  ffmpeg = await scriptedFfmpeg();
  api = await startApp({
    FFMPEG_PATH: ffmpeg.path,
    JOB_CONCURRENCY: '1',
    MAX_ACTIVE_JOBS_PER_USER: '10',
  });
  alice = await createUser(api);
});

afterAll(async () => {
  await api?.close();
  await ffmpeg?.remove();
});

const cancel = (jobId: string) => withBearer(api, alice).post(ApiRoutes.jobCancel(jobId));
const retry = (jobId: string) => withBearer(api, alice).post(ApiRoutes.jobRetry(jobId));

/** A job kept running by a [hang] render, for others to queue behind; cancel it when done. */
async function blocker(): Promise<CreateVideoResponse> {
  const created = await createVideo(api, alice, { prompt: `${HANG} blocking the worker` });
  await waitForJob(api, alice, created.job.id, [JobStatus.Running]);
  return created;
}

describe('POST /api/jobs/:id/cancel', () => {
  it('stops a running render: 200 {job} cancelled, video cancelled, ffmpeg gone, no files, no work folder', async () => {
    // The real ffmpeg, on a clip long enough to be cancelled mid-render.
    const { video, job } = await createVideo(api, alice, {
      prompt: 'Cancelled mid-render',
      durationSeconds: 20,
    });
    await waitForRendering(api, alice, job.id);
    expect(await processesIn(workFolderOf(api, job.id))).not.toEqual([]);

    const response = await cancel(job.id);

    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(['job']);
    expectJobShape(response.body.job);
    expect(response.body.job).toMatchObject({
      id: job.id,
      status: JobStatus.Cancelled,
      queuePosition: null,
      error: null,
      finishedAt: expect.any(String),
    });
    const cancelledVideo = await getVideo(api, alice, video.id);
    expect(cancelledVideo).toMatchObject({
      status: VideoStatus.Cancelled,
      contentUrl: null,
      error: null,
      jobId: job.id,
    });
    await eventually(async () => {
      expect(await processesIn(workFolderOf(api, job.id))).toEqual([]);
      expect(await workFolders(api)).toEqual([]);
    });
    expect(await storedFilesOf(api, alice.user.id, video.id)).toEqual([]);
    expect(await getJob(api, alice, job.id)).toMatchObject({ status: JobStatus.Cancelled });
  });

  it('cancels a queued job, which then never starts', async () => {
    const front = await blocker();
    const { video, job } = await createVideo(api, alice, { prompt: 'Cancelled while waiting' });
    expect((await getJob(api, alice, job.id)).status).toBe(JobStatus.Queued);

    const response = await cancel(job.id);

    expect(response.status).toBe(200);
    expect(response.body.job).toMatchObject({
      id: job.id,
      status: JobStatus.Cancelled,
      queuePosition: null,
      startedAt: null,
    });
    expect((await getVideo(api, alice, video.id)).status).toBe(VideoStatus.Cancelled);
    await cancel(front.job.id).expect(200);
    await sleep(1000);
    expect(await getJob(api, alice, job.id)).toMatchObject({
      status: JobStatus.Cancelled,
      startedAt: null,
    });
    expect(await workFolders(api)).toEqual([]);
  });

  it('refuses to cancel a finished job: 409 INVALID_STATE, nothing changes', async () => {
    const { video, job } = await generateVideo(api, alice, { prompt: 'Done before the cancel' });

    expectApiError(await cancel(job.id), 409, ErrorCode.InvalidState);
    expect(await getVideo(api, alice, video.id)).toEqual(video);
    expect(await storedFilesOf(api, alice.user.id, video.id)).toEqual(storedNamesOf(job));
  });

  it('refuses to cancel a cancelled or failed job again: 409 INVALID_STATE', async () => {
    const front = await blocker();
    await cancel(front.job.id).expect(200);
    const failing = await createVideo(api, alice, { prompt: `${FAIL} never works` });
    await waitForJob(api, alice, failing.job.id);

    expectApiError(await cancel(front.job.id), 409, ErrorCode.InvalidState);
    expectApiError(await cancel(failing.job.id), 409, ErrorCode.InvalidState);
  });

  it('answers two cancels of one job at once with one 200 and one 409', async () => {
    const front = await blocker();

    const statuses = (await Promise.all([cancel(front.job.id), cancel(front.job.id)])).map(
      (r) => r.status,
    );

    expect(statuses.sort()).toEqual([200, 409]);
  });
});

describe('POST /api/jobs/:id/retry', () => {
  it('tries a cancelled video again: 202 {video, job}, attempt 2, same video, new job, which succeeds', async () => {
    const front = await blocker();
    const first = await createVideo(api, alice, { prompt: 'Cancelled, then tried again' });
    await cancel(first.job.id).expect(200);
    await cancel(front.job.id).expect(200);

    const response = await retry(first.job.id);

    expect(response.status).toBe(202);
    expect(Object.keys(response.body).sort()).toEqual(['job', 'video']);
    expectVideoShape(response.body.video);
    expectJobShape(response.body.job);
    const { video, job } = response.body as CreateVideoResponse;
    expect(job).toMatchObject({ videoId: first.video.id, attempt: 2, progress: 0, error: null });
    expect([JobStatus.Queued, JobStatus.Running]).toContain(job.status);
    expect(job.id).not.toBe(first.job.id);
    expect(video).toMatchObject({
      id: first.video.id,
      jobId: job.id,
      error: null,
      createdAt: first.video.createdAt,
    });
    expect([VideoStatus.Queued, VideoStatus.Running]).toContain(video.status);

    expect(await waitForJob(api, alice, job.id)).toMatchObject({
      status: JobStatus.Succeeded,
      attempt: 2,
    });
    expect(await getVideo(api, alice, first.video.id)).toMatchObject({
      status: VideoStatus.Ready,
      jobId: job.id,
      width: 720,
    });
    expect(await getJob(api, alice, first.job.id)).toMatchObject({
      status: JobStatus.Cancelled,
      attempt: 1,
    });
  });

  it('tries a failed video again: the error goes, the second attempt succeeds', async () => {
    const first = await createVideo(api, alice, { prompt: `${FAIL_ONCE} works the second time` });
    const failed = await waitForJob(api, alice, first.job.id);
    expect(failed).toMatchObject({ status: JobStatus.Failed, error: { code: 'RENDER_FAILED' } });
    expect((await getVideo(api, alice, first.video.id)).error).toEqual(failed.error);

    const response = await retry(first.job.id);

    expect(response.status).toBe(202);
    expect(response.body.job).toMatchObject({ attempt: 2, error: null });
    expect(response.body.video).toMatchObject({
      id: first.video.id,
      jobId: response.body.job.id,
      error: null,
    });
    expect(await waitForJob(api, alice, response.body.job.id)).toMatchObject({
      status: JobStatus.Succeeded,
    });
    expect(await getVideo(api, alice, first.video.id)).toMatchObject({
      status: VideoStatus.Ready,
      error: null,
    });
  });

  it('refuses a succeeded job, and an older attempt of a video: 409 INVALID_STATE', async () => {
    const first = await createVideo(api, alice, { prompt: `${FAIL_ONCE} an older attempt` });
    await waitForJob(api, alice, first.job.id);
    const second = (await retry(first.job.id).expect(202)).body as CreateVideoResponse;
    await waitForJob(api, alice, second.job.id, [JobStatus.Succeeded]);

    expectApiError(await retry(second.job.id), 409, ErrorCode.InvalidState);
    expectApiError(await retry(first.job.id), 409, ErrorCode.InvalidState);
    expect(await getVideo(api, alice, first.video.id)).toMatchObject({
      status: VideoStatus.Ready,
      jobId: second.job.id,
    });
  });

  it('refuses a job that is queued or running: 409 INVALID_STATE', async () => {
    const front = await blocker();
    const queued = await createVideo(api, alice, { prompt: 'Waiting' });
    try {
      expectApiError(await retry(front.job.id), 409, ErrorCode.InvalidState);
      expectApiError(await retry(queued.job.id), 409, ErrorCode.InvalidState);
    } finally {
      await cancel(queued.job.id);
      await cancel(front.job.id);
    }
  });

  // A race: the checks run outside the transaction that writes the new job (VideosService.retry).
  it('makes one new attempt for simultaneous retries', async () => {
    const front = await blocker();
    const outcomes: number[][] = [];
    for (let round = 0; round < 3; round++) {
      const first = await createVideo(api, alice, {
        prompt: `Retried four times at once, round ${round}`,
      });
      await cancel(first.job.id).expect(200);

      const responses = await Promise.all([1, 2, 3, 4].map(() => retry(first.job.id)));

      outcomes.push(responses.map((r) => r.status).sort());
      for (const response of responses)
        if (response.status === 202) await cancel(response.body.job.id);
    }
    await cancel(front.job.id);
    expect(outcomes).toEqual([0, 1, 2].map(() => [202, 409, 409, 409]));
  });
});

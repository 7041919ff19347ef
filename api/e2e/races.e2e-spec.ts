import { ApiRoutes, CreateVideoResponse, ErrorCode, JobStatus } from '@vidgen/contracts';
import { randomBytes } from 'node:crypto';
import { Response } from 'supertest';
import { JobCancellations } from '../src/jobs/job-cancellations';
import { JobsRepository } from '../src/jobs/jobs.repository';
import { JobsService } from '../src/jobs/jobs.service';
import { VideosRepository } from '../src/videos/videos.repository';
import { startApp, TestApp } from './support/app';
import { expectApiError } from './support/errors';
import { withBearer } from './support/http';
import {
  FakeFfmpeg,
  ffprobeBytes,
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
  asBytes,
  bytesOf,
  cancelQuietly,
  createVideo,
  eventually,
  getJob,
  postVideo,
  sleep,
  waitForJob,
} from './support/videos';

jest.setTimeout(120_000);

// Races need their two sides to interleave in one order: the app's own services and repositories
// are wrapped (jest.spyOn on the running app's instances) so a call waits at a gate the test
// opens. The real code runs on both sides of the gate; nothing is replaced.
let ffmpeg: FakeFfmpeg;
let api: TestApp;
let alice: CreatedUser;

beforeAll(async () => {
  ffmpeg = await scriptedFfmpeg();
  api = await startApp({
    FFMPEG_PATH: ffmpeg.path,
    JOB_CONCURRENCY: '2',
    MAX_ACTIVE_JOBS_PER_USER: '2',
  });
  alice = await createUser(api);
});

afterEach(() => jest.restoreAllMocks());

afterAll(async () => {
  await api?.close();
  await ffmpeg?.remove();
});

/** A point a spied call stops at until the test opens it. */
class Gate {
  private arrive!: () => void;
  private pass!: () => void;
  /** Resolves once a call has arrived at the gate. */
  readonly reached = new Promise<void>((resolve) => (this.arrive = resolve));
  private readonly opened = new Promise<void>((resolve) => (this.pass = resolve));

  async wait(): Promise<void> {
    this.arrive();
    await this.opened;
  }

  open(): void {
    this.pass();
  }
}

/** The first call of JobsService.transition to `to` waits at the gate, after (or before) its write. */
function holdTransition(app: TestApp, to: JobStatus, when: 'after' | 'before'): Gate {
  const jobs = app.app.get(JobsService);
  const transition = jobs.transition.bind(jobs);
  const gate = new Gate();
  let held = false;
  jest.spyOn(jobs, 'transition').mockImplementation(async (job, target, ...rest) => {
    const hold = target === to && !held;
    if (hold) held = true;
    if (hold && when === 'before') await gate.wait();
    const result = await transition(job, target, ...rest);
    if (hold && when === 'after') await gate.wait();
    return result;
  });
  return gate;
}

/** Sends the request now (supertest sends on the first `then`). */
function send(test: PromiseLike<Response>): Promise<Response> {
  return Promise.resolve(test);
}

/** The job's renderer is gone and its work folder removed: nothing runs for it any more. */
async function expectStopped(app: TestApp, jobId: string): Promise<void> {
  await eventually(async () => {
    expect(await processesIn(workFolderOf(app, jobId))).toEqual([]);
    expect(await workFolders(app)).not.toContain(`${jobId}-1`);
  });
  // Long enough for a render that was (wrongly) about to start to show up.
  await sleep(1000);
  expect(await workFolders(app)).not.toContain(`${jobId}-1`);
}

describe('POST /api/videos with an Idempotency-Key, sent twice at once', () => {
  it('answers both with the same video, also when the first one filled the cap', async () => {
    const bob = await createUser(api);
    // One active job of two allowed: the first request takes the last place.
    const blocker = await createVideo(api, bob, { prompt: `${HANG} holding a place` });
    const body = { prompt: `${HANG} sent twice with one key`, durationSeconds: 1 };
    const headers = { 'Idempotency-Key': `key-${randomBytes(6).toString('hex')}` };
    // Both requests look the key up and find nothing; the second then waits until the first
    // has stored the key and answered, and only then goes on to its transaction.
    const repository = api.app.get(VideosRepository);
    const lookUp = repository.findIdempotencyKey.bind(repository);
    const secondLooked = new Gate();
    let calls = 0;
    jest.spyOn(repository, 'findIdempotencyKey').mockImplementation(async (...args) => {
      const call = ++calls;
      const entry = await lookUp(...args);
      if (call === 1) await secondLooked.reached;
      if (call === 2) await secondLooked.wait();
      return entry;
    });

    const requests = [1, 2].map(() => send(postVideo(api, bob, body, headers)));
    await secondLooked.reached;
    await Promise.race(requests);
    secondLooked.open();
    const responses = await Promise.all(requests);

    try {
      expect(responses.map((response) => response.status)).toEqual([202, 202]);
      const [a, b] = responses.map((response) => response.body as CreateVideoResponse);
      expect(b.video.id).toBe(a.video.id);
      expect(b.job.id).toBe(a.job.id);
      const rows = await api.db.select<{ id: string }>(
        'SELECT id FROM videos WHERE user_id = ? AND prompt = ?',
        [bob.user.id, body.prompt],
      );
      expect(rows).toEqual([{ id: a.video.id }]);
    } finally {
      for (const { job } of [blocker, ...responses.map((r) => r.body as CreateVideoResponse)])
        if (job) await cancelQuietly(api, bob, job.id);
    }
  });
});

describe('a cancel while the job turns running', () => {
  it('stops it: the render never starts and the job stays cancelled', async () => {
    const gate = holdTransition(api, JobStatus.Running, 'after');
    const { job } = await createVideo(api, alice, { prompt: `${HANG} cancelled as it starts` });
    await gate.reached;

    const cancel = await withBearer(api, alice).post(ApiRoutes.jobCancel(job.id));
    gate.open();

    expect(cancel.status).toBe(200);
    await expectStopped(api, job.id);
    expect(await getJob(api, alice, job.id)).toMatchObject({ status: JobStatus.Cancelled });
  });

  it('stops it when the video is deleted while the cancel is still reading back', async () => {
    // The cancel has written `cancelled`, so the delete finds nothing to stop and removes the
    // rows; the cancel itself then finds no job to answer with, and must have stopped it anyway.
    const { job, video } = await createVideo(api, alice, { prompt: `${HANG} deleted meanwhile` });
    await waitForJob(api, alice, job.id, [JobStatus.Running]);
    const repository = api.app.get(JobsRepository);
    const transition = repository.transition.bind(repository);
    const written = new Gate();
    jest.spyOn(repository, 'transition').mockImplementation(async (...args) => {
      const moved = await transition(...args);
      if (args[2] === JobStatus.Cancelled) await written.wait();
      return moved;
    });

    const cancel = send(withBearer(api, alice).post(ApiRoutes.jobCancel(job.id)));
    await written.reached;
    expect((await withBearer(api, alice).delete(ApiRoutes.video(video.id))).status).toBe(204);
    written.open();

    expectApiError(await cancel, 404, ErrorCode.NotFound);
    await expectStopped(api, job.id);
  });
});

describe('a job cancelled just before its final move, then tried again', () => {
  it('removes only its own files: the next attempt’s video stays and plays', async () => {
    const gate = holdTransition(api, JobStatus.Succeeded, 'before');
    const first = await createVideo(api, alice, { prompt: 'Stored, then cancelled at the end' });
    // The first attempt has stored its files and is about to mark itself done.
    await gate.reached;
    await withBearer(api, alice).post(ApiRoutes.jobCancel(first.job.id)).expect(200);
    const retried = await withBearer(api, alice).post(ApiRoutes.jobRetry(first.job.id));
    expect(retried.status).toBe(202);
    const second = retried.body as CreateVideoResponse;
    expect(await waitForJob(api, alice, second.job.id)).toMatchObject({
      status: JobStatus.Succeeded,
    });

    gate.open();

    // The first attempt's runner loses its move to `succeeded` and cleans up after itself.
    await eventually(async () => expect(await workFolders(api)).toEqual([]));
    expect(await getJob(api, alice, first.job.id)).toMatchObject({
      status: JobStatus.Cancelled,
    });
    expect(await storedFilesOf(api, alice.user.id, first.video.id)).toEqual(
      storedNamesOf(second.job),
    );
    const content = await asBytes(
      withBearer(api, alice).get(ApiRoutes.videoContent(first.video.id)),
    );
    expect(content.status).toBe(200);
    expect(await ffprobeBytes(bytesOf(content), 'mp4')).toMatchObject({ codec: 'h264' });
  });
});

// Last: the app of its own that this starts takes over the process-wide passport strategy (with
// its own JWT secret), so the shared app's sessions would no longer be accepted after it.
describe('a shutdown while the job turns running', () => {
  it('stops the job at once and hands it back to the queue', async () => {
    const app = await startApp({ FFMPEG_PATH: ffmpeg.path });
    try {
      const carol = await createUser(app);
      const gate = holdTransition(app, JobStatus.Running, 'after');
      const cancellations = app.app.get(JobCancellations);
      const abortAll = cancellations.abortAll.bind(cancellations);
      let shutdownBegan!: () => void;
      const shuttingDown = new Promise<void>((resolve) => (shutdownBegan = resolve));
      jest.spyOn(cancellations, 'abortAll').mockImplementation((reason) => {
        abortAll(reason);
        shutdownBegan();
      });
      const { job } = await createVideo(app, carol, { prompt: `${HANG} interrupted as it starts` });
      await gate.reached;

      const stopped = app.stop().then(() => 'stopped');
      await shuttingDown;
      gate.open();

      expect(await Promise.race([stopped, sleep(30_000).then(() => 'still stopping')])).toBe(
        'stopped',
      );
      expect(await processesIn(workFolderOf(app, job.id))).toEqual([]);
      expect(await workFolders(app)).toEqual([]);
      // Handed back as its next attempt: what the next start (or another worker) takes up.
      const rows = await app.db.select<{ status: string; attempt: number }>(
        'SELECT status, attempt FROM video_jobs WHERE id = ?',
        [job.id],
      );
      expect(rows.map((row) => ({ ...row, attempt: Number(row.attempt) }))).toEqual([
        { status: JobStatus.Queued, attempt: 2 },
      ]);
    } finally {
      await app.close();
    }
  });
});

import { ApiRoutes, ErrorCode, JobStatus, Video, VideoJob } from '@vidgen/contracts';
import { Test } from 'supertest';
import { startApp, TestApp } from './support/app';
import { expectApiError } from './support/errors';
import { anonymous, bearerHeaders, Client, withBearer, withCookies } from './support/http';
import { FAIL, FakeFfmpeg, HANG, scriptedFfmpeg } from './support/media';
import { openSse } from './support/sse';
import { createUser, CreatedUser } from './support/users';
import {
  createVideo,
  generateVideo,
  getJob,
  getVideo,
  UNKNOWN_ID,
  waitForJob,
} from './support/videos';

jest.setTimeout(120_000);

let ffmpeg: FakeFfmpeg;
let api: TestApp;
let alice: CreatedUser;
let mallory: CreatedUser;
/** Alice's: a ready video, a job that is running, and a failed one (which could be retried). */
let ready: { video: Video; job: VideoJob };
let running: { video: Video; job: VideoJob };
let failed: { video: Video; job: VideoJob };

beforeAll(async () => {
  ffmpeg = await scriptedFfmpeg();
  api = await startApp({ FFMPEG_PATH: ffmpeg.path, JOB_CONCURRENCY: '2' });
  alice = await createUser(api);
  mallory = await createUser(api);
  ready = await generateVideo(api, alice, { prompt: 'Alice’s private video' });
  const failing = await createVideo(api, alice, { prompt: `${FAIL} Alice’s failed video` });
  failed = { video: failing.video, job: await waitForJob(api, alice, failing.job.id) };
  const started = await createVideo(api, alice, { prompt: `${HANG} Alice’s running video` });
  running = {
    video: started.video,
    job: await waitForJob(api, alice, started.job.id, [JobStatus.Running]),
  };
});

afterAll(async () => {
  await api?.close();
  await ffmpeg?.remove();
});

/** Every route that takes an id, with the id of Alice's that makes the strongest case. */
const ROUTES: [string, (client: Client, ids: Ids) => Test][] = [
  ['GET /api/videos/:id', (c, ids) => c.get(ApiRoutes.video(ids.ready))],
  [
    'PATCH /api/videos/:id',
    (c, ids) => c.patch(ApiRoutes.video(ids.ready)).send({ title: 'Mine now', favorite: true }),
  ],
  ['DELETE /api/videos/:id', (c, ids) => c.delete(ApiRoutes.video(ids.ready))],
  ['GET /api/videos/:id/content', (c, ids) => c.get(ApiRoutes.videoContent(ids.ready))],
  [
    'GET /api/videos/:id/content with Range',
    (c, ids) => c.get(ApiRoutes.videoContent(ids.ready)).set('Range', 'bytes=0-9'),
  ],
  [
    'GET /api/videos/:id/content?download=1',
    (c, ids) => c.get(`${ApiRoutes.videoContent(ids.ready)}?download=1`),
  ],
  ['GET /api/videos/:id/thumbnail', (c, ids) => c.get(ApiRoutes.videoThumbnail(ids.ready))],
  ['GET /api/jobs/:id', (c, ids) => c.get(ApiRoutes.job(ids.readyJob))],
  ['POST /api/jobs/:id/cancel', (c, ids) => c.post(ApiRoutes.jobCancel(ids.runningJob))],
  ['POST /api/jobs/:id/retry', (c, ids) => c.post(ApiRoutes.jobRetry(ids.failedJob))],
];

interface Ids {
  ready: string;
  readyJob: string;
  runningJob: string;
  failedJob: string;
}

const alicesIds = (): Ids => ({
  ready: ready.video.id,
  readyJob: ready.job.id,
  runningJob: running.job.id,
  failedJob: failed.job.id,
});
const same = (id: string): Ids => ({ ready: id, readyJob: id, runningJob: id, failedJob: id });

describe('every id route answers 404 NOT_FOUND with the contract body', () => {
  it.each(ROUTES)('%s, for another user’s id, and leaves it alone', async (_route, send) => {
    expectApiError(await send(withBearer(api, mallory), alicesIds()), 404, ErrorCode.NotFound);
    expectApiError(await send(withCookies(api, mallory), alicesIds()), 404, ErrorCode.NotFound);

    expect(await getVideo(api, alice, ready.video.id)).toEqual(ready.video);
    expect((await getJob(api, alice, running.job.id)).status).toBe(JobStatus.Running);
    expect(await getVideo(api, alice, failed.video.id)).toMatchObject({
      status: 'failed',
      jobId: failed.job.id,
    });
  });

  it.each(ROUTES)('%s, for a UUID that names nothing', async (_route, send) => {
    expectApiError(await send(withBearer(api, alice), same(UNKNOWN_ID)), 404, ErrorCode.NotFound);
  });

  it.each(ROUTES)('%s, for an id that is not a UUID', async (_route, send) => {
    expectApiError(await send(withBearer(api, alice), same('not-a-uuid')), 404, ErrorCode.NotFound);
  });

  it.each(ROUTES)('%s, without a session: 401', async (_route, send) => {
    expectApiError(await send(anonymous(api), alicesIds()), 401, ErrorCode.Unauthenticated);
  });

  it.each([
    ['another user’s job', () => running.job.id, () => mallory],
    ['a UUID that names nothing', () => UNKNOWN_ID, () => alice],
    ['an id that is not a UUID', () => 'not-a-uuid', () => alice],
  ])('GET /api/jobs/:id/stream, for %s: 404 JSON before any event', async (_case, id, user) => {
    const stream = await openSse(api, ApiRoutes.jobStream(id()), bearerHeaders(user()));
    await stream.waitForEnd(10_000);

    expectApiError(stream.asResponse(), 404, ErrorCode.NotFound);
    expect(stream.events).toEqual([]);
  });
});

describe('GET /api/jobs', () => {
  it('?active=true lists only the caller’s queued and running jobs, oldest first; queuePosition only when queued', async () => {
    const bea = await createUser(api);
    const finished = await createVideo(api, bea, { prompt: `${FAIL} finished already` });
    await waitForJob(api, bea, finished.job.id);
    // Alice's [hang] job holds one of the two workers; this one takes the other.
    const first = await createVideo(api, bea, { prompt: `${HANG} first` });
    await waitForJob(api, bea, first.job.id, [JobStatus.Running]);
    const second = await createVideo(api, bea, { prompt: `${HANG} second` });
    const third = await createVideo(api, bea, { prompt: `${HANG} third` });
    try {
      const response = await withBearer(api, bea).get(`${ApiRoutes.jobs}?active=true`);

      expect(response.status).toBe(200);
      const items = response.body.items as VideoJob[];
      expect(items.map((job) => [job.id, job.status, job.queuePosition])).toEqual([
        [first.job.id, JobStatus.Running, null],
        [second.job.id, JobStatus.Queued, 1],
        [third.job.id, JobStatus.Queued, 2],
      ]);
      expect(await getJob(api, bea, third.job.id)).toMatchObject({ queuePosition: 2 });

      const everything = await withBearer(api, bea).get(ApiRoutes.jobs);
      expect(everything.status).toBe(200);
      expect((everything.body.items as VideoJob[]).map((job) => job.id).sort()).toEqual(
        [finished.job.id, first.job.id, second.job.id, third.job.id].sort(),
      );
    } finally {
      for (const { job } of [third, second, first])
        await withBearer(api, bea).post(ApiRoutes.jobCancel(job.id));
    }
  });

  it('moves the queue up when a job ahead is cancelled', async () => {
    const bea = await createUser(api);
    const first = await createVideo(api, bea, { prompt: `${HANG} first` });
    await waitForJob(api, bea, first.job.id, [JobStatus.Running]);
    const second = await createVideo(api, bea, { prompt: `${HANG} second` });
    const third = await createVideo(api, bea, { prompt: `${HANG} third` });
    expect((await getJob(api, bea, third.job.id)).queuePosition).toBe(2);

    await withBearer(api, bea).post(ApiRoutes.jobCancel(second.job.id)).expect(200);

    expect((await getJob(api, bea, third.job.id)).queuePosition).toBe(1);
    for (const { job } of [third, first])
      await withBearer(api, bea).post(ApiRoutes.jobCancel(job.id));
  });

  it('shows nothing of another user’s jobs; refuses ?active=maybe naming active', async () => {
    const nobody = await createUser(api);

    expect((await withBearer(api, nobody).get(`${ApiRoutes.jobs}?active=true`)).body).toEqual({
      items: [],
    });
    expect((await withBearer(api, nobody).get(ApiRoutes.jobs)).body).toEqual({ items: [] });
    expectApiError(
      await withBearer(api, nobody).get(`${ApiRoutes.jobs}?active=maybe`),
      400,
      ErrorCode.ValidationFailed,
      ['active'],
    );
  });
});

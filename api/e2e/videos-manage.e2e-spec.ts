import { ApiRoutes, ErrorCode, JobStatus, TITLE_MAX_LENGTH, Video } from '@vidgen/contracts';
import { startApp, TestApp } from './support/app';
import { expectApiError, expectValidationError } from './support/errors';
import { withBearer } from './support/http';
import {
  FakeFfmpeg,
  HANG,
  scriptedFfmpeg,
  storedFilesOf,
  storedNamesOf,
  userVideoDir,
  filesIn,
  workFolders,
} from './support/media';
import { createUser, CreatedUser } from './support/users';
import {
  createVideo,
  eventually,
  generateVideo,
  getVideo,
  listVideos,
  sleep,
  waitForJob,
  waitForRendering,
} from './support/videos';

jest.setTimeout(120_000);

let ffmpeg: FakeFfmpeg;
let api: TestApp;
let alice: CreatedUser;
let ready: Video;

beforeAll(async () => {
  ffmpeg = await scriptedFfmpeg();
  api = await startApp({
    FFMPEG_PATH: ffmpeg.path,
    JOB_CONCURRENCY: '2',
    MAX_ACTIVE_JOBS_PER_USER: '10',
  });
  alice = await createUser(api);
  ready = (await generateVideo(api, alice, { prompt: 'A kite over the dunes' })).video;
});

afterAll(async () => {
  await api?.close();
  await ffmpeg?.remove();
});

const rowsOf = (table: 'videos' | 'video_jobs', userId: string) =>
  api.db.select<{ id: string }>(`SELECT id FROM ${table} WHERE user_id = ?`, [userId]);

describe('PATCH /api/videos/:id', () => {
  it('renames, trimmed, and changes nothing else', async () => {
    const response = await withBearer(api, alice)
      .patch(ApiRoutes.video(ready.id))
      .send({ title: '  Dune kite  ' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ video: { ...ready, title: 'Dune kite' } });
    expect(await getVideo(api, alice, ready.id)).toEqual({ ...ready, title: 'Dune kite' });
  });

  it(`accepts a title of ${TITLE_MAX_LENGTH} characters`, async () => {
    const title = 't'.repeat(TITLE_MAX_LENGTH);
    const response = await withBearer(api, alice).patch(ApiRoutes.video(ready.id)).send({ title });

    expect(response.status).toBe(200);
    expect(response.body.video.title).toBe(title);
  });

  it('marks and unmarks a favorite', async () => {
    const client = withBearer(api, alice);

    expect(
      (await client.patch(ApiRoutes.video(ready.id)).send({ favorite: true })).body.video.favorite,
    ).toBe(true);
    expect((await getVideo(api, alice, ready.id)).favorite).toBe(true);
    expect(
      (await client.patch(ApiRoutes.video(ready.id)).send({ favorite: false })).body.video.favorite,
    ).toBe(false);
    expect((await getVideo(api, alice, ready.id)).favorite).toBe(false);
  });

  it('renames a video that is still being made', async () => {
    const { video, job } = await createVideo(api, alice, { prompt: `${HANG} still going` });
    try {
      const response = await withBearer(api, alice)
        .patch(ApiRoutes.video(video.id))
        .send({ title: 'Work in progress' });

      expect(response.status).toBe(200);
      expect(response.body.video).toMatchObject({ title: 'Work in progress', jobId: job.id });
    } finally {
      await withBearer(api, alice).post(ApiRoutes.jobCancel(job.id));
    }
  });

  it.each([
    ['an empty title', { title: '' }, 'title'],
    ['a whitespace-only title', { title: '   ' }, 'title'],
    [
      `a title of ${TITLE_MAX_LENGTH + 1} characters`,
      { title: 't'.repeat(TITLE_MAX_LENGTH + 1) },
      'title',
    ],
    ['a number as title', { title: 7 }, 'title'],
    ['favorite as text', { favorite: 'true' }, 'favorite'],
    ['favorite as a number', { favorite: 1 }, 'favorite'],
    ['a field that cannot be changed', { status: 'ready' }, 'status'],
  ])(
    'refuses %s: 400 VALIDATION_FAILED naming the field, the video unchanged',
    async (_case, body, field) => {
      const before = await getVideo(api, alice, ready.id);

      expectValidationError(
        await withBearer(api, alice).patch(ApiRoutes.video(ready.id)).send(body),
        field,
      );
      expect(await getVideo(api, alice, ready.id)).toEqual(before);
    },
  );

  it.each([
    ['title', { title: null }],
    ['favorite', { favorite: null }],
  ])('refuses null as %s: 400 naming the field', async (field, body) => {
    const response = await withBearer(api, alice).patch(ApiRoutes.video(ready.id)).send(body);

    expectValidationError(response, field);
  });
});

describe('DELETE /api/videos/:id', () => {
  it('answers 204, then the video, its job and its files are gone', async () => {
    const { video, job } = await generateVideo(api, alice, { prompt: 'Short-lived' });
    expect(await storedFilesOf(api, alice.user.id, video.id)).toEqual(storedNamesOf(job));
    const statsBefore = (await withBearer(api, alice).get(ApiRoutes.profile)).body.stats;

    const response = await withBearer(api, alice).delete(ApiRoutes.video(video.id));

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    for (const path of [
      ApiRoutes.video(video.id),
      ApiRoutes.videoContent(video.id),
      ApiRoutes.job(job.id),
    ]) {
      expectApiError(await withBearer(api, alice).get(path), 404, ErrorCode.NotFound);
    }
    expect(await storedFilesOf(api, alice.user.id, video.id)).toEqual([]);
    expect((await listVideos(api, alice)).map((v) => v.id)).not.toContain(video.id);
    expectApiError(
      await withBearer(api, alice).delete(ApiRoutes.video(video.id)),
      404,
      ErrorCode.NotFound,
    );
    expect((await withBearer(api, alice).get(ApiRoutes.profile)).body.stats).toEqual({
      videoCount: statsBefore.videoCount - 1,
      storageBytes: statsBefore.storageBytes - (video.sizeBytes as number),
    });
  });

  it('stops the job of a video being rendered: its work folder goes, no file ever appears', async () => {
    // The real ffmpeg, on a clip long enough to still be rendering when the delete arrives.
    const { video, job } = await createVideo(api, alice, {
      prompt: 'Deleted mid-render',
      durationSeconds: 20,
    });
    await waitForRendering(api, alice, job.id);
    expect(await workFolders(api)).toContain(`${job.id}-1`);

    expect((await withBearer(api, alice).delete(ApiRoutes.video(video.id))).status).toBe(204);

    await eventually(async () => expect(await workFolders(api)).not.toContain(`${job.id}-1`));
    await sleep(1000);
    expect(await storedFilesOf(api, alice.user.id, video.id)).toEqual([]);
    expect(await api.db.select('SELECT id FROM video_jobs WHERE id = ?', [job.id])).toEqual([]);
  });

  it('deletes a queued video: its job never starts', async () => {
    const blockers = await Promise.all(
      [1, 2].map(() => createVideo(api, alice, { prompt: `${HANG} blocker` })),
    );
    await Promise.all(
      blockers.map(({ job }) => waitForJob(api, alice, job.id, [JobStatus.Running])),
    );
    const { video, job } = await createVideo(api, alice, { prompt: 'Never started' });

    expect((await withBearer(api, alice).delete(ApiRoutes.video(video.id))).status).toBe(204);
    for (const blocker of blockers)
      await withBearer(api, alice).post(ApiRoutes.jobCancel(blocker.job.id)).expect(200);

    await sleep(1500);
    expect(await workFolders(api)).not.toContain(`${job.id}-1`);
    expect(await storedFilesOf(api, alice.user.id, video.id)).toEqual([]);
  });
});

describe('DELETE /api/users/me', () => {
  it('removes the account’s videos, jobs and files, and stops its running job', async () => {
    const dora = await createUser(api);
    const { video, job } = await generateVideo(api, dora, {
      prompt: 'Dora’s only finished video',
    });
    const running = await createVideo(api, dora, { prompt: `${HANG} Dora’s running video` });
    await waitForJob(api, dora, running.job.id, [JobStatus.Running]);
    expect(await filesIn(userVideoDir(api, dora.user.id))).toEqual([video.id]);
    expect(await storedFilesOf(api, dora.user.id, video.id)).toEqual(storedNamesOf(job));

    const response = await withBearer(api, dora)
      .delete(ApiRoutes.profile)
      .send({ password: dora.password });

    expect(response.status).toBe(204);
    expect(await filesIn(userVideoDir(api, dora.user.id))).toEqual([]);
    await eventually(async () =>
      expect(await workFolders(api)).not.toContain(`${running.job.id}-1`),
    );
    expect(await rowsOf('videos', dora.user.id)).toEqual([]);
    expect(await rowsOf('video_jobs', dora.user.id)).toEqual([]);
    // Alice's files are untouched.
    expect(await storedFilesOf(api, alice.user.id, ready.id)).toEqual([
      `${ready.jobId}-1.jpg`,
      `${ready.jobId}-1.mp4`,
    ]);
  });
});

import { ApiRoutes, ErrorCode, JobStatus, PROMPT_MAX_LENGTH, VideoStatus } from '@vidgen/contracts';
import { startApp, TestApp } from './support/app';
import { expectApiError, expectValidationError } from './support/errors';
import { withBearer } from './support/http';
import { FakeFfmpeg, hangingFfmpeg } from './support/media';
import { createUser, CreatedUser } from './support/users';
import { createVideo, getVideo, listVideos, postVideo, SHORT_CLIP } from './support/videos';

// Nothing here needs a finished video: an ffmpeg that never ends keeps every accepted job
// active (for the cap) and the machine quiet. One worker; at most 2 active jobs per user.
let ffmpeg: FakeFfmpeg;
let api: TestApp;

beforeAll(async () => {
  ffmpeg = await hangingFfmpeg();
  api = await startApp({
    FFMPEG_PATH: ffmpeg.path,
    JOB_CONCURRENCY: '1',
    MAX_ACTIVE_JOBS_PER_USER: '2',
  });
});

afterAll(async () => {
  await api?.close();
  await ffmpeg?.remove();
});

/** The video rows of a user, read from the database itself. */
const storedVideos = async (user: CreatedUser) =>
  api.db.select<{ id: string }>('SELECT id FROM videos WHERE user_id = ?', [user.user.id]);

const expectNothingWritten = async (user: CreatedUser) => {
  expect(await listVideos(api, user)).toEqual([]);
  expect(await storedVideos(user)).toEqual([]);
};

describe('POST /api/videos with bad input', () => {
  const prompt = SHORT_CLIP['prompt'];

  it.each([
    ['no prompt', { durationSeconds: 1 }, 'prompt'],
    ['an empty prompt', { prompt: '' }, 'prompt'],
    ['a whitespace-only prompt', { prompt: ' \t\n  ' }, 'prompt'],
    [
      `a prompt of ${PROMPT_MAX_LENGTH + 1} characters`,
      { prompt: 'p'.repeat(PROMPT_MAX_LENGTH + 1) },
      'prompt',
    ],
    ['a number as prompt', { prompt: 42 }, 'prompt'],
    ['an array as prompt', { prompt: ['a', 'boat'] }, 'prompt'],
    ['null as prompt', { prompt: null }, 'prompt'],
    ['an object as prompt', { prompt: { text: 'a boat' } }, 'prompt'],
    ['an unknown orientation', { prompt, orientation: 'square' }, 'orientation'],
    ['an orientation in capitals', { prompt, orientation: 'LANDSCAPE' }, 'orientation'],
    ['a number as orientation', { prompt, orientation: 1 }, 'orientation'],
    ['durationSeconds 0', { prompt, durationSeconds: 0 }, 'durationSeconds'],
    ['durationSeconds 21', { prompt, durationSeconds: 21 }, 'durationSeconds'],
    ['durationSeconds -1', { prompt, durationSeconds: -1 }, 'durationSeconds'],
    ['durationSeconds 2.5', { prompt, durationSeconds: 2.5 }, 'durationSeconds'],
    ['durationSeconds as text', { prompt, durationSeconds: '5' }, 'durationSeconds'],
    ['durationSeconds true', { prompt, durationSeconds: true }, 'durationSeconds'],
    ['an unknown field', { prompt, style: 'noir' }, 'style'],
  ])(
    'refuses %s: 400 VALIDATION_FAILED naming the field, nothing written',
    async (_case, body, field) => {
      const alice = await createUser(api);

      expectValidationError(await postVideo(api, alice, body), field);
      await expectNothingWritten(alice);
    },
  );

  it('names every bad field at once', async () => {
    const alice = await createUser(api);

    const response = await postVideo(api, alice, {
      prompt: '  ',
      orientation: 'square',
      durationSeconds: 99,
    });

    expectValidationError(response, 'prompt', 'orientation', 'durationSeconds');
    await expectNothingWritten(alice);
  });

  it.each([
    ['malformed JSON', '{"prompt": "a boat",'],
    ['an array', JSON.stringify([{ prompt: 'a boat' }])],
    ['a bare string', JSON.stringify('a boat')],
    ['null', 'null'],
  ])('refuses %s as the body: 400 MALFORMED_BODY, nothing written', async (_case, text) => {
    const alice = await createUser(api);

    const response = await withBearer(api, alice)
      .post(ApiRoutes.videos)
      .set('Content-Type', 'application/json')
      .send(text);

    expectApiError(response, 400, ErrorCode.MalformedBody);
    await expectNothingWritten(alice);
  });

  it('refuses an empty body as a missing prompt', async () => {
    const alice = await createUser(api);

    const response = await withBearer(api, alice)
      .post(ApiRoutes.videos)
      .set('Content-Type', 'application/json')
      .send('');

    expectValidationError(response, 'prompt');
    await expectNothingWritten(alice);
  });

  it(`accepts a prompt of exactly ${PROMPT_MAX_LENGTH} characters, spaces around it not counted, and stores it trimmed`, async () => {
    const alice = await createUser(api);
    const text = 'wave '
      .repeat(PROMPT_MAX_LENGTH / 5)
      .trim()
      .padEnd(PROMPT_MAX_LENGTH, '!');

    const { video } = await createVideo(api, alice, { prompt: `   ${text}\n ` });

    expect(video.prompt).toBe(text);
    expect(video.title.length).toBeLessThanOrEqual(60);
    expect(text.startsWith(video.title.replace(/…$/, ''))).toBe(true);
    expect((await getVideo(api, alice, video.id)).prompt).toBe(text);
  });

  it('defaults: portrait and 5 seconds', async () => {
    const alice = await createUser(api);

    const response = await postVideo(api, alice, { prompt: 'Only a prompt' });

    expect(response.status).toBe(202);
    expect(response.body.video).toMatchObject({
      orientation: 'portrait',
      durationSeconds: 5,
      status: VideoStatus.Queued,
    });
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer for the same key and body: same video and job, no second video', async () => {
    const alice = await createUser(api);
    const key = { 'Idempotency-Key': 'create-boat-1' };

    const first = await postVideo(api, alice, SHORT_CLIP, key);
    const second = await postVideo(api, alice, SHORT_CLIP, key);

    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.video.id).toBe(first.body.video.id);
    expect(second.body.job.id).toBe(first.body.job.id);
    expect((await listVideos(api, alice)).map((v) => v.id)).toEqual([first.body.video.id]);
    expect(await storedVideos(alice)).toHaveLength(1);
  });

  it('replays for the same request written differently (defaults spelled out, spaces around the prompt)', async () => {
    const alice = await createUser(api);
    const key = { 'Idempotency-Key': 'same-meaning' };

    const first = await postVideo(api, alice, { prompt: 'A red kite' }, key);
    const second = await postVideo(
      api,
      alice,
      { prompt: '  A red kite ', orientation: 'portrait', durationSeconds: 5 },
      key,
    );

    expect(second.status).toBe(202);
    expect(second.body.video.id).toBe(first.body.video.id);
    expect(await storedVideos(alice)).toHaveLength(1);
  });

  it('answers two simultaneous requests with one key with one video', async () => {
    const alice = await createUser(api);
    const key = { 'Idempotency-Key': 'double-click' };

    const [first, second] = await Promise.all([
      postVideo(api, alice, SHORT_CLIP, key),
      postVideo(api, alice, SHORT_CLIP, key),
    ]);

    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.video.id).toBe(first.body.video.id);
    expect(second.body.job.id).toBe(first.body.job.id);
    expect(await storedVideos(alice)).toHaveLength(1);
  });

  it('refuses the same key with a different body: 409 IDEMPOTENCY_KEY_REUSED, nothing written', async () => {
    const alice = await createUser(api);
    const key = { 'Idempotency-Key': 'reused' };
    const first = await postVideo(api, alice, SHORT_CLIP, key);

    for (const change of [
      { prompt: 'Something else' },
      { orientation: 'landscape' },
      { durationSeconds: 2 },
    ]) {
      expectApiError(
        await postVideo(api, alice, { ...SHORT_CLIP, ...change }, key),
        409,
        ErrorCode.IdempotencyKeyReused,
      );
    }
    expect((await listVideos(api, alice)).map((v) => v.id)).toEqual([first.body.video.id]);
  });

  it('keeps keys per user: another user with the same key gets a video of their own', async () => {
    const alice = await createUser(api);
    const bob = await createUser(api);
    const key = { 'Idempotency-Key': 'shared-key' };

    const ofAlice = await postVideo(api, alice, SHORT_CLIP, key);
    const ofBob = await postVideo(api, bob, { prompt: 'Bob asks for something else' }, key);

    expect([ofAlice.status, ofBob.status]).toEqual([202, 202]);
    expect(ofBob.body.video.id).not.toBe(ofAlice.body.video.id);
    expect(ofBob.body.video.prompt).toBe('Bob asks for something else');
    expect(await storedVideos(bob)).toHaveLength(1);
  });

  it('frees the key when its video is deleted: the same request then makes a new video', async () => {
    const alice = await createUser(api);
    const key = { 'Idempotency-Key': 'deleted-since' };
    const first = await postVideo(api, alice, SHORT_CLIP, key);
    await withBearer(api, alice).delete(ApiRoutes.video(first.body.video.id)).expect(204);

    const again = await postVideo(api, alice, SHORT_CLIP, key);

    expect(again.status).toBe(202);
    expect(again.body.video.id).not.toBe(first.body.video.id);
  });

  it('does not use up a key on a request refused as invalid', async () => {
    const alice = await createUser(api);
    const key = { 'Idempotency-Key': 'after-a-typo' };

    expectValidationError(await postVideo(api, alice, { prompt: '' }, key), 'prompt');
    expect((await postVideo(api, alice, SHORT_CLIP, key)).status).toBe(202);
  });

  it.each([
    ['300 characters', 'k'.repeat(300)],
    ['256 characters', 'k'.repeat(256)],
    ['a space', 'two words'],
    ['non-ASCII', 'clé-1'],
    ['an empty value', ''],
  ])('refuses a key of %s: 400 naming Idempotency-Key, nothing written', async (_case, value) => {
    const alice = await createUser(api);

    expectValidationError(
      await postVideo(api, alice, SHORT_CLIP, { 'Idempotency-Key': value }),
      'Idempotency-Key',
    );
    await expectNothingWritten(alice);
  });

  it('accepts a key of 255 visible characters', async () => {
    const alice = await createUser(api);

    expect(
      (await postVideo(api, alice, SHORT_CLIP, { 'Idempotency-Key': `${'k'.repeat(254)}~` }))
        .status,
    ).toBe(202);
  });
});

describe('the cap on active jobs (MAX_ACTIVE_JOBS_PER_USER=2)', () => {
  it('answers the third POST 429 TOO_MANY_ACTIVE_JOBS with Retry-After, and writes nothing for it', async () => {
    const alice = await createUser(api);
    const first = await createVideo(api, alice);
    const second = await createVideo(api, alice);

    const response = await postVideo(api, alice, { prompt: 'One too many' });

    const body = expectApiError(response, 429, ErrorCode.TooManyActiveJobs);
    expect(body.message).toMatch(/2/);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect((await listVideos(api, alice)).map((v) => v.id).sort()).toEqual(
      [first.video.id, second.video.id].sort(),
    );
    expect(await storedVideos(alice)).toHaveLength(2);
  });

  // A race: the count and the insert are not isolated from a concurrent request (assertBelowCap).
  it('holds for simultaneous requests', async () => {
    const accepted: number[] = [];
    for (let round = 0; round < 3; round++) {
      const alice = await createUser(api);
      const responses = await Promise.all(
        [1, 2, 3, 4, 5].map(() => postVideo(api, alice, SHORT_CLIP)),
      );
      accepted.push(responses.filter((response) => response.status === 202).length);
    }
    expect(accepted).toEqual([2, 2, 2]);
  });

  it('does not affect another user', async () => {
    const alice = await createUser(api);
    const bob = await createUser(api);
    await createVideo(api, alice);
    await createVideo(api, alice);

    expect((await postVideo(api, bob, SHORT_CLIP)).status).toBe(202);
  });

  it('makes room again once a job is cancelled', async () => {
    const alice = await createUser(api);
    const first = await createVideo(api, alice);
    await createVideo(api, alice);
    expect((await postVideo(api, alice, SHORT_CLIP)).status).toBe(429);

    expect((await withBearer(api, alice).post(ApiRoutes.jobCancel(first.job.id))).status).toBe(200);

    expect((await postVideo(api, alice, SHORT_CLIP)).status).toBe(202);
  });

  it('counts retries too: retrying at the cap is 429, and the video stays as it was', async () => {
    const alice = await createUser(api);
    const cancelled = await createVideo(api, alice);
    await withBearer(api, alice).post(ApiRoutes.jobCancel(cancelled.job.id));
    await createVideo(api, alice);
    await createVideo(api, alice);

    expectApiError(
      await withBearer(api, alice).post(ApiRoutes.jobRetry(cancelled.job.id)),
      429,
      ErrorCode.TooManyActiveJobs,
    );
    expect(await getVideo(api, alice, cancelled.video.id)).toMatchObject({
      status: VideoStatus.Cancelled,
      jobId: cancelled.job.id,
    });
    const jobs = await api.db.select<{ id: string }>(
      'SELECT id FROM video_jobs WHERE video_id = ?',
      [cancelled.video.id],
    );
    expect(jobs).toEqual([{ id: cancelled.job.id }]);
  });

  it('still replays an Idempotency-Key at the cap: a replay is no new job', async () => {
    const alice = await createUser(api);
    const key = { 'Idempotency-Key': 'at-the-cap' };
    const first = await postVideo(api, alice, SHORT_CLIP, key);
    await createVideo(api, alice);

    const replay = await postVideo(api, alice, SHORT_CLIP, key);

    expect(replay.status).toBe(202);
    expect(replay.body.job.id).toBe(first.body.job.id);
    expect([JobStatus.Queued, JobStatus.Running]).toContain(replay.body.job.status);
  });
});

import { ApiRoutes, CreateVideoResponse, JobStatus } from '@vidgen/contracts';
import { randomBytes } from 'node:crypto';
import { VideosRepository } from '../src/videos/videos.repository';
import { startApp, TestApp } from './support/app';
import { anonymous, withBearer } from './support/http';
import { FakeFfmpeg, fakeFfmpeg, FFMPEG } from './support/media';
import { createUser, logIn, uniquePassword } from './support/users';
import { createVideo, generateVideo, postVideo, waitForJob } from './support/videos';

jest.setTimeout(120_000);

// What both databases must store and compare alike: sizes past 2 GiB, and emails and
// idempotency keys byte for byte (MySQL's default collation equates `é` with `e`, `A` with `a`).
const HUGE = '[huge]';
const HUGE_BYTES = 3 * 1024 ** 3;

let ffmpeg: FakeFfmpeg;
let api: TestApp;

beforeAll(async () => {
  // The real render; with HUGE in the prompt the file is then made 3 GiB long. Sparse, so it
  // takes no disk space, and ffprobe still reads the video at its start.
  ffmpeg = await fakeFfmpeg(
    [
      `'${FFMPEG}' "$@" || exit $?`,
      `if [ -f prompt.txt ] && grep -qF '${HUGE}' prompt.txt && [ -f output.mp4 ]; then`,
      `  truncate -s ${HUGE_BYTES} output.mp4`,
      'fi',
    ].join('\n'),
  );
  api = await startApp({ FFMPEG_PATH: ffmpeg.path, LOGIN_MAX_FAILURES: '2' });
});

afterAll(async () => {
  await api?.close();
  await ffmpeg?.remove();
});

const hex = () => randomBytes(6).toString('hex');

describe('a video over 2 GiB', () => {
  it('succeeds, and its size reads back as the number of bytes, also in the profile', async () => {
    const dan = await createUser(api);

    const { video } = await generateVideo(api, dan, { prompt: `${HUGE} a very long take` });

    expect(video.sizeBytes).toBeGreaterThan(HUGE_BYTES);
    expect(video.sizeBytes).toBeLessThan(HUGE_BYTES + 1024 * 1024);
    const stored = await api.app.get(VideosRepository).findOwned(video.id, dan.user.id);
    expect(stored?.sizeBytes).toBe(video.sizeBytes);
    const profile = await withBearer(api, dan).get(ApiRoutes.profile);
    expect(profile.body.stats).toEqual({ videoCount: 1, storageBytes: video.sizeBytes });
  });
});

describe('emails that differ only in an accent', () => {
  it('are two accounts, each logging in to its own, with failed logins counted apart', async () => {
    const tag = hex();
    const accented = `josé-${tag}@example.com`;
    const plain = `jose-${tag}@example.com`;

    const first = await createUser(api, { email: accented });
    const second = await createUser(api, { email: plain });

    expect(second.user.id).not.toBe(first.user.id);
    for (const { email, password, user } of [first, second]) {
      const session = await logIn(api, email, password);
      expect((await withBearer(api, session).get(ApiRoutes.me)).body.user).toMatchObject({
        id: user.id,
        email,
      });
    }
    // LOGIN_MAX_FAILURES is 2: the third wrong password locks the plain address only.
    const wrong = { email: plain, password: uniquePassword() };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await anonymous(api).post(ApiRoutes.login).send(wrong)).status);
    expect(statuses).toEqual([401, 401, 429]);
    await logIn(api, accented, first.password);
  });
});

describe('idempotency keys that differ only in case', () => {
  it('are two keys: two videos, each replayed under its own key', async () => {
    const erin = await createUser(api);
    const tag = hex();
    const upper = { 'Idempotency-Key': `AbC-${tag}` };
    const lower = { 'Idempotency-Key': `abc-${tag}` };

    const a = await createVideo(api, erin, { prompt: 'Under the upper-case key' }, upper);
    const b = await createVideo(api, erin, { prompt: 'Under the lower-case key' }, lower);

    expect(b.video.id).not.toBe(a.video.id);
    const replay = await postVideo(
      api,
      erin,
      { prompt: 'Under the upper-case key', durationSeconds: 1 },
      upper,
    );
    expect(replay.status).toBe(202);
    expect((replay.body as CreateVideoResponse).video.id).toBe(a.video.id);
    for (const { job } of [a, b])
      expect(await waitForJob(api, erin, job.id)).toMatchObject({ status: JobStatus.Succeeded });
  });
});

import { ApiRoutes, ErrorCode, Video } from '@vidgen/contracts';
import request from 'supertest';
import { startS3Server, TestS3Server } from '../src/testing/s3-server';
import { startApp, TestApp } from './support/app';
import { expectApiError } from './support/errors';
import { anonymous, bearerHeaders, withBearer } from './support/http';
import { ffprobeBytes, filesIn, isJpeg, userVideoDir, workFolders } from './support/media';
import { createUser, CreatedUser } from './support/users';
import { asBytes, bytesOf, eventually, generateVideo } from './support/videos';

jest.setTimeout(120_000);

let s3: TestS3Server;
let api: TestApp;
let alice: CreatedUser;
let video: Video;
/** The MP4 as GET content serves it whole. */
let whole: Buffer;

beforeAll(async () => {
  s3 = await startS3Server();
  api = await startApp(s3.env);
  alice = await createUser(api);
  ({ video } = await generateVideo(api, alice, { durationSeconds: 2 }));
  whole = bytesOf(await content());
});

afterAll(async () => {
  await api?.close();
  await s3?.close();
});

const content = (headers: Record<string, string> = {}, query = '') =>
  asBytes(
    withBearer(api, alice)
      .get(`${ApiRoutes.videoContent(video.id)}${query}`)
      .set(headers),
  );
const keysOf = (userId: string, videoId?: string) =>
  s3.keys(videoId ? `${userId}/${videoId}/` : `${userId}/`);

describe('with STORAGE_DRIVER=s3, a generated video', () => {
  it('is stored in the bucket under the same keys as on disk, and nothing is left on disk', async () => {
    expect(await keysOf(alice.user.id)).toEqual([
      `${alice.user.id}/${video.id}/${video.jobId}-1.jpg`,
      `${alice.user.id}/${video.id}/${video.jobId}-1.mp4`,
    ]);
    expect(await filesIn(userVideoDir(api, alice.user.id))).toEqual([]);
    await eventually(async () => expect(await workFolders(api)).toEqual([]));
  });

  it('GET content streams the whole MP4 from the bucket: 200, its length, a real H.264 video', async () => {
    const response = await content();

    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'video/mp4',
      'accept-ranges': 'bytes',
      'content-length': String(whole.length),
    });
    const probed = await ffprobeBytes(bytesOf(response), 'mp4');
    expect(probed).toMatchObject({ width: 720, height: 1280, codec: 'h264' });
    expect(probed.durationSeconds).toBeCloseTo(2, 1);
  });

  it.each([
    ['the first 100 bytes', 'bytes=0-99', () => [0, 99]],
    ['a middle range', 'bytes=1000-1999', () => [1000, 1999]],
    ['an open-ended range', 'bytes=1000-', (size: number) => [1000, size - 1]],
    ['a suffix', 'bytes=-500', (size: number) => [size - 500, size - 1]],
  ])('GET content with %s (%s): 206 and exactly those bytes', async (_case, range, expected) => {
    const [start, end] = expected(whole.length);

    const response = await content({ Range: range });

    expect(response.status).toBe(206);
    expect(response.headers).toMatchObject({
      'content-range': `bytes ${start}-${end}/${whole.length}`,
      'content-length': String(end - start + 1),
    });
    expect(bytesOf(response).equals(whole.subarray(start, end + 1))).toBe(true);
  });

  it('GET content refuses a range past the end: 416', async () => {
    const response = await withBearer(api, alice)
      .get(ApiRoutes.videoContent(video.id))
      .set('Range', `bytes=${whole.length}-`);

    expectApiError(response, 416, ErrorCode.RangeNotSatisfiable);
    expect(response.headers['content-range']).toBe(`bytes */${whole.length}`);
  });

  it('GET thumbnail streams the JPEG; sizeBytes counts both objects', async () => {
    const thumbnail = await asBytes(withBearer(api, alice).get(ApiRoutes.videoThumbnail(video.id)));

    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/jpeg');
    expect(isJpeg(bytesOf(thumbnail))).toBe(true);
    expect(video.sizeBytes).toBe(whole.length + bytesOf(thumbnail).length);
  });

  it('HEAD answers the headers of GET with no body', async () => {
    for (const headers of [{}, { Range: 'bytes=10-99' }] as Record<string, string>[]) {
      const head = await request(api.url)
        .head(ApiRoutes.videoContent(video.id))
        .set(bearerHeaders(alice))
        .set(headers);
      const get = await content(headers);

      expect(head.status).toBe(get.status);
      expect(head.text ?? '').toBe('');
      for (const name of ['content-type', 'content-length', 'content-range', 'accept-ranges'])
        expect(head.headers[name]).toBe(get.headers[name]);
    }
  });

  it('?download=1 serves the same bytes as an attachment', async () => {
    const response = await content({}, '?download=1');

    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toContain(`filename="${video.title}.mp4"`);
    expect(bytesOf(response).equals(whole)).toBe(true);
  });

  it('another user gets 404 for its content: the API checks ownership before S3 is asked', async () => {
    const mallory = await createUser(api);

    expectApiError(
      await withBearer(api, mallory).get(ApiRoutes.videoContent(video.id)),
      404,
      ErrorCode.NotFound,
    );
  });
});

describe('GET /api/health with S3', () => {
  it('reports storage ok, then error while S3 is down, then ok again without a restart', async () => {
    const ok = {
      status: 'ok',
      checks: { database: 'ok', storage: 'ok', queue: 'ok', events: 'ok' },
    };
    expect((await anonymous(api).get(ApiRoutes.health)).body).toEqual(ok);

    await s3.stop();
    try {
      const down = await anonymous(api).get(ApiRoutes.health);
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: 'error', checks: { ...ok.checks, storage: 'error' } });
    } finally {
      await s3.start();
    }

    const back = await anonymous(api).get(ApiRoutes.health);
    expect(back.status).toBe(200);
    expect(back.body).toEqual(ok);
  });
});

describe('deleting with S3', () => {
  it('DELETE /api/videos/:id removes its objects from the bucket, and only those', async () => {
    const { video: other } = await generateVideo(api, alice, { prompt: 'A second one' });
    expect(await keysOf(alice.user.id, other.id)).toHaveLength(2);

    const response = await withBearer(api, alice).delete(ApiRoutes.video(other.id));

    expect(response.status).toBe(204);
    expect(await keysOf(alice.user.id, other.id)).toEqual([]);
    expect(await keysOf(alice.user.id, video.id)).toHaveLength(2);
    expectApiError(
      await withBearer(api, alice).get(ApiRoutes.videoContent(other.id)),
      404,
      ErrorCode.NotFound,
    );
  });

  it("deleting the account removes every object of the user, and no one else's", async () => {
    const bob = await createUser(api);
    await generateVideo(api, bob, { prompt: "Bob's own" });
    expect(await keysOf(bob.user.id)).toHaveLength(2);
    expect(await keysOf(alice.user.id)).toHaveLength(2);

    const response = await withBearer(api, alice)
      .delete(ApiRoutes.profile)
      .send({ password: alice.password });

    expect(response.status).toBe(204);
    await eventually(async () => expect(await keysOf(alice.user.id)).toEqual([]));
    expect(await keysOf(bob.user.id)).toHaveLength(2);
  });
});

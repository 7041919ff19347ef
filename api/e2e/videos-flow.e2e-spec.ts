import {
  ApiRoutes,
  CreateVideoResponse,
  ErrorCode,
  JobStatus,
  Orientation,
  Video,
  VideoJob,
  VideoStatus,
} from '@vidgen/contracts';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startApp, TestApp } from './support/app';
import { expectApiError } from './support/errors';
import { withBearer } from './support/http';
import {
  ffprobe,
  ffprobeBytes,
  isJpeg,
  storedFilesOf,
  storedNamesOf,
  videoDir,
  workFolders,
} from './support/media';
import { createUser, CreatedUser } from './support/users';
import {
  asBytes,
  bytesOf,
  cancelQuietly,
  createVideo,
  eventually,
  expectJobShape,
  expectVideoShape,
  getVideo,
  postVideo,
  waitForJob,
} from './support/videos';

jest.setTimeout(120_000);

let api: TestApp;
let alice: CreatedUser;

interface Generated {
  posted: CreateVideoResponse;
  postedInMs: number;
  job: VideoJob;
  video: Video;
}
const generated: Partial<Record<Orientation, Generated>> = {};

const REQUESTS: Record<Orientation, Record<string, unknown>> = {
  // No orientation: portrait is the default.
  [Orientation.Portrait]: {
    prompt: 'A lighthouse in a storm, seen from a small boat',
    durationSeconds: 2,
  },
  [Orientation.Landscape]: {
    prompt: 'Wide fields of lavender at sunset',
    orientation: 'landscape',
    durationSeconds: 1,
  },
};
const SIZES = { [Orientation.Portrait]: [720, 1280], [Orientation.Landscape]: [1280, 720] };

beforeAll(async () => {
  api = await startApp({ JOB_CONCURRENCY: '2' });
  alice = await createUser(api);
  // Both renders at once (two workers); the tests below look at the results.
  await Promise.all(
    Object.values(Orientation).map(async (orientation) => {
      const started = Date.now();
      const response = await postVideo(api, alice, REQUESTS[orientation]);
      const postedInMs = Date.now() - started;
      expect(response.status).toBe(202);
      const posted = response.body as CreateVideoResponse;
      const job = await waitForJob(api, alice, posted.job.id);
      generated[orientation] = {
        posted,
        postedInMs,
        job,
        video: await getVideo(api, alice, posted.video.id),
      };
    }),
  );
});

afterAll(() => api?.close());

const result = (orientation: Orientation) => generated[orientation] as Generated;

describe.each(Object.values(Orientation))('a %s video, end to end', (orientation) => {
  const [width, height] = SIZES[orientation];
  const requested = REQUESTS[orientation];

  it('POST answers 202 {video, job} at once, both queued, with the request as asked', () => {
    const { posted, postedInMs } = result(orientation);

    expect(postedInMs).toBeLessThan(1000);
    expectVideoShape(posted.video);
    expectJobShape(posted.job);
    expect(posted.video).toMatchObject({
      prompt: requested['prompt'],
      title: requested['prompt'],
      orientation,
      status: VideoStatus.Queued,
      provider: 'local',
      width: null,
      height: null,
      durationSeconds: requested['durationSeconds'],
      sizeBytes: null,
      contentUrl: null,
      thumbnailUrl: null,
      favorite: false,
      error: null,
      jobId: posted.job.id,
      completedAt: null,
    });
    expect(posted.job).toMatchObject({
      videoId: posted.video.id,
      status: JobStatus.Queued,
      progress: 0,
      attempt: 1,
      error: null,
      startedAt: null,
      finishedAt: null,
    });
    expect(posted.job.queuePosition).toBeGreaterThanOrEqual(1);
  });

  it('the job succeeds: progress 100, started and finished', () => {
    const { job, posted } = result(orientation);

    expectJobShape(job);
    expect(job).toMatchObject({
      id: posted.job.id,
      status: JobStatus.Succeeded,
      progress: 100,
      queuePosition: null,
      error: null,
    });
    expect(Date.parse(job.finishedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(job.startedAt as string),
    );
  });

  it(`GET /api/videos/:id is ready, ${width}x${height}, with the requested length, size and URLs`, () => {
    const { video, posted } = result(orientation);

    expectVideoShape(video);
    expect(video).toMatchObject({
      id: posted.video.id,
      status: VideoStatus.Ready,
      orientation,
      width,
      height,
      provider: 'local',
      model: expect.stringMatching(/\S/),
      contentUrl: ApiRoutes.videoContent(posted.video.id),
      thumbnailUrl: ApiRoutes.videoThumbnail(posted.video.id),
      error: null,
      jobId: posted.job.id,
      createdAt: posted.video.createdAt,
      completedAt: expect.any(String),
    });
    expect(video.durationSeconds).toBeCloseTo(requested['durationSeconds'] as number, 1);
    expect(video.sizeBytes).toBeGreaterThan(1000);
  });

  it('stores a real H.264 MP4 of that size and length, and a JPEG thumbnail, on disk', async () => {
    const { video } = result(orientation);
    const dir = videoDir(api, alice.user.id, video.id);

    expect(await storedFilesOf(api, alice.user.id, video.id)).toEqual(
      storedNamesOf({ id: video.jobId, attempt: 1 }),
    );
    const probed = await ffprobe(join(dir, `${video.jobId}-1.mp4`));
    expect(probed).toMatchObject({
      width,
      height,
      codec: 'h264',
      formatName: expect.stringContaining('mp4'),
    });
    expect(probed.durationSeconds).toBeCloseTo(requested['durationSeconds'] as number, 1);
    const [mp4, jpg] = await Promise.all([
      stat(join(dir, `${video.jobId}-1.mp4`)),
      stat(join(dir, `${video.jobId}-1.jpg`)),
    ]);
    // sizeBytes counts the video and its thumbnail: what the video takes on disk.
    expect(video.sizeBytes).toBe(mp4.size + jpg.size);
  });

  it('GET content serves that MP4 (ffprobe on the download), GET thumbnail a JPEG of the same shape', async () => {
    const { video } = result(orientation);

    const content = await asBytes(withBearer(api, alice).get(ApiRoutes.videoContent(video.id)));
    expect(content.status).toBe(200);
    expect(content.headers['content-type']).toBe('video/mp4');
    const probed = await ffprobeBytes(bytesOf(content), 'mp4');
    expect(probed).toMatchObject({ width, height, codec: 'h264' });
    expect(probed.durationSeconds).toBeCloseTo(requested['durationSeconds'] as number, 1);

    const thumbnail = await asBytes(withBearer(api, alice).get(ApiRoutes.videoThumbnail(video.id)));
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/jpeg');
    expect(isJpeg(bytesOf(thumbnail))).toBe(true);
    const still = await ffprobeBytes(bytesOf(thumbnail), 'jpg');
    expect(still.codec).toBe('mjpeg');
    expect(still.width > still.height).toBe(width > height);
  });
});

describe('GET /api/videos/:id/content', () => {
  let video: Video;
  let whole: Buffer;

  beforeAll(async () => {
    video = result(Orientation.Portrait).video;
    whole = bytesOf(await asBytes(withBearer(api, alice).get(ApiRoutes.videoContent(video.id))));
  });

  const content = (range?: string, query = '') => {
    const test = withBearer(api, alice).get(`${ApiRoutes.videoContent(video.id)}${query}`);
    return asBytes(range ? test.set('Range', range) : test);
  };

  it('answers 200 video/mp4 with Accept-Ranges and the Content-Length of the stored file', async () => {
    const response = await content();
    const size = (await stat(join(videoDir(api, alice.user.id, video.id), `${video.jobId}-1.mp4`)))
      .size;

    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'video/mp4',
      'accept-ranges': 'bytes',
      'content-length': String(size),
    });
    expect(response.headers['content-disposition']).toBeUndefined();
    expect(bytesOf(response).length).toBe(size);
  });

  it.each([
    ['the first 100 bytes', 'bytes=0-99', (size: number) => [0, 99, size]],
    ['a middle range', 'bytes=100-199', (size: number) => [100, 199, size]],
    ['an open-ended range', 'bytes=1000-', (size: number) => [1000, size - 1, size]],
    ['a suffix: the last 500 bytes', 'bytes=-500', (size: number) => [size - 500, size - 1, size]],
    [
      'a range past the end, cut at the end',
      'bytes=10-999999999',
      (size: number) => [10, size - 1, size],
    ],
  ])(
    'serves %s (%s): 206 with Content-Range, Content-Length and exactly those bytes',
    async (_case, range, expected) => {
      const [start, end, size] = expected(whole.length);

      const response = await content(range);

      expect(response.status).toBe(206);
      expect(response.headers).toMatchObject({
        'content-type': 'video/mp4',
        'accept-ranges': 'bytes',
        'content-range': `bytes ${start}-${end}/${size}`,
        'content-length': String(end - start + 1),
      });
      expect(bytesOf(response).equals(whole.subarray(start, end + 1))).toBe(true);
    },
  );

  it('refuses a range that starts past the end: 416 with Content-Range bytes */size', async () => {
    const response = await withBearer(api, alice)
      .get(ApiRoutes.videoContent(video.id))
      .set('Range', 'bytes=999999999-');

    expectApiError(response, 416, ErrorCode.RangeNotSatisfiable);
    expect(response.headers['content-range']).toBe(`bytes */${whole.length}`);
  });

  it('?download=1 adds Content-Disposition: attachment with a file name from the title', async () => {
    const response = await content(undefined, '?download=1');

    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.mp4"/);
    expect(response.headers['content-disposition']).toContain(`filename="${video.title}.mp4"`);
    expect(bytesOf(response).equals(whole)).toBe(true);
  });

  it.each([
    ['several ranges', 'bytes=0-9,20-29'],
    ['a range it cannot read', 'bytes=abc'],
    ['another unit', 'items=0-9'],
  ])('answers %s (%s) with the whole file: 200', async (_case, range) => {
    const response = await content(range);

    expect(response.status).toBe(200);
    expect(response.headers['content-range']).toBeUndefined();
    expect(bytesOf(response).equals(whole)).toBe(true);
  });

  it('refuses an empty suffix (bytes=-0): 416', async () => {
    const response = await withBearer(api, alice)
      .get(ApiRoutes.videoContent(video.id))
      .set('Range', 'bytes=-0');

    expectApiError(response, 416, ErrorCode.RangeNotSatisfiable);
  });

  it('?download=1 names a file of any title: an ASCII fallback and the exact name (RFC 6266)', async () => {
    const title = 'Café "noir" – 1';
    await withBearer(api, alice).patch(ApiRoutes.video(video.id)).send({ title }).expect(200);

    const disposition = (await content(undefined, '?download=1')).headers['content-disposition'];

    expect(disposition).toBe(
      `attachment; filename="Caf_ _noir_ _ 1.mp4"; filename*=UTF-8''${encodeURIComponent(`${title}.mp4`)}`,
    );
  });

  it("?download=1 percent-encodes ' ( ) * in filename*, as RFC 8187 requires", async () => {
    const title = "Don't (stop) *now*";
    await withBearer(api, alice).patch(ApiRoutes.video(video.id)).send({ title }).expect(200);

    const disposition = (await content(undefined, '?download=1')).headers[
      'content-disposition'
    ] as string;

    const value = /filename\*=UTF-8''(.*)$/.exec(disposition)?.[1] ?? '';
    expect(value).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
    expect(decodeURIComponent(value)).toBe(`${title}.mp4`);
  });

  it('answers 404 for the content and thumbnail of a video that is not ready yet', async () => {
    const pending = await createVideo(api, alice, {
      prompt: 'Still rendering',
      durationSeconds: 20,
    });
    try {
      for (const path of [
        ApiRoutes.videoContent(pending.video.id),
        ApiRoutes.videoThumbnail(pending.video.id),
      ]) {
        expectApiError(await withBearer(api, alice).get(path), 404, ErrorCode.NotFound);
      }
    } finally {
      await cancelQuietly(api, alice, pending.job.id);
    }
  });
});

describe('after generating', () => {
  it('GET /api/users/me counts the videos and the bytes they take', async () => {
    const videos = Object.values(Orientation).map((orientation) => result(orientation).video);
    // The cancelled one of the test above counts as a video without bytes.
    const all = (await withBearer(api, alice).get(ApiRoutes.videos)).body.items as Video[];

    const response = await withBearer(api, alice).get(ApiRoutes.profile);

    expect(response.status).toBe(200);
    expect(response.body.stats).toEqual({
      videoCount: all.length,
      storageBytes: videos.reduce((sum, video) => sum + (video.sizeBytes as number), 0),
    });
  });

  it('leaves no work folder behind', async () => {
    await eventually(async () => expect(await workFolders(api)).toEqual([]));
  });
});

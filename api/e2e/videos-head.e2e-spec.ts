import { ApiRoutes, ErrorCode, Video } from '@vidgen/contracts';
import request, { Response } from 'supertest';
import { VideoStorage } from '../src/storage/video-storage';
import { startApp, TestApp } from './support/app';
import { expectApiError, expectValidationError } from './support/errors';
import { bearerHeaders, withBearer } from './support/http';
import { createUser, CreatedUser } from './support/users';
import { asBytes, bytesOf, generateVideo, UNKNOWN_ID } from './support/videos';

jest.setTimeout(120_000);

let api: TestApp;
let alice: CreatedUser;
let video: Video;
/** Of the MP4 alone (the video's sizeBytes counts its thumbnail too). */
let size: number;
let readSpy: jest.SpyInstance;

beforeAll(async () => {
  api = await startApp();
  alice = await createUser(api);
  ({ video } = await generateVideo(api, alice));
  size = bytesOf(await get(ApiRoutes.videoContent(video.id))).length;
  // Observes the app's own storage adapter (still the real one, reading the real disk).
  readSpy = jest.spyOn(api.app.get(VideoStorage), 'read');
});

beforeEach(() => readSpy.mockClear());

afterAll(async () => {
  readSpy?.mockRestore();
  await api?.close();
});

const head = (path: string, headers: Record<string, string> = {}) =>
  request(api.url).head(path).set(bearerHeaders(alice)).set(headers);
const get = (path: string, headers: Record<string, string> = {}) =>
  asBytes(withBearer(api, alice).get(path).set(headers));

/** The headers a HEAD must repeat from its GET (RFC 9110, 9.3.2). */
const REPEATED = [
  'content-type',
  'content-length',
  'accept-ranges',
  'content-range',
  'content-disposition',
  'cache-control',
];
const repeated = (response: Response) =>
  Object.fromEntries(REPEATED.map((name) => [name, response.headers[name]]));

describe('HEAD on a video', () => {
  it.each([
    ['the content', () => ApiRoutes.videoContent(video.id), {}],
    ['a range of the content', () => ApiRoutes.videoContent(video.id), { Range: 'bytes=10-99' }],
    ['a download', () => `${ApiRoutes.videoContent(video.id)}?download=1`, {}],
    ['the thumbnail', () => ApiRoutes.videoThumbnail(video.id), {}],
  ])(
    'answers %s with the headers of GET and no body, without reading the file',
    async (_case, path, headers: Record<string, string>) => {
      const answer = await head(path(), headers);

      expect(readSpy).not.toHaveBeenCalled();
      expect(answer.text ?? '').toBe('');
      const whole = await get(path(), headers);
      expect(readSpy).toHaveBeenCalledTimes(1);
      expect(answer.status).toBe(whole.status);
      expect(repeated(answer)).toEqual(repeated(whole));
      expect(Number(answer.headers['content-length'])).toBe(bytesOf(whole).length);
      expect(Number(answer.headers['content-length'])).toBeGreaterThan(0);
    },
  );

  it('answers 206 with the Content-Range of a range', async () => {
    const answer = await head(ApiRoutes.videoContent(video.id), { Range: 'bytes=10-99' });

    expect(answer.status).toBe(206);
    expect(answer.headers).toMatchObject({
      'content-range': `bytes 10-99/${size}`,
      'content-length': '90',
      'accept-ranges': 'bytes',
    });
  });

  it('answers 416 for a range past the end, and 404 for an unknown video, like GET', async () => {
    const unsatisfiable = await head(ApiRoutes.videoContent(video.id), {
      Range: `bytes=${size}-`,
    });
    const unknown = await head(ApiRoutes.videoContent(UNKNOWN_ID));

    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers['content-range']).toBe(`bytes */${size}`);
    expect(unknown.status).toBe(404);
    expectApiError(
      await withBearer(api, alice).get(ApiRoutes.videoContent(UNKNOWN_ID)),
      404,
      ErrorCode.NotFound,
    );
    expect(readSpy).not.toHaveBeenCalled();
  });
});

describe('GET content', () => {
  it('plays the file for download=0 or false, attaching it only for 1 or true', async () => {
    for (const [value, attached] of [
      ['0', false],
      ['false', false],
      ['true', true],
    ] as const) {
      const answer = await get(`${ApiRoutes.videoContent(video.id)}?download=${value}`);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-disposition'] !== undefined).toBe(attached);
    }
    expectValidationError(
      await withBearer(api, alice).get(`${ApiRoutes.videoContent(video.id)}?download=yes`),
      'download',
    );
  });

  it('answers 404, not 500, when the stored file is gone while the video row is still there', async () => {
    const { video: other } = await generateVideo(api, alice);
    // As when the video is deleted while its player still asks for ranges.
    await api.app.get(VideoStorage).delete(`${alice.user.id}/${other.id}/${other.jobId}-1.mp4`);

    expectApiError(
      await withBearer(api, alice).get(ApiRoutes.videoContent(other.id)),
      404,
      ErrorCode.NotFound,
    );
  });
});

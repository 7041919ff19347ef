import { ApiRoutes, ErrorCode, Orientation, VideoStatus } from '@vidgen/contracts';
import OpenAI, { toFile } from 'openai';
import type { Video as OpenAiVideo } from 'openai/resources/videos';
import { createApiKey } from './support/api-keys';
import { startApp, TestApp } from './support/app';
import { expectApiError, expectOpenAiError } from './support/errors';
import { anonymous, bearerHeaders, withBearer } from './support/http';
import { ffprobeBytes, isJpeg } from './support/media';
import { expectExchangesDocumented, openAiClient } from './support/openai';
import { createUser, CreatedUser } from './support/users';
import {
  cancelQuietly,
  createVideo,
  getVideo,
  listVideos,
  sleep,
  UNKNOWN_ID,
} from './support/videos';

jest.setTimeout(240_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATUSES = ['queued', 'in_progress', 'completed', 'failed'];

let api: TestApp;
let alice: CreatedUser;
let client: OpenAI;

beforeAll(async () => {
  // Several videos at once per user: the list tests make a few without waiting for them.
  api = await startApp({ MAX_ACTIVE_JOBS_PER_USER: '50' });
  alice = await createUser(api);
  client = openAiClient(api, (await createApiKey(api, alice)).accessToken);
});

afterEach(() => expectExchangesDocumented());

afterAll(() => api?.close());

/** A new user and an `openai` client with a key of theirs. */
async function newClient(): Promise<{ user: CreatedUser; client: OpenAI }> {
  const user = await createUser(api);
  return { user, client: openAiClient(api, (await createApiKey(api, user)).accessToken) };
}

/** Polls `videos.retrieve` as OpenAI's docs do, until the video is done; every answer is kept. */
async function retrieveUntilDone(id: string, seen: OpenAiVideo[] = []): Promise<OpenAiVideo> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const video = await client.videos.retrieve(id);
    seen.push(video);
    if (video.status === 'completed' || video.status === 'failed') return video;
    if (Date.now() > deadline) throw new Error(`still ${video.status}: ${JSON.stringify(video)}`);
    await sleep(250);
  }
}

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

/** `fetch` of a /v1 path with alice's session or a key: for what the client cannot send. */
function rawFetch(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${api.url}${path}`, init);
}

async function keyHeaders(): Promise<Record<string, string>> {
  return bearerHeaders(await createApiKey(api, alice));
}

describe('a video made, followed and downloaded through the openai client', () => {
  const made: Record<'portrait' | 'landscape', { created: OpenAiVideo; done: OpenAiVideo }> =
    {} as never;
  const seen: OpenAiVideo[] = [];
  let startedAt: number;

  beforeAll(async () => {
    startedAt = Math.floor(Date.now() / 1000);
    const portrait = await client.videos.create({
      model: 'sora-2',
      prompt: 'A paper boat drifting down a rainy street',
      seconds: '4',
      size: '720x1280',
    });
    const landscape = await client.videos.create({
      model: 'local',
      prompt: 'A lighthouse at dusk',
      size: '1280x720',
    });
    const [portraitDone, landscapeDone] = await Promise.all([
      retrieveUntilDone(portrait.id, seen),
      retrieveUntilDone(landscape.id, seen),
    ]);
    made.portrait = { created: portrait, done: portraitDone };
    made.landscape = { created: landscape, done: landscapeDone };
  });

  afterEach(() => expectExchangesDocumented());

  it("answers the create with OpenAI's video object, queued", () => {
    expect(made.portrait.created).toEqual({
      id: expect.stringMatching(UUID),
      object: 'video',
      model: 'local',
      status: 'queued',
      progress: 0,
      created_at: expect.any(Number),
      completed_at: null,
      expires_at: null,
      prompt: 'A paper boat drifting down a rainy street',
      seconds: '4',
      size: '720x1280',
      error: null,
      remixed_from_video_id: null,
    });
    expect(made.portrait.created.created_at).toBeGreaterThanOrEqual(startedAt);
    // OpenAI's defaults: 4 seconds.
    expect(made.landscape.created).toMatchObject({ seconds: '4', size: '1280x720' });
  });

  it('is retrieved as it goes, with whole percentages, until completed', () => {
    for (const video of seen) {
      expect(STATUSES).toContain(video.status);
      expect(Number.isInteger(video.progress)).toBe(true);
      expect(video.progress).toBeGreaterThanOrEqual(0);
      expect(video.progress).toBeLessThanOrEqual(100);
    }
    for (const { created, done } of Object.values(made)) {
      expect(done).toEqual({
        ...created,
        status: 'completed',
        progress: 100,
        completed_at: expect.any(Number),
      });
      expect(done.completed_at).toBeGreaterThanOrEqual(done.created_at);
    }
  });

  it.each([
    ['portrait', 720, 1280],
    ['landscape', 1280, 720],
  ] as const)('downloads the %s MP4 at its size (%d x %d)', async (name, width, height) => {
    const response = await client.videos.downloadContent(made[name].done.id);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    const probed = await ffprobeBytes(await bytesOf(response), 'mp4');
    expect(probed).toMatchObject({ width, height, codec: 'h264' });
    expect(probed.durationSeconds).toBeCloseTo(4, 0);
  });

  it('downloads the thumbnail variant as a JPEG', async () => {
    const response = await client.videos.downloadContent(made.portrait.done.id, {
      variant: 'thumbnail',
    });

    expect(response.headers.get('content-type')).toBe('image/jpeg');
    const bytes = await bytesOf(response);
    expect(isJpeg(bytes)).toBe(true);
    const { width, height } = await ffprobeBytes(bytes, 'jpg');
    expect(height).toBeGreaterThan(width);
  });

  it('answers a Range request with those bytes (206)', async () => {
    const whole = await bytesOf(await client.videos.downloadContent(made.landscape.done.id));
    const response = await client.videos.downloadContent(
      made.landscape.done.id,
      {},
      { headers: { Range: 'bytes=100-199' } },
    );

    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect(await bytesOf(response)).toEqual(whole.subarray(100, 200));
  });

  it('refuses the spritesheet variant, which the platform does not make', async () => {
    const refused = await client.videos
      .downloadContent(made.portrait.done.id, { variant: 'spritesheet' })
      .catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused).toMatchObject({ param: 'variant', type: 'invalid_request_error' });
  });

  it('remixes a video: a new one with the same size and length, naming its source', async () => {
    const source = made.landscape.done;
    const remix = await client.videos.remix(source.id, { prompt: 'The lighthouse in a storm' });

    expect(remix).toEqual({
      ...source,
      id: expect.stringMatching(UUID),
      status: 'queued',
      progress: 0,
      created_at: expect.any(Number),
      completed_at: null,
      prompt: 'The lighthouse in a storm',
      remixed_from_video_id: source.id,
    });
    expect(remix.id).not.toBe(source.id);
    expect(await client.videos.retrieve(remix.id)).toMatchObject({
      remixed_from_video_id: source.id,
    });
    // The same video on /api, for the web app.
    expect(await getVideo(api, alice, remix.id)).toMatchObject({
      prompt: 'The lighthouse in a storm',
      requestedOrientation: Orientation.Landscape,
      requestedDurationSeconds: 4,
    });

    // Deleted again (its render stopped), which deletes as OpenAI does.
    expect(await client.videos.delete(remix.id)).toEqual({
      id: remix.id,
      object: 'video.deleted',
      deleted: true,
    });
    await expect(client.videos.retrieve(remix.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    // The source is untouched.
    expect(await client.videos.retrieve(source.id)).toEqual(source);
  });
});

describe('creating', () => {
  it('takes the JSON body OpenAI documents, as well as the form the client sends', async () => {
    const response = await withBearer(api, await createApiKey(api, alice))
      .post('/v1/videos')
      .send({ prompt: 'Sent as JSON', seconds: '12', size: '1280x720' });
    const video = response.body as OpenAiVideo;

    expect(response.status).toBe(200);
    expect(video).toMatchObject({ object: 'video', seconds: '12', size: '1280x720' });
    // Asked of the provider as is: the local preview makes any length up to 20 s.
    expect(await getVideo(api, alice, video.id)).toMatchObject({
      requestedOrientation: Orientation.Landscape,
      requestedDurationSeconds: 12,
    });
    await client.videos.delete(video.id);
  });

  it('takes a multipart form sent by hand', async () => {
    const form = new FormData();
    form.append('prompt', 'Sent as a form');
    form.append('seconds', '8');
    const response = await rawFetch('/v1/videos', {
      method: 'POST',
      headers: await keyHeaders(),
      body: form,
    });
    const video = (await response.json()) as OpenAiVideo;

    expect(response.status).toBe(200);
    expect(video).toMatchObject({ prompt: 'Sent as a form', seconds: '8', size: '720x1280' });
    await client.videos.delete(video.id);
  });

  it.each([
    ['size', { size: '1024x1792' }],
    ['seconds', { seconds: '5' }],
    ['model', { model: 'sora-2-pro' }],
    ['prompt', { prompt: '   ' }],
    ['colour', { colour: 'red' }],
  ])('refuses a bad %s with BadRequestError naming that param', async (param, change) => {
    const refused = await client.videos
      .create({ prompt: 'A boat', ...change } as OpenAI.Videos.VideoCreateParams)
      .catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused).toMatchObject({
      status: 400,
      param,
      type: 'invalid_request_error',
      code: 'validation_failed',
    });
  });

  it('refuses input_reference, sent as a file by the client: there is no image-to-video', async () => {
    const image = await toFile(Buffer.from('not really a png'), 'reference.png', {
      type: 'image/png',
    });
    const refused = await client.videos
      .create({ prompt: 'A boat', input_reference: image })
      .catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused).toMatchObject({ param: 'input_reference' });
    expect((refused as Error).message).toMatch(/image-to-video/);
  });

  it('answers a body that is not JSON in the OpenAI error shape', async () => {
    const response = await withBearer(api, await createApiKey(api, alice))
      .post('/v1/videos')
      .set('Content-Type', 'application/json')
      .send('{"prompt": ');

    const error = expectOpenAiError(response, 400, ErrorCode.MalformedBody);
    expect(error).toMatchObject({
      message: 'The request body is not valid JSON.',
      type: 'invalid_request_error',
    });
  });

  it('keeps refusing forms on /api, which takes JSON only', async () => {
    const response = await withBearer(api, alice).post(ApiRoutes.videos).field('prompt', 'A boat');

    expectApiError(response, 415, ErrorCode.MalformedBody);
  });
});

describe('listing', () => {
  it('pages with limit, after, has_more and order, over videos made on /api and /v1', async () => {
    const { user, client: own } = await newClient();
    // Made on /api and stopped at once: listing needs rows, not renders.
    const ids: string[] = [];
    for (const prompt of ['one', 'two', 'three', 'four']) {
      const { video, job } = await createVideo(api, user, { prompt });
      await cancelQuietly(api, user, job.id);
      ids.push(video.id);
    }
    const fifth = await own.videos.create({ prompt: 'five' });
    ids.push(fifth.id);
    const newestFirst = (await listVideos(api, user)).map((video) => video.id);
    expect([...newestFirst].sort()).toEqual([...ids].sort());

    const first = await own.videos.list({ limit: 2 });
    expect(first.data.map((video) => video.id)).toEqual(newestFirst.slice(0, 2));
    expect(first).toMatchObject({ has_more: true, last_id: newestFirst[1] });
    const second = await own.videos.list({ limit: 2, after: first.last_id });
    expect(second.data.map((video) => video.id)).toEqual(newestFirst.slice(2, 4));
    const last = await second.getNextPage();
    expect(last.data.map((video) => video.id)).toEqual(newestFirst.slice(4));
    expect(last.has_more).toBe(false);

    const all: string[] = [];
    for await (const video of own.videos.list({ limit: 2, order: 'asc' })) all.push(video.id);
    expect(all).toEqual([...newestFirst].reverse());

    // A video cancelled on /api is a failed one to OpenAI's clients, which know no cancelled.
    const cancelled = (await listVideos(api, user))
      .filter((video) => video.status === VideoStatus.Cancelled)
      .map((video) => video.id);
    expect(cancelled.length).toBeGreaterThan(0);
    for (const id of cancelled) {
      expect(await own.videos.retrieve(id)).toMatchObject({
        status: 'failed',
        error: { code: 'cancelled', message: expect.any(String) },
      });
    }
    await own.videos.delete(fifth.id);
  });

  it('shows /v1 videos on GET /api/videos, and /api ones on /v1, as one set', async () => {
    const { user, client: own } = await newClient();
    const fromApi = await createVideo(api, user, {
      prompt: 'Made on /api',
      orientation: 'landscape',
    });
    await cancelQuietly(api, user, fromApi.job.id);
    const fromV1 = await own.videos.create({ prompt: 'Made on /v1' });

    expect(await own.videos.retrieve(fromApi.video.id)).toMatchObject({
      prompt: 'Made on /api',
      size: '1280x720',
      // Asked for 1 s, as the web app may: the nearest of OpenAI's lengths.
      seconds: '4',
    });
    const onApi = await listVideos(api, user);
    expect(onApi.find((video) => video.id === fromV1.id)).toMatchObject({
      prompt: 'Made on /v1',
      requestedOrientation: Orientation.Portrait,
      requestedDurationSeconds: 4,
      status: expect.stringMatching(`^(${VideoStatus.Queued}|${VideoStatus.Running})$`),
    });
    await own.videos.delete(fromV1.id);
  });

  it('refuses an after that names none of the caller’s videos', async () => {
    const refused = await client.videos
      .list({ after: UNKNOWN_ID })
      .catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused).toMatchObject({ param: 'after' });
  });
});

describe('models', () => {
  it("lists the platform's generator and sora-2, the name OpenAI's clients default to", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) {
      expect(model).toEqual({
        id: expect.any(String),
        object: 'model',
        created: expect.any(Number),
        owned_by: 'vidgen',
      });
      ids.push(model.id);
    }

    expect(ids).toEqual(['local', 'sora-2']);
    expect(await client.models.retrieve('sora-2')).toMatchObject({ id: 'sora-2' });
    await expect(client.models.retrieve('sora-2-pro')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('errors, as the client raises them', () => {
  it('raises AuthenticationError for a wrong key', async () => {
    const stranger = openAiClient(api, `vg_${'x'.repeat(43)}`);
    const refused = await stranger.videos.list().catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(refused).toMatchObject({ status: 401, type: 'authentication_error' });
    expect((refused as Error).message).toMatch(/API key is not valid/);
  });

  it('tells a caller without a key how to send one', async () => {
    const response = await anonymous(api).get('/v1/videos');

    const error = expectOpenAiError(response, 401, ErrorCode.Unauthenticated);
    expect(error).toMatchObject({
      message: expect.stringContaining('Authorization: Bearer vg_'),
      type: 'authentication_error',
    });
  });

  it('raises NotFoundError for an unknown id and for the id of another user’s video', async () => {
    const { user: bob } = await newClient();
    const { video, job } = await createVideo(api, bob, { prompt: "Bob's" });
    await cancelQuietly(api, bob, job.id);

    for (const id of [UNKNOWN_ID, video.id, 'not-a-uuid']) {
      await expect(client.videos.retrieve(id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
      await expect(client.videos.downloadContent(id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
      await expect(client.videos.remix(id, { prompt: 'Mine now' })).rejects.toBeInstanceOf(
        OpenAI.NotFoundError,
      );
      await expect(client.videos.delete(id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    }
    expect(await getVideo(api, bob, video.id)).toMatchObject({ prompt: "Bob's" });
  });

  it('answers unknown /v1 paths with 404 in the OpenAI shape', async () => {
    // OpenAI's video edits, which the platform does not offer.
    const response = await withBearer(api, await createApiKey(api, alice)).post('/v1/videos/edits');

    expect(expectOpenAiError(response, 404, ErrorCode.NotFound).type).toBe('invalid_request_error');
  });
});

describe('sessions', () => {
  it('work on /v1 too', async () => {
    const response = await withBearer(api, alice).get('/v1/models');

    expect(response.status).toBe(200);
    expect(response.body.object).toBe('list');
  });
});

import { FakeGateway, startFakeGateway } from './fake-gateway';
import { postJson, probe, rawRequest, RawResponse } from './raw-http';

/** The OpenAI-style `/v1/videos` jobs: create, poll by wall clock, download, and the failures. */
describe('fake gateway: OpenAI-style video jobs', () => {
  const DURATION = 400;
  let gateway: FakeGateway;
  const auth = () => ({ authorization: `Bearer ${gateway.apiKey}` });
  const create = (body: unknown) => postJson(`${gateway.url}/videos`, body, gateway.apiKey);
  const get = (path: string) => rawRequest(`${gateway.url}/videos${path}`, { headers: auth() });
  const json = <T = Record<string, unknown>>(res: RawResponse) => JSON.parse(res.text) as T;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  function multipart(
    fields: Record<string, string>,
    file?: { name: string; type: string; data: Buffer },
  ) {
    const boundary = '----fake-gateway-test-boundary';
    const parts = Object.entries(fields).map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
    const head = Buffer.from(parts.join(''));
    const filePart = file
      ? Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="input_reference"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
          ),
          file.data,
          Buffer.from('\r\n'),
        ])
      : Buffer.alloc(0);
    const body = Buffer.concat([head, filePart, Buffer.from(`--${boundary}--\r\n`)]);
    const headers = { ...auth(), 'content-type': `multipart/form-data; boundary=${boundary}` };
    return rawRequest(`${gateway.url}/videos`, { method: 'POST', headers, body });
  }

  beforeAll(async () => {
    gateway = await startFakeGateway({ jobDurationMs: DURATION });
  });
  afterAll(() => gateway.close());

  it('creates a queued job, then polls it through in_progress to completed and serves the MP4', async () => {
    const created = await create({
      prompt: 'a harbour at dawn',
      model: 'sora-2',
      seconds: '8',
      size: '1280x720',
    });
    expect(created.status).toBe(200);
    expect(created.text.startsWith('{\n  "id": "video_')).toBe(true);
    const video = json(created);
    expect(video).toEqual({
      id: expect.stringMatching(/^video_[0-9a-f]{48}$/),
      object: 'video',
      created_at: expect.any(Number),
      status: 'queued',
      progress: 0,
      model: 'sora-2',
      prompt: 'a harbour at dawn',
      seconds: '8',
      size: '1280x720',
      completed_at: null,
      expires_at: null,
      error: null,
      remixed_from_video_id: null,
    });
    expect(created.headers['openai-poll-after-ms']).toBe('40');
    expect(created.headers['retry-after']).toBe('1');
    const early = await get(`/${video['id']}/content`);
    expect(early.status).toBe(404);
    expect(json<{ error: { type: string } }>(early).error.type).toBe('invalid_request_error');

    await sleep(DURATION / 2);
    const running = json(await get(`/${video['id']}`));
    expect(running).toMatchObject({ status: 'in_progress', progress: expect.any(Number) });
    expect(running['progress']).toBeGreaterThan(0);
    expect(running['progress']).toBeLessThan(100);

    await sleep(DURATION / 2 + 50);
    const done = await get(`/${video['id']}`);
    expect(json(done)).toMatchObject({
      status: 'completed',
      progress: 100,
      completed_at: expect.any(Number),
      expires_at: expect.any(Number),
    });
    expect(done.headers['openai-poll-after-ms']).toBeUndefined();
    const content = await get(`/${video['id']}/content`);
    expect(content.headers['content-type']).toBe('video/mp4');
    expect(Number(content.headers['content-length'])).toBe(content.body.length);
    expect(await probe(content.body)).toMatchObject({ width: 1280, height: 720, codec: 'h264' });
    const thumbnail = await get(`/${video['id']}/content?variant=thumbnail`);
    expect(thumbnail.headers['content-type']).toBe('image/jpeg');
    expect(await probe(thumbnail.body)).toMatchObject({ width: 1280, height: 720 });
  });

  it('keeps running by wall clock: a client that stops polling finds the job completed later', async () => {
    const { id } = json<{ id: string }>(await create({ prompt: 'a restart in the middle' }));
    await sleep(DURATION + 50);
    expect(json(await get(`/${id}`))).toMatchObject({
      status: 'completed',
      size: '720x1280',
      seconds: '4',
      model: 'sora-2',
    });
    expect(await probe((await get(`/${id}/content`)).body)).toMatchObject({
      width: 720,
      height: 1280,
    });
  });

  it('accepts multipart with an input_reference of the requested size, refuses another size', async () => {
    const still = (await rawRequest(`${gateway.filesUrl}/portrait.jpg`)).body;
    const fields = { prompt: 'the picture moves', model: 'sora-2', seconds: '4', size: '720x1280' };
    const ok = await multipart(fields, { name: 'ref.jpg', type: 'image/jpeg', data: still });
    expect(ok.status).toBe(200);
    expect(gateway.requests.at(-1)?.body).toMatchObject({
      fields,
      files: {
        input_reference: { filename: 'ref.jpg', contentType: 'image/jpeg', size: still.length },
      },
    });
    const wrong = await multipart(
      { ...fields, size: '1280x720' },
      { name: 'ref.jpg', type: 'image/jpeg', data: still },
    );
    expect(wrong.status).toBe(400);
    expect(json(wrong)).toEqual({
      error: {
        message: 'Inpaint image must match the requested width and height',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  });

  it('validates like OpenAI: seconds must be a string, sizes and models from the list', async () => {
    const integer = await create({ prompt: 'x', seconds: 8 });
    expect(integer.status).toBe(400);
    expect(integer.text.startsWith('{\n    "error": {\n        "message": ')).toBe(true);
    expect(json(integer)).toEqual({
      error: {
        message:
          "Invalid type for 'seconds': expected one of '4', '8', or '12', but got an integer instead.",
        type: 'invalid_request_error',
        param: 'seconds',
        code: 'invalid_type',
      },
    });
    const size = json<{ error: { message: string; param: string } }>(
      await create({ prompt: 'x', size: '1024x1024' }),
    );
    expect(size.error).toMatchObject({
      param: 'size',
      message: "Invalid value: '1024x1024'. Supported values are: '720x1280' and '1280x720'.",
    });
    expect(
      json<{ error: { param: string } }>(await create({ prompt: 'x', seconds: '10' })).error.param,
    ).toBe('seconds');
    expect(json<{ error: { code: string } }>(await create({ seconds: '4' })).error.code).toBe(
      'missing_required_parameter',
    );
    expect((await create({ prompt: 'x', model: 'sora2-portrait-15s' })).status).toBe(400);
  });

  it('has the job scenarios: failed, stall-poll', async () => {
    const failed = json<{ id: string }>(await create({ prompt: '[scenario:failed]' }));
    const stalled = json<{ id: string }>(await create({ prompt: '[scenario:stall-poll]' }));
    await sleep(DURATION + 50);
    expect(json(await get(`/${failed.id}`))).toMatchObject({
      status: 'failed',
      completed_at: null,
      error: { code: 'moderation_blocked', message: expect.any(String) },
    });
    expect((await get(`/${failed.id}/content`)).status).toBe(404);
    const stall = await get(`/${stalled.id}`);
    expect(json(stall)).toMatchObject({ status: 'in_progress', progress: 42 });
    expect(stall.headers['openai-poll-after-ms']).toBeDefined();
  });

  it('has the progress scenarios: no-progress stays at 0, jump goes 0 then 90', async () => {
    /** Every progress value a client polling every 20 ms sees until the job completes. */
    const seen = async (scenario: string): Promise<number[]> => {
      const { id } = json<{ id: string }>(await create({ prompt: `[scenario:${scenario}]` }));
      const values: number[] = [];
      for (;;) {
        const video = json<{ status: string; progress: number }>(await get(`/${id}`));
        if (video.status === 'completed') return values;
        values.push(video.progress);
        await sleep(20);
      }
    };
    const [flat, jump] = await Promise.all([seen('no-progress'), seen('jump')]);
    expect(new Set(flat)).toEqual(new Set([0]));
    expect(new Set(jump)).toEqual(new Set([0, 90]));
  });

  it('has the poll scenarios: poll-cut-once cuts the first poll only, poll-hang never answers', async () => {
    const cut = json<{ id: string }>(await create({ prompt: '[scenario:poll-cut-once]' }));
    await expect(get(`/${cut.id}`)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await get(`/${cut.id}`)).status).toBe(200);
    expect((await get(`/${cut.id}`)).status).toBe(200);

    const hang = json<{ id: string }>(await create({ prompt: '[scenario:poll-hang]' }));
    const answer = await Promise.race([get(`/${hang.id}`), sleep(300).then(() => 'no answer')]);
    expect(answer).toBe('no answer');
  });

  it('has the content scenarios: oversized, not-video, redirect-private', async () => {
    const ids = await Promise.all(
      ['oversized', 'not-video', 'redirect-private'].map(async (scenario) =>
        json<{ id: string }>(await create({ prompt: `[scenario:${scenario}]` })),
      ),
    );
    await sleep(DURATION + 50);
    const [oversized, notVideo, redirect] = ids.map(({ id }) => `/${id}/content`);
    const big = await rawRequest(`${gateway.url}/videos${oversized}`, {
      headers: auth(),
      maxBytes: 1024,
    });
    expect(big.headers['content-length']).toBe(String(50 * 1024 * 1024));
    expect((await get(notVideo)).text).toContain('This is not a video');
    const moved = await get(redirect);
    expect(moved.status).toBe(302);
    expect(moved.headers.location).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/files\/portrait\.mp4$/);
  });

  it('has the create scenarios: 429 once with retry-after, 500, 422 for the size', async () => {
    const limited = await create({ prompt: 'a fox [scenario:http-429-once]' });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(json<{ error: { code: string } }>(limited).error.code).toBe('rate_limit_exceeded');
    expect((await create({ prompt: 'a fox [scenario:http-429-once]' })).status).toBe(200);
    const broken = await create({ prompt: '[scenario:http-500-create]' });
    expect(broken.status).toBe(500);
    expect(json<{ error: { type: string } }>(broken).error.type).toBe('server_error');
    const size = await create({ prompt: '[scenario:bad-size]', size: '1280x720' });
    expect(size.status).toBe(422);
    expect(json<{ error: { param: string; type: string } }>(size).error).toMatchObject({
      param: 'size',
      type: 'invalid_request_error',
    });
  });

  it('remixes a completed video into a new job that names its source', async () => {
    const source = json<{ id: string }>(await create({ prompt: 'a boat', size: '1280x720' }));
    const url = `${gateway.url}/videos/${source.id}/remix`;
    expect((await postJson(url, { prompt: 'too early' }, gateway.apiKey)).status).toBe(400);
    await sleep(DURATION + 50);
    const remix = await postJson(url, { prompt: 'the boat at night' }, gateway.apiKey);
    expect(json(remix)).toMatchObject({
      status: 'queued',
      size: '1280x720',
      remixed_from_video_id: source.id,
    });
  });

  it('lists, deletes, and answers 404 for unknown ids', async () => {
    const { id } = json<{ id: string }>(await create({ prompt: 'to be deleted' }));
    const list = json<{ object: string; data: { id: string }[]; has_more: boolean }>(
      await get('?limit=1'),
    );
    expect(list).toMatchObject({ object: 'list', data: [{ id }], has_more: true });
    const deleted = await rawRequest(`${gateway.url}/videos/${id}`, {
      method: 'DELETE',
      headers: auth(),
    });
    expect(json(deleted)).toEqual({ id, object: 'video.deleted', deleted: true });
    const gone = await get(`/${id}`);
    expect(gone.status).toBe(404);
    expect(json<{ error: { code: string } }>(gone).error.code).toBe('video_not_found');
  });

  it('refuses a missing or wrong key the OpenAI way', async () => {
    const none = await rawRequest(`${gateway.url}/videos/video_x`);
    expect(none.status).toBe(401);
    expect(json<{ error: { message: string } }>(none).error.message).toMatch(
      /^You didn't provide an API key/,
    );
    const wrong = await rawRequest(`${gateway.url}/videos/video_x`, {
      headers: { authorization: 'Bearer sk-wrong-key-1234' },
    });
    expect(json(wrong)).toMatchObject({
      error: { code: 'invalid_api_key', message: expect.stringContaining('sk-**********1234') },
    });
  });
});

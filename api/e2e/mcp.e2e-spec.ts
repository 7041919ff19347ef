import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { ApiRoutes, ErrorCode, JobStatus, MCP_PATH, VideoStatus } from '@vidgen/contracts';
import type { McpVideo } from '../src/mcp/mcp-video';
import { createApiKey, CreatedApiKey } from './support/api-keys';
import { startApp, TestApp } from './support/app';
import { expectApiError } from './support/errors';
import { anonymous, bearerHeaders, withBearer } from './support/http';
import { callTool, connectMcp, textOf, videoOf } from './support/mcp';
import { FAIL, FakeFfmpeg, ffprobeBytes, HANG, scriptedFfmpeg } from './support/media';
import { createUser, CreatedUser } from './support/users';
import {
  asBytes,
  bytesOf,
  createVideo,
  generateVideo,
  getVideo,
  sleep,
  UNKNOWN_ID,
  waitForJob,
} from './support/videos';

jest.setTimeout(120_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let ffmpeg: FakeFfmpeg;
let api: TestApp;
let alice: CreatedUser;
let key: CreatedApiKey;
const clients: Client[] = [];

beforeAll(async () => {
  ffmpeg = await scriptedFfmpeg();
  api = await startApp({
    FFMPEG_PATH: ffmpeg.path,
    JOB_CONCURRENCY: '2',
    MAX_ACTIVE_JOBS_PER_USER: '10',
  });
  alice = await createUser(api);
  key = await createApiKey(api, alice, { name: 'agent' });
});

// A client's transport holds no connection between calls, but closing it ends any call left over.
afterEach(() => Promise.all(clients.splice(0).map((client) => client.close())));

afterAll(async () => {
  await api?.close();
  await ffmpeg?.remove();
});

async function connect(headers = bearerHeaders(key)): Promise<Client> {
  const client = await connectMcp(api, headers);
  clients.push(client);
  return client;
}

/** Calls get_video until the video leaves the queued and running states. */
async function untilFinished(client: Client, id: string): Promise<McpVideo> {
  for (;;) {
    const video = videoOf(await callTool(client, 'get_video', { id }));
    if (video.status !== VideoStatus.Queued && video.status !== VideoStatus.Running) return video;
    await sleep(200);
  }
}

async function untilRunning(client: Client, id: string): Promise<McpVideo> {
  for (;;) {
    const video = videoOf(await callTool(client, 'get_video', { id }));
    if (video.status === VideoStatus.Running) return video;
    expect(video.status).toBe(VideoStatus.Queued);
    await sleep(100);
  }
}

const urlsOf = (id: string) => ({
  contentUrl: `${api.url}${ApiRoutes.videoContent(id)}`,
  thumbnailUrl: `${api.url}${ApiRoutes.videoThumbnail(id)}`,
});

describe('the MCP server at /mcp', () => {
  it('lists the four video tools with their input schemas', async () => {
    const { tools } = await (await connect()).listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));

    expect(Object.keys(byName).sort()).toEqual([
      'cancel_video',
      'generate_video',
      'get_video',
      'list_videos',
    ]);
    expect(byName['generate_video'].inputSchema).toMatchObject({
      type: 'object',
      properties: {
        prompt: { type: 'string', minLength: 1, maxLength: 4000 },
        orientation: { type: 'string', enum: ['portrait', 'landscape'], default: 'portrait' },
        // The local preview's lengths, as GET /api/providers tells.
        duration: { type: 'integer', description: expect.stringContaining('5, 10, 15') },
      },
      required: ['prompt'],
    });
    for (const name of ['get_video', 'cancel_video']) {
      expect(byName[name].inputSchema).toMatchObject({
        properties: { id: { type: 'string' } },
        required: ['id'],
      });
    }
    expect(byName['list_videos'].inputSchema).toMatchObject({
      properties: { limit: { type: 'integer', maximum: 100 }, cursor: { type: 'string' } },
    });
    expect(byName['list_videos'].inputSchema.required ?? []).toEqual([]);
    for (const tool of tools) {
      expect(tool.description).toMatch(/\S/);
      expect(tool.outputSchema).toMatchObject({ type: 'object' });
    }
  });

  it('starts a generation at once, then get_video follows it to a downloadable video', async () => {
    const client = await connect();

    const started = await callTool(client, 'generate_video', {
      prompt: '  A lighthouse at dusk  ',
      orientation: 'landscape',
      duration: 1,
    });
    const created = videoOf(started);

    expect(created).toMatchObject({
      id: expect.stringMatching(UUID),
      status: expect.stringMatching(/^(queued|running)$/),
      progress: expect.any(Number),
      orientation: 'landscape',
      durationSeconds: 1,
      contentUrl: null,
    });
    expect(textOf(started)).toContain(created.id);
    // The same video through the REST API, its prompt stored as a typed one is (trimmed).
    expect(await getVideo(api, key, created.id)).toMatchObject({
      prompt: 'A lighthouse at dusk',
      requestedOrientation: 'landscape',
    });

    const ready = await untilFinished(client, created.id);

    expect(ready).toMatchObject({
      status: VideoStatus.Ready,
      progress: 100,
      stage: null,
      width: 1280,
      height: 720,
      error: null,
      ...urlsOf(created.id),
    });
    // An absolute URL an agent fetches with the same key.
    const download = await asBytes(
      withBearer(api, key).get(new URL(ready.contentUrl ?? '').pathname),
    ).expect(200);
    expect(await ffprobeBytes(bytesOf(download), 'mp4')).toMatchObject({
      width: 1280,
      height: 720,
    });
  });

  it('follows a generation to its end when the call asks for progress', async () => {
    const client = await connect();
    const steps: Progress[] = [];

    const result = await callTool(
      client,
      'generate_video',
      { prompt: 'A kite over the dunes', duration: 2 },
      { onprogress: (step) => steps.push(step), resetTimeoutOnProgress: true },
    );
    const video = videoOf(result);

    expect(video).toMatchObject({
      status: VideoStatus.Ready,
      progress: 100,
      orientation: 'portrait',
      width: 720,
      height: 1280,
      ...urlsOf(video.id),
    });
    expect(textOf(result)).toContain(urlsOf(video.id).contentUrl);
    expect(steps.length).toBeGreaterThanOrEqual(2);
    for (const step of steps) {
      expect(step).toMatchObject({ total: 100, message: expect.stringMatching(/\S/) });
    }
    const values = steps.map((step) => step.progress);
    expect(values.every((value, i) => i === 0 || value > values[i - 1])).toBe(true);
  });

  it('lists the videos newest first, a page at a time', async () => {
    const carol = await createUser(api);
    const carolKey = await createApiKey(api, carol);
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const { video, job } = await createVideo(api, carolKey, { prompt: `${FAIL} clip ${n}` });
      await waitForJob(api, carolKey, job.id);
      ids.unshift(video.id);
    }
    const client = await connect(bearerHeaders(carolKey));

    const first = await callTool(client, 'list_videos', { limit: 2 });
    const page = first.structuredContent as { videos: McpVideo[]; nextCursor: string | null };

    expect(page.videos.map((video) => video.id)).toEqual(ids.slice(0, 2));
    expect(page.videos[0]).toMatchObject({
      status: VideoStatus.Failed,
      progress: null,
      error: { code: expect.any(String), message: expect.stringMatching(/\S/) },
    });
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(textOf(first)).toMatch(/nextCursor/);

    const second = await callTool(client, 'list_videos', { limit: 2, cursor: page.nextCursor });

    expect(second.structuredContent).toMatchObject({
      videos: [{ id: ids[2] }],
      nextCursor: null,
    });

    const wrong = await callTool(client, 'list_videos', { cursor: 'not-a-cursor' });

    expect(wrong.isError).toBe(true);
    expect(textOf(wrong)).toMatch(/cursor is not valid/);
  });

  it('cancels a running generation, and only once', async () => {
    const client = await connect();
    const { id } = videoOf(
      await callTool(client, 'generate_video', { prompt: `${HANG} cancelled by an agent` }),
    );
    await untilRunning(client, id);

    const cancelled = videoOf(await callTool(client, 'cancel_video', { id }));

    expect(cancelled).toMatchObject({ id, status: VideoStatus.Cancelled, progress: null });
    expect(videoOf(await callTool(client, 'get_video', { id })).status).toBe(VideoStatus.Cancelled);
    const { jobId } = await getVideo(api, key, id);
    expect((await waitForJob(api, key, jobId)).status).toBe(JobStatus.Cancelled);

    const again = await callTool(client, 'cancel_video', { id });

    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(/only a queued or running video can be cancelled/);
  });

  it('answers an unknown, malformed or foreign id with a tool error, not a protocol error', async () => {
    const bob = await createUser(api);
    const { video: bobs } = await createVideo(api, bob, { prompt: `${FAIL} not alice's` });
    const client = await connect();

    for (const [name, id] of [
      ['get_video', UNKNOWN_ID],
      ['get_video', 'not-a-uuid'],
      ['get_video', bobs.id],
      ['cancel_video', UNKNOWN_ID],
      ['cancel_video', bobs.id],
    ]) {
      const result = await callTool(client, name, { id });

      expect({ name, id, isError: result.isError, text: textOf(result) }).toEqual({
        name,
        id,
        isError: true,
        text: 'There is no video with this id.',
      });
    }
  });

  it("refuses generate_video arguments by the REST API's rules, in the tool's words", async () => {
    const client = await connect();

    const blank = await callTool(client, 'generate_video', { prompt: ' \n ' });
    const tooLong = await callTool(client, 'generate_video', { prompt: 'A fox', duration: 30 });

    expect(blank.isError).toBe(true);
    expect(textOf(blank)).toMatch(/prompt must be 1 to 4000 characters/);
    expect(tooLong.isError).toBe(true);
    expect(textOf(tooLong)).toMatch(/duration must be one of 5, 10, 15/);
    expect(textOf(tooLong)).not.toMatch(/durationSeconds/);
  });

  it('refuses a client without a key, with a revoked key or with a session', async () => {
    const spare = await createApiKey(api, alice, { name: 'spare' });
    const before = await connect(bearerHeaders(spare));
    await withBearer(api, alice).delete(ApiRoutes.apiKey(spare.apiKey.id)).expect(204);

    await expect(connectMcp(api, {})).rejects.toMatchObject({ code: 401 });
    await expect(connectMcp(api, bearerHeaders(spare))).rejects.toMatchObject({ code: 401 });
    await expect(connectMcp(api, bearerHeaders(alice))).rejects.toMatchObject({ code: 401 });
    // A client connected before the revocation is refused from its next call on.
    await expect(before.listTools()).rejects.toMatchObject({ code: 401 });

    const response = await anonymous(api)
      .post(MCP_PATH)
      .set('Accept', 'application/json, text/event-stream')
      .send({ jsonrpc: '2.0', id: 1, method: 'ping' });

    expectApiError(response, 401, ErrorCode.Unauthenticated);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it('takes a batch of JSON-RPC messages', async () => {
    const response = await withBearer(api, key)
      .post(MCP_PATH)
      .set('Accept', 'application/json, text/event-stream')
      .send([
        { jsonrpc: '2.0', id: 1, method: 'ping' },
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      ])
      .expect(200);

    const messages = response.text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice('data: '.length)) as { id: number; result: object });

    expect(messages.map((message) => message.id).sort()).toEqual([1, 2]);
    expect(messages.find((message) => message.id === 2)?.result).toMatchObject({
      tools: expect.any(Array),
    });
  });

  it('opens no stream on GET and keeps no session to DELETE: it is stateless', async () => {
    for (const method of ['get', 'delete'] as const) {
      const response = await withBearer(api, key)[method](MCP_PATH);

      expectApiError(response, 405, ErrorCode.MalformedRequest);
      expect(response.headers['allow']).toBe('POST');
    }
  });

  describe('behind a proxy', () => {
    const FORWARDED = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'videos.example.com' };

    it('believes no X-Forwarded-* header unless TRUST_PROXY says a proxy sends them', async () => {
      const { video } = await generateVideo(api, key);
      const client = await connect({ ...bearerHeaders(key), ...FORWARDED });

      expect(videoOf(await callTool(client, 'get_video', { id: video.id }))).toMatchObject(
        urlsOf(video.id),
      );
    });

    it('makes the URLs of the address the proxy was asked for (TRUST_PROXY)', async () => {
      const proxied = await startApp({ FFMPEG_PATH: ffmpeg.path, TRUST_PROXY: '1' });
      try {
        const owner = await createApiKey(proxied, await createUser(proxied));
        const { video } = await generateVideo(proxied, owner);
        const client = await connectMcp(proxied, { ...bearerHeaders(owner), ...FORWARDED });
        clients.push(client);

        expect(videoOf(await callTool(client, 'get_video', { id: video.id }))).toMatchObject({
          contentUrl: `https://videos.example.com${ApiRoutes.videoContent(video.id)}`,
          thumbnailUrl: `https://videos.example.com${ApiRoutes.videoThumbnail(video.id)}`,
        });
      } finally {
        await proxied.close();
      }
    });
  });
});

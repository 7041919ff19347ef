import { Test } from '@nestjs/testing';
import { Orientation } from '@vidgen/contracts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, loadConfig } from '../../config/app-config';
import { downloadResult } from '../upstream/safe-download';
import { delay, LocalServer, startLocalServer } from '../upstream/testing/local-server';
import { GenerationProgress, GenerationRequest, ProviderError } from '../video-provider';
import { ChatStreamVideoProvider } from './chat-stream-video-provider';
import * as sora from './testing/sora-chunks';

// A minimal in-test gateway: each test scripts the answer; the shared fake gateway in api/e2e
// runs the full scenario list in chat-stream.gateway.spec.ts.
type Script = (res: ServerResponse, base: string) => unknown;
let script: Script;
let server: LocalServer;
let root: string;
const VIDEO = Buffer.from('not really a video, but typed as one');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vidgen-chat-stream-'));
  server = await startLocalServer((req, res) => {
    if (req.url === '/tmp/abc.mp4')
      return res.writeHead(200, { 'content-type': 'video/mp4' }).end(VIDEO);
    return script(res, server.url);
  });
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

function sse(res: ServerResponse, ...frames: string[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  res.end(frames.join(''));
}

async function provider(env: Record<string, string> = {}): Promise<ChatStreamVideoProvider> {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    VIDEO_API_BASE_URL: `${server.url}/v1`,
    VIDEO_API_KEY: 'sk-chat',
    UPSTREAM_MAX_RETRIES: '0',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({
    providers: [ChatStreamVideoProvider, { provide: AppConfig, useValue: config }],
  }).compile();
  return moduleRef.get(ChatStreamVideoProvider);
}

let jobs = 0;
function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  jobs += 1;
  return {
    jobId: `job-${jobs}`,
    prompt: 'A lighthouse in a storm',
    orientation: Orientation.Portrait,
    durationSeconds: 15,
    workDir: join(root, `job-${jobs}`),
    ...overrides,
  };
}

async function generate(
  p: ChatStreamVideoProvider,
  job = request(),
  signal = new AbortController().signal,
) {
  const progress: GenerationProgress[] = [];
  const result = await p.generate(job, (update) => progress.push(update), signal);
  return { result, progress };
}

describe('ChatStreamVideoProvider', () => {
  it('streams a portrait video: sends the portrait model, reports the upstream’s stages, returns the link', async () => {
    script = (res, base) =>
      sse(
        res,
        sora.BEGINS,
        sora.progress(37),
        sora.COMPLETED,
        sora.finalVideo(`${base}/tmp/abc.mp4`),
        sora.DONE,
      );
    const { result, progress } = await generate(await provider());

    expect(result).toEqual({
      kind: 'url',
      url: `${server.url}/tmp/abc.mp4`,
      model: 'sora2-portrait-15s',
    });
    const sent = server.requests[server.requests.length - 1];
    expect(sent).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(sent.headers).toMatchObject({
      authorization: 'Bearer sk-chat',
      accept: 'text/event-stream',
    });
    expect(JSON.parse(sent.body)).toEqual({
      model: 'sora2-portrait-15s',
      messages: [{ role: 'user', content: 'A lighthouse in a storm' }],
      stream: true,
      // Read by grok2api v2 (current and older keys), ignored by sora2api.
      video_config: {
        seconds: 15,
        size: '720x1280',
        resolution_name: '720p',
        aspect_ratio: '9:16',
        video_length: 15,
      },
    });
    expect(progress).toEqual([
      { percent: 0, stage: 'Sending the request to the video service' },
      { percent: 0, stage: 'Initializing generation request...' },
      { percent: 37, stage: 'Video Generation Progress: 37% (running)' },
      { percent: 37, stage: 'Video generation successful. Now caching the video file...' },
    ]);
  });

  it('picks the landscape model, or fills in the template', async () => {
    script = (res, base) => sse(res, sora.finalVideo(`${base}/tmp/abc.mp4`), sora.DONE);
    const landscape = await generate(
      await provider(),
      request({ orientation: Orientation.Landscape }),
    );
    expect(landscape.result.model).toBe('sora2-landscape-15s');
    const templated = await generate(
      await provider({ VIDEO_MODEL_TEMPLATE: 'sora2-{orientation}-{duration}s' }),
      request({ orientation: Orientation.Landscape, durationSeconds: 10 }),
    );
    expect(JSON.parse(server.requests[server.requests.length - 1].body).model).toBe(
      'sora2-landscape-10s',
    );
    expect(templated.result.model).toBe('sora2-landscape-10s');
    expect(JSON.parse(server.requests[server.requests.length - 1].body).video_config).toEqual({
      seconds: 10,
      size: '1280x720',
      resolution_name: '720p',
      aspect_ratio: '16:9',
      video_length: 10,
    });
  });

  it('offers the lengths its model names make', async () => {
    expect((await provider()).durationOptions).toEqual([15]);
    expect(
      (await provider({ VIDEO_MODEL_PORTRAIT: 'sora-video-portrait' })).durationOptions,
    ).toEqual([10]);
    const templated = await provider({ VIDEO_MODEL_TEMPLATE: 'sora2-{orientation}-{duration}s' });
    expect(templated.durationOptions).toEqual([10, 15]);
    expect([
      templated.acceptsDuration(10),
      templated.acceptsDuration(15),
      templated.acceptsDuration(5),
    ]).toEqual([true, true, false]);
    // grok2api takes the length from video_config: the operator lists what the gateway makes.
    const grok = await provider({
      VIDEO_MODEL_TEMPLATE: 'sora2-{orientation}-{duration}s',
      VIDEO_SECONDS_OPTIONS: '6,10,12,16,20',
    });
    expect(grok.durationOptions).toEqual([6, 10, 12, 16, 20]);
    expect([grok.acceptsDuration(12), grok.acceptsDuration(15)]).toEqual([true, false]);
    expect(templated).toMatchObject({
      name: 'chat-stream',
      label: 'Sora (chat-stream gateway)',
      isLocalPreview: false,
    });
  });

  it('refuses to start without VIDEO_API_BASE_URL', () => {
    expect(() => new ChatStreamVideoProvider(loadConfig({ LOG_LEVEL: 'silent' }))).toThrow(
      /VIDEO_API_BASE_URL/,
    );
  });

  it.each([
    [
      'an in-band error: no account free',
      (res: ServerResponse) => sse(res, sora.BEGINS, sora.ERROR_CHUNK, sora.DONE),
      'UPSTREAM_NO_ACCOUNT',
    ],
    [
      'a content-policy ending',
      (res: ServerResponse) =>
        sse(res, sora.BEGINS, sora.POLICY_REASONING, sora.POLICY_FINAL, sora.DONE),
      'CONTENT_POLICY',
    ],
    [
      'a plain chat completion',
      (res: ServerResponse) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            choices: [{ message: { content: 'Please enable streaming' }, finish_reason: 'stop' }],
          }),
        ),
      'UPSTREAM_NO_RESULT',
    ],
    [
      'a 401',
      (res: ServerResponse) =>
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"detail": "Invalid API key"}'),
      'UPSTREAM_AUTH',
    ],
  ])('fails on %s', async (_name, answer, code) => {
    script = answer;
    await expect(generate(await provider())).rejects.toMatchObject({ code });
  });

  it('reports a stream cut off before the result', async () => {
    script = (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sora.BEGINS + sora.progress(37));
      setTimeout(() => res.socket?.destroy(), 50);
    };
    await expect(generate(await provider())).rejects.toEqual(
      new ProviderError(
        'UPSTREAM_STREAM_CUT',
        'The connection to the video service closed before the video was ready.',
      ),
    );
  });

  it('stops a stream that goes quiet for the idle timeout', async () => {
    script = (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sora.BEGINS);
    };
    const error = (await generate(await provider({ UPSTREAM_IDLE_TIMEOUT_SECONDS: '1' })).catch(
      (e: unknown) => e,
    )) as ProviderError;
    expect(error).toMatchObject({
      code: 'UPSTREAM_IDLE_TIMEOUT',
      message: expect.stringContaining('sent nothing for 1 second;'),
    });
  });

  it('stops promptly with the caller’s reason when aborted', async () => {
    script = (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sora.BEGINS);
    };
    const controller = new AbortController();
    const pending = generate(await provider(), request(), controller.signal);
    await delay(100);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('hands the runner a link that downloadResult fetches from the gateway', async () => {
    script = (res, base) => sse(res, sora.finalVideo(`${base}/tmp/abc.mp4`), sora.MALFORMED_DONE);
    const p = await provider();
    const job = request();
    const { result } = await generate(p, job);
    if (result.kind !== 'url') throw new Error('expected a link');
    const config = loadConfig({ LOG_LEVEL: 'silent', VIDEO_API_BASE_URL: `${server.url}/v1` });
    const path = await downloadResult(
      result.url,
      job.workDir,
      config,
      new AbortController().signal,
    );
    expect(await readFile(path)).toEqual(VIDEO);
  });
});

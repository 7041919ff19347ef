import { ffprobeBytes } from '../support/media';
import { FakeGateway, FakeGatewayOptions, startFakeGateway } from './fake-gateway';
import { postJson, rawRequest, RawResponse, sseBlocks, sseJson } from './raw-http';

/**
 * The fake's chat dialects against section C of the protocols page, spelled out literally (not
 * built with the fake's own formatters), and the shape of the video each build really makes.
 */
const IMAGE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const gateways: FakeGateway[] = [];
async function gatewayOf(chatDialect: FakeGatewayOptions['chatDialect']): Promise<FakeGateway> {
  const gateway = await startFakeGateway({ progressIntervalMs: 20, chatDialect });
  gateways.push(gateway);
  return gateway;
}
afterAll(() => Promise.all(gateways.map((g) => g.close())));

function chat(
  gateway: FakeGateway,
  body: Record<string, unknown>,
  prompt = 'A lighthouse',
  image?: string,
): Promise<RawResponse> {
  const content = image
    ? [
        { type: 'text', text: prompt },
        { type: 'image_url', image_url: { url: image } },
      ]
    : prompt;
  return postJson(
    `${gateway.url}/chat/completions`,
    { messages: [{ role: 'user', content }], stream: true, ...body },
    gateway.apiKey,
  );
}

type Chunk = { choices: { delta: Record<string, string>; finish_reason?: string | null }[] };
const deltas = (res: RawResponse, field: string): string[] =>
  sseJson<Chunk>(res.text)
    .map((c) => c.choices?.[0]?.delta?.[field])
    .filter((v): v is string => typeof v === 'string' && v !== '');

/** The video a link leads to: its frame and length. */
async function shapeAt(link: string, gateway: FakeGateway) {
  const url = new URL(link, gateway.url).toString();
  const file = await rawRequest(url);
  expect(file).toMatchObject({ status: 200, headers: { 'content-type': 'video/mp4' } });
  const { width, height, durationSeconds } = await ffprobeBytes(file.body, 'mp4');
  return { width, height, seconds: Math.round(durationSeconds) };
}

describe('sora2api with legacy model names (C.1)', () => {
  it('knows only sora-video-{orientation}-{10|15}s, bare = landscape, progress without a leading line break', async () => {
    const gateway = await gatewayOf('sora2api-legacy');
    const res = await chat(gateway, { model: 'sora-video-portrait-15s' });
    expect(deltas(res, 'reasoning_content')).toContain(
      '**Video Generation Progress**: 37% (running)\n',
    );
    const src = /<video src='([^']+)'/.exec(res.text)?.[1] ?? '';
    expect(await shapeAt(src, gateway)).toEqual({ width: 720, height: 1280, seconds: 15 });

    const bare = await chat(gateway, { model: 'sora-video-10s' });
    const bareSrc = /<video src='([^']+)'/.exec(bare.text)?.[1] ?? '';
    expect(await shapeAt(bareSrc, gateway)).toEqual({ width: 1280, height: 720, seconds: 10 });

    const current = await chat(gateway, { model: 'sora2-landscape-15s' });
    expect(current.status).toBe(500);
    expect(JSON.parse(current.text)).toEqual({
      error: {
        message: '400: Invalid model: sora2-landscape-15s',
        type: 'server_error',
        param: null,
        code: null,
      },
    });
    expect(
      (await chat(gateway, { model: 'sora-video-portrait-15s' }, '[scenario:retry-chinese]'))
        .status,
    ).toBe(400);
  });

  it('times out at 1500 s before 2025-12-24, and fails a moderated prompt on an internal error before 2025-12-11', async () => {
    const gateway = await gatewayOf({ dialect: 'sora2api-legacy', build: '2025-12-01' });
    const timeout = await chat(
      gateway,
      { model: 'sora-video-landscape-10s' },
      '[scenario:error-chunk]',
    );
    expect(timeout.text).toContain(
      'data: {"error": {"message": "Upstream API timeout: Generation exceeded 1500 seconds limit", "type": "server_error", "param": null, "code": null}}\n\n',
    );
    const policy = await chat(
      gateway,
      { model: 'sora-video-landscape-10s' },
      '[scenario:content-policy]',
    );
    expect(policy.text).not.toMatch(/Content Policy Violation/);
    expect(policy.text).toContain(`"message": "'NoneType' object is not subscriptable"`);
  });

  it('first build: sora-video, sora-video-portrait, sora-video-landscape only', async () => {
    const gateway = await gatewayOf({ dialect: 'sora2api-legacy', build: '2025-11-08' });
    const res = await chat(gateway, { model: 'sora-video-portrait' });
    const src = /<video src='([^']+)'/.exec(res.text)?.[1] ?? '';
    expect(await shapeAt(src, gateway)).toEqual({ width: 720, height: 1280, seconds: 10 });
    expect((await chat(gateway, { model: 'sora-video-portrait-10s' })).status).toBe(500);
  });
});

describe('Modified_Sora2api (C.2)', () => {
  it('writes only the delta fields that are set, raw UTF-8, `[stage] (status) N% text`', async () => {
    const gateway = await gatewayOf('modified-sora2api');
    const res = await chat(gateway, { model: 'sora2-portrait-10s' });
    const progress = sseBlocks(res.text).find((b) => b.includes('37%')) ?? '';
    expect(progress).toMatch(
      /^data: \{"id": "chatcmpl-\d{13}", "object": "chat\.completion\.chunk", "created": \d{10}, "model": "sora", "choices": \[\{"index": 0, "delta": \{"reasoning_content": "\[generation\] \(processing\) 37% Video generation progress: 37%"\}, "finish_reason": null\}\]\}$/,
    );
    expect(res.text).not.toContain('usage');
    const src = /<video src='([^']+)'/.exec(res.text)?.[1] ?? '';
    expect(await shapeAt(src, gateway)).toEqual({ width: 720, height: 1280, seconds: 10 });
  });

  it('makes landscape for a name without orientation and for sora-2 (10 s)', async () => {
    const gateway = await gatewayOf('modified-sora2api');
    for (const [model, seconds] of [
      ['sora2-15s', 15],
      ['sora-2', 10],
    ] as const) {
      const res = await chat(gateway, { model });
      const src = /<video src='([^']+)'/.exec(res.text)?.[1] ?? '';
      expect(await shapeAt(src, gateway)).toEqual({ width: 1280, height: 720, seconds });
    }
  });

  it('refuses a prompt with `[error] (error) Content policy violation:`, then ❌ 生成失败 in UTF-8', async () => {
    const gateway = await gatewayOf('modified-sora2api');
    const res = await chat(gateway, { model: 'sora-2' }, '[scenario:content-policy]');
    expect(deltas(res, 'reasoning_content')).toContain(
      '[error] (error) Content policy violation: This content may violate our guardrails concerning similarity to third-party content.',
    );
    expect(res.text).toContain('"content": "❌ 生成失败: This content may violate');
  });
});

describe('grok2api v1 (C.3)', () => {
  it('makes a 704x1280 video from an image whatever was asked, the link relative, `<think>` closed at 100%', async () => {
    const gateway = await gatewayOf('grok2api-v1');
    const res = await chat(
      gateway,
      { model: 'grok-imagine-0.9', video_config: { size: '1280x720' } },
      'A fox',
      IMAGE,
    );
    const content = deltas(res, 'content');
    expect(content.slice(0, 3)).toEqual([
      '<think>视频已生成1%\n',
      '视频已生成31%\n',
      '视频已生成100%</think>\n',
    ]);
    expect(content[3]).toMatch(
      /^<video src="\/images\/users-[0-9a-f-]{36}-generated-[0-9a-f-]{36}-generated_video\.mp4" controls="controls" width="500" height="300"><\/video>\n$/,
    );
    expect(sseBlocks(res.text).slice(-2)).toEqual([
      expect.stringMatching(/"delta":\{\},"finish_reason":"stop"\}\]\}$/),
      'data: [DONE]',
    ]);
    const src = /src="([^"]+)"/.exec(content[3])?.[1] ?? '';
    expect(await shapeAt(src, gateway)).toEqual({ width: 704, height: 1280, seconds: 6 });
  });

  it('answers a prompt without an image with a picture, as a text-to-image chat (no [DONE])', async () => {
    const gateway = await gatewayOf('grok2api-v1');
    const res = await chat(gateway, { model: 'grok-imagine-0.9' });
    expect(deltas(res, 'content')).toEqual([
      expect.stringMatching(/^!\[Generated Image\]\(\/images\//),
    ]);
    expect(res.text).not.toContain('[DONE]');
  });

  it('writes literal backslash-n line breaks in the builds of 2025-11-20 to 2025-12-15', async () => {
    const gateway = await gatewayOf({
      dialect: 'grok2api-v1',
      build: '2025-12-01',
      publicUrl: true,
    });
    const res = await chat(gateway, { model: 'grok-imagine-0.9' }, 'A fox', IMAGE);
    expect(res.text).toContain('"content":"<think>视频已生成1%\\\\n"');
    expect(deltas(res, 'content')[3]).toMatch(
      new RegExp(`^<video src="${gateway.url.replace('/v1', '')}/images/`),
    );
  });

  it.each([
    ['error', 'Error: Video generation failed, please try again later', 'stop'],
    ['exception', '处理错误: Connection closed abruptly', 'error'],
    ['timeout', undefined, 'stop'],
  ])(
    '[scenario:%s] leaves the <think> open and ends as the gateway does',
    async (scenario, text, finish) => {
      const gateway = await gatewayOf('grok2api-v1');
      const res = await chat(
        gateway,
        { model: 'grok-imagine-0.9' },
        `[scenario:${scenario}]`,
        IMAGE,
      );
      const chunks = sseJson<Chunk>(res.text);
      expect(res.text).not.toContain('</think>');
      expect(chunks.at(-1)?.choices[0]).toEqual({
        index: 0,
        delta: text ? { role: 'assistant', content: text } : {},
        finish_reason: finish,
      });
      expect(res.text.endsWith('data: [DONE]\n\n')).toBe(true);
    },
  );

  it('checks the key as FastAPI’s HTTPException, and fails before the stream with Python text in a 500', async () => {
    const gateway = await gatewayOf('grok2api-v1');
    const wrong = await postJson(
      `${gateway.url}/chat/completions`,
      { model: 'grok-imagine-0.9', messages: [] },
      'nope',
    );
    expect([wrong.status, JSON.parse(wrong.text)]).toEqual([
      401,
      {
        detail: {
          error: {
            message: '令牌无效，长度: 4',
            type: 'authentication_error',
            code: 'invalid_token',
          },
        },
      },
    ]);
    const noToken = await chat(
      gateway,
      { model: 'grok-imagine-0.9' },
      '[scenario:no-token]',
      IMAGE,
    );
    expect(noToken.status).toBe(500);
    expect(JSON.parse(noToken.text).error.message).toContain(
      "'message': '没有可用Token: grok-imagine-0.9'",
    );
  });
});

describe('grok2api v2 (C.4)', () => {
  it('from 2026-04-08: reads video_config.size and seconds, progress in reasoning_content, a bare link', async () => {
    const gateway = await gatewayOf('grok2api-v2');
    const res = await chat(gateway, {
      model: 'grok-imagine-video',
      video_config: { seconds: 10, size: '1280x720', aspect_ratio: '16:9', video_length: 10 },
    });
    expect(deltas(res, 'reasoning_content')).toEqual([
      '视频正在生成 1%\n',
      '视频正在生成 40%\n',
      '视频正在生成 100%\n',
    ]);
    const chunks = sseJson<Chunk>(res.text);
    expect(chunks.at(-1)?.choices[0]).toEqual({
      index: 0,
      delta: { role: 'assistant', content: '' },
      finish_reason: 'stop',
    });
    const [link] = deltas(res, 'content');
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\/[0-9a-f]{32}$/);
    expect(await shapeAt(link, gateway)).toEqual({ width: 1280, height: 720, seconds: 10 });
  });

  it('ignores the older keys: given only aspect_ratio 16:9, it makes its default portrait 6 s', async () => {
    const gateway = await gatewayOf({ dialect: 'grok2api-v2', videoFormat: 'local_url' });
    const res = await chat(gateway, {
      model: 'grok-imagine-video',
      video_config: { aspect_ratio: '16:9' },
    });
    const [link] = deltas(res, 'content');
    expect(link).toMatch(/^\/v1\/files\/video\?id=[0-9a-f]{32}$/);
    expect(await shapeAt(link, gateway)).toEqual({ width: 720, height: 1280, seconds: 6 });
  });

  it('answers <video controls src> for local_html', async () => {
    const gateway = await gatewayOf({ dialect: 'grok2api-v2', videoFormat: 'local_html' });
    const res = await chat(gateway, { model: 'grok-imagine-video' });
    expect(deltas(res, 'content')).toEqual([
      expect.stringMatching(
        /^<video controls src="\/v1\/files\/video\?id=[0-9a-f]{32}"><\/video>$/,
      ),
    ]);
  });

  it.each([
    [
      'no-account',
      'No available accounts for video generation',
      'rate_limit_error',
      'rate_limit_exceeded',
    ],
    [
      'moderated',
      'Video generation returned no final video URL',
      'upstream_error',
      'upstream_error',
    ],
  ])(
    '[scenario:%s] ends with `event: error`, then [DONE]',
    async (scenario, message, type, code) => {
      const gateway = await gatewayOf('grok2api-v2');
      const res = await chat(gateway, { model: 'grok-imagine-video' }, `[scenario:${scenario}]`);
      expect(
        res.text.endsWith(
          `event: error\ndata: {"error":{"message":"${message}","type":"${type}","code":"${code}"}}\n\ndata: [DONE]\n\n`,
        ),
      ).toBe(true);
    },
  );

  it('refuses bad input with 400 and OpenAI’s error shape, a wrong key with 403', async () => {
    const gateway = await gatewayOf('grok2api-v2');
    const seconds = await chat(gateway, {
      model: 'grok-imagine-video',
      video_config: { seconds: 15 },
    });
    expect([seconds.status, JSON.parse(seconds.text)]).toEqual([
      400,
      {
        error: {
          message: 'seconds must be one of [6, 10, 12, 16, 20]',
          type: 'invalid_request_error',
          code: 'invalid_value',
          param: 'seconds',
        },
      },
    ]);
    const model = await chat(gateway, { model: 'sora-2' });
    expect(JSON.parse(model.text).error).toMatchObject({
      message: "Model 'sora-2' does not exist or you do not have access to it.",
      param: 'model',
    });
    const key = await postJson(
      `${gateway.url}/chat/completions`,
      { model: 'grok-imagine-video' },
      'nope',
    );
    expect([key.status, key.text]).toEqual([403, '{"detail":"Invalid API key."}']);
  });

  it('March builds: progress rounds in <think>, <source src>, and only the older keys (default 3:2)', async () => {
    const gateway = await gatewayOf({ dialect: 'grok2api-v2', build: '2026-03-20' });
    const res = await chat(gateway, {
      model: 'grok-imagine-video',
      video_config: { seconds: 12, size: '720x1280', resolution_name: '720p', video_length: 12 },
    });
    const content = deltas(res, 'content');
    expect(content.slice(0, 3)).toEqual([
      '<think>\n[round=1/2] progress=1%\n',
      '[round=1/2] progress=40%\n',
      '[round=2/2] progress=100%\n</think>\n',
    ]);
    const src = /<source id="mp4" src="([^"]+)" type="video\/mp4">/.exec(content[3])?.[1] ?? '';
    expect(await shapeAt(src, gateway)).toEqual({ width: 1080, height: 720, seconds: 12 });
  });

  it('builds before 2026-03-06 know 6, 10 and 15 s only', async () => {
    const gateway = await gatewayOf({ dialect: 'grok2api-v2', build: '2026-02-20' });
    const res = await chat(gateway, {
      model: 'grok-imagine-video',
      video_config: { aspect_ratio: '9:16', video_length: 12 },
    });
    expect([res.status, JSON.parse(res.text).error.message]).toEqual([
      400,
      'video_length must be 6, 10, or 15 seconds',
    ]);
  });

  it('early April builds: no progress, ![video](URL), empty content when moderated', async () => {
    const gateway = await gatewayOf({ dialect: 'grok2api-v2', build: '2026-04-05' });
    const res = await chat(gateway, {
      model: 'grok-imagine-video',
      video_config: { aspect_ratio: '9:16' },
    });
    expect(deltas(res, 'reasoning_content')).toEqual([]);
    expect(deltas(res, 'content')).toEqual([
      expect.stringMatching(/^!\[video\]\(http:\/\/127\.0\.0\.1:\d+\/files\/[0-9a-f]{32}\)$/),
    ]);
    const moderated = await chat(gateway, { model: 'grok-imagine-video' }, '[scenario:moderated]');
    expect(deltas(moderated, 'content')).toEqual([]);
  });
});

import { FakeGateway, startFakeGateway } from './fake-gateway';
import { pythonDumps } from './json-formats';
import { chatRequest, probe, rawRequest, sseBlocks, sseJson } from './raw-http';

/**
 * The fake's chat-completions streams, checked byte for byte against what sora2api writes. The
 * expected chunks are spelled out literally, not built with the fake's own formatter.
 */
describe('fake gateway: chat-completions streams', () => {
  let gateway: FakeGateway;
  const chat = (prompt: string, options: Parameters<typeof chatRequest>[3] = {}) =>
    chatRequest(gateway.url, gateway.apiKey, prompt, options);

  beforeAll(async () => {
    gateway = await startFakeGateway({ progressIntervalMs: 40 });
  });
  afterAll(() => gateway.close());

  /** Checks a sora2api chunk: everything but the id and timestamp must be exactly `rest`. */
  function expectSoraChunk(block: string, rest: string): { ms: number } {
    const head =
      /^data: \{"id": "chatcmpl-(\d{13})", "object": "chat\.completion\.chunk", "created": (\d{10}), /.exec(
        block,
      );
    expect(head).not.toBeNull();
    const [, ms, created] = head as RegExpExecArray;
    expect(Number(created)).toBe(Math.floor(Number(ms) / 1000));
    expect(block).toBe(`${head?.[0]}${rest}`);
    return { ms: Number(ms) };
  }
  const reasoning = (text: string, role = '') =>
    `"model": "sora", "choices": [{"index": 0, "delta": {${role}"content": null, "reasoning_content": "${text}", "tool_calls": null}, "finish_reason": null, "native_finish_reason": null}], "usage": {"prompt_tokens": 0}}`;
  const final = (content: string) =>
    `"model": "sora", "choices": [{"index": 0, "delta": {"content": "${content}", "reasoning_content": null, "tool_calls": null}, "finish_reason": "STOP", "native_finish_reason": "STOP"}], "usage": {"prompt_tokens": 0, "completion_tokens": 1, "total_tokens": 1}}`;

  it('streams a portrait generation in the exact bytes of sora2api', async () => {
    const res = await chat('a cat on a piano');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.text.endsWith('\n\ndata: [DONE]\n\n')).toBe(true);
    expect(res.text).not.toMatch(/^event:/m);
    expect([...res.body].every((byte) => byte < 0x7f)).toBe(true);
    const blocks = sseBlocks(res.text);
    expect(blocks).toHaveLength(8);
    const url = /<video src='([^']+)' controls>/.exec(res.text)?.[1] ?? '';
    const expected = [
      reasoning(
        '**Generation Process Begins**\\n\\nInitializing generation request...\\n',
        '"role": "assistant", ',
      ),
      reasoning('\\n**Video Generation Progress**: 0% (queued)\\n'),
      reasoning('\\n**Video Generation Progress**: 37% (running)\\n'),
      reasoning('\\n**Video Generation Progress**: 76% (processing)\\n'),
      reasoning(
        '**Video Generation Completed**\\n\\nVideo generation successful. Now caching the video file...\\n',
      ),
      reasoning('Video file cached successfully. Preparing final response...\\n'),
      final(`\`\`\`html\\n<video src='${url}' controls></video>\\n\`\`\``),
    ];
    const ids = expected.map((rest, i) => expectSoraChunk(blocks[i], rest).ms);
    expect(new Set(ids).size).toBe(ids.length);
    expect(blocks[7]).toBe('data: [DONE]');

    expect(url.startsWith(`${gateway.filesUrl}/`)).toBe(true);
    const video = await rawRequest(url);
    expect(video.status).toBe(200);
    expect(video.headers['content-type']).toBe('video/mp4');
    expect(Number(video.headers['content-length'])).toBe(video.body.length);
    expect(await probe(video.body)).toMatchObject({ width: 720, height: 1280, codec: 'h264' });
  });

  it('serves a landscape video for a landscape model, older model names included', async () => {
    for (const model of ['sora2-landscape-10s', 'sora-video-landscape']) {
      const res = await chat('a harbour at dawn', { model });
      const url = /<video src='([^']+)'/.exec(res.text)?.[1] ?? '';
      expect(await probe((await rawRequest(url)).body)).toMatchObject({ width: 1280, height: 720 });
    }
  });

  it('formats JSON as Python json.dumps does (checked against CPython 3 output)', () => {
    const value = { a: 'é😀\x7f\x01"\\/\t', b: [1, null, true], c: {} };
    expect(pythonDumps(value)).toBe(
      '{"a": "\\u00e9\\ud83d\\ude00\\u007f\\u0001\\"\\\\/\\t", "b": [1, null, true], "c": {}}',
    );
  });

  it('escapes non-ASCII as \\uXXXX, as json.dumps does', async () => {
    const res = await chat('[scenario:content-policy]');
    const blocks = sseBlocks(res.text);
    const reason =
      'This content may violate our guardrails concerning similarity to third-party content.';
    expectSoraChunk(
      blocks[blocks.length - 2],
      final(`\\u274c \\u751f\\u6210\\u5931\\u8d25: ${reason}`),
    );
    expect(
      sseJson<{ choices: { delta: { content: string } }[] }>(res.text).at(-1)?.choices[0].delta
        .content,
    ).toBe(`❌ 生成失败: ${reason}`);
  });

  const reasonings = (text: string) =>
    sseJson<{ choices: { delta: { reasoning_content: string | null } }[] }>(text).map(
      (chunk) => chunk.choices[0].delta.reasoning_content ?? '',
    );
  const lastContent = (text: string) =>
    sseJson<{ choices: { delta: { content: string | null }; finish_reason: string | null }[] }>(
      text,
    ).at(-1)?.choices[0];

  it('has the progress forms: none, a jump, estimated, [generation]', async () => {
    const none = await chat('[scenario:no-progress]');
    expect(reasonings(none.text).filter((text) => text.includes('%'))).toEqual([]);
    expect(lastContent(none.text)?.finish_reason).toBe('STOP');

    const jump = await chat('[scenario:jump]');
    expect(
      reasonings(jump.text).flatMap((text) => /(\d+)% \((\w+)\)/.exec(text)?.slice(1) ?? []),
    ).toEqual(['0', 'queued', '90', 'processing']);
    const estimated = await chat('[scenario:estimated]');
    expect(reasonings(estimated.text)).toContain(
      '**Processing**\n\nGeneration in progress: 40% completed (estimated)...\n',
    );
    const bracket = await chat('[scenario:bracket]');
    expect(reasonings(bracket.text)).toContain('[generation] (processing) 45% ...\n');
  });

  it('has the result forms: double quotes without a fence, a bare URL', async () => {
    const quoted = lastContent((await chat('[scenario:double-quotes]')).text)?.delta.content ?? '';
    expect(quoted).toMatch(
      /^<video src="http:\/\/127\.0\.0\.1:\d+\/files\/[0-9a-f]{32}\.mp4" controls><\/video>$/,
    );
    const bare = lastContent((await chat('[scenario:bare-url]')).text)?.delta.content ?? '';
    expect(bare).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\/[0-9a-f]{32}\.mp4$/);
    expect((await rawRequest(bare)).status).toBe(200);
  });

  it('speaks the older grok style: progress in content inside <think>, compact UTF-8 JSON', async () => {
    const res = await chat('[scenario:think]');
    const blocks = sseBlocks(res.text);
    expect(blocks).toContain(': heartbeat');
    expect(res.text).toContain('"content":"视频已生成45%\\n"');
    expect(res.text).toContain('"content":"视频已生成100%</think>\\n"');
    const chunks = sseJson<{
      model: string;
      choices: { delta: Record<string, string>; finish_reason: string | null }[];
    }>(res.text);
    expect(chunks[0].choices[0].delta['content']).toBe('<think>视频已生成1%\n');
    expect(chunks.at(-2)?.choices[0].delta['content']).toMatch(
      /^<video src="http:[^"]+\.mp4" controls="controls"/,
    );
    expect(chunks.at(-1)?.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' });
    expect(blocks.at(-1)).toBe('data: [DONE]');
  });

  it('uploads a data-URL image first and silently ignores an http image URL', async () => {
    const withImage = await chat('a drawing comes alive', {
      image: 'data:image/png;base64,iVBORw0KGgo=',
    });
    const [first, second, third] = sseBlocks(withImage.text);
    expectSoraChunk(
      first,
      reasoning(
        '**Image Upload Begins**\\n\\nUploading image to server...\\n',
        '"role": "assistant", ',
      ),
    );
    expectSoraChunk(
      second,
      reasoning('Image uploaded successfully. Proceeding to generation...\\n'),
    );
    expectSoraChunk(
      third,
      reasoning('**Generation Process Begins**\\n\\nInitializing generation request...\\n'),
    );

    const ignored = await chat('a drawing comes alive', { image: 'https://example.com/cat.png' });
    expect(ignored.text).not.toContain('Image Upload');
  });

  it('answers a plain completion and generates nothing without stream: true', async () => {
    const before = gateway.requests.length;
    const res = await chat('a cat', { stream: false });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toMatch(
      /^\{"id":"chatcmpl-\d+(\.\d+)?","object":"chat\.completion","created":\d+,"model":"sora","choices":\[\{"index":0,"message":\{"role":"assistant","content":"All tokens available for video generation\. Please enable streaming to use the generation feature\."\},"finish_reason":"stop"\}\]\}$/,
    );
    expect(gateway.requests.slice(before).map((r) => r.path)).toEqual(['/v1/chat/completions']);
  });

  it('lists its models and records every request', async () => {
    const res = await rawRequest(`${gateway.url}/models`, {
      headers: { authorization: `Bearer ${gateway.apiKey}` },
    });
    expect(res.status).toBe(200);
    expect(
      res.text.startsWith(
        '{"object":"list","data":[{"id":"sora2-landscape-10s","object":"model","owned_by":"sora2api"',
      ),
    ).toBe(true);
    const ids = (JSON.parse(res.text) as { data: { id: string }[] }).data.map((m) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'sora2-portrait-15s',
        'sora2-landscape-25s',
        'sora2pro-portrait-10s',
        'sora-video-portrait-15s',
        'sora-video-landscape',
      ]),
    );

    const last = gateway.requests.at(-1);
    expect(last).toMatchObject({ method: 'GET', path: '/v1/models', body: undefined });
    expect(last?.headers['authorization']).toBe(`Bearer ${gateway.apiKey}`);
    const posted = gateway.requests.find((r) => r.method === 'POST');
    expect(posted?.body).toEqual({
      model: 'sora2-portrait-15s',
      messages: [{ role: 'user', content: 'a cat on a piano' }],
      stream: true,
    });
  });
});

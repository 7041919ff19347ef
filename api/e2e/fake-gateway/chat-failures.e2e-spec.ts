import { FakeGateway, startFakeGateway } from './fake-gateway';
import { chatRequest, postJson, rawRequest, sseBlocks, sseJson } from './raw-http';

/** Every way the chat-completions gateway fails, before the stream and inside it. */
describe('fake gateway: chat-completions failures', () => {
  const INTERVAL = 40;
  let gateway: FakeGateway;
  const chat = (prompt: string, options: Parameters<typeof chatRequest>[3] = {}) =>
    chatRequest(gateway.url, gateway.apiKey, prompt, options);
  const completions = () => `${gateway.url}/chat/completions`;
  const body = {
    model: 'sora2-portrait-15s',
    messages: [{ role: 'user', content: 'a cat' }],
    stream: true,
  };

  beforeAll(async () => {
    gateway = await startFakeGateway({ progressIntervalMs: INTERVAL, apiKey: 'secret-key' });
  });
  afterAll(() => gateway.close());

  it('refuses requests without the right Bearer key, as FastAPI HTTPBearer does', async () => {
    const none = await postJson(completions(), body);
    expect([none.status, none.text]).toEqual([403, '{"detail":"Not authenticated"}']);
    const basic = await postJson(completions(), body, undefined, {
      headers: { authorization: 'Basic c2VjcmV0' },
    });
    expect([basic.status, basic.text]).toEqual([
      403,
      '{"detail":"Invalid authentication credentials"}',
    ]);
    const wrong = await postJson(completions(), body, 'not-the-key');
    expect([wrong.status, wrong.text]).toEqual([401, '{"detail":"Invalid API key"}']);
    expect(wrong.headers['content-type']).toBe('application/json');
    const models = await rawRequest(`${gateway.url}/models`);
    expect(models.status).toBe(403);
  });

  it('answers 422 with pydantic details, invalid JSON even before the key is checked', async () => {
    const broken = await rawRequest(completions(), {
      method: 'POST',
      body: '{"model": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(422);
    expect(JSON.parse(broken.text)).toEqual({
      detail: [
        {
          type: 'json_invalid',
          loc: ['body', 10],
          msg: 'JSON decode error',
          input: {},
          ctx: { error: 'Expecting value' },
        },
      ],
    });
    const missing = await postJson(completions(), { messages: [] }, gateway.apiKey);
    expect(missing.status).toBe(422);
    expect(missing.text).toBe(
      '{"detail":[{"type":"missing","loc":["body","model"],"msg":"Field required","input":{"messages":[]}}]}',
    );
    const badStream = await postJson(
      completions(),
      { ...body, stream: 'sometimes' },
      gateway.apiKey,
    );
    expect(JSON.parse(badStream.text).detail[0]).toMatchObject({
      type: 'bool_parsing',
      loc: ['body', 'stream'],
    });
  });

  it('answers an unknown model with a 500 carrying "400: Invalid model"', async () => {
    const res = await postJson(
      completions(),
      { ...body, model: 'sora2-square-15s' },
      gateway.apiKey,
    );
    expect(res.status).toBe(500);
    expect(res.text).toBe(
      '{"error":{"message":"400: Invalid model: sora2-square-15s","type":"server_error","param":null,"code":null}}',
    );
  });

  it('has the HTTP-level scenarios: 401, 422, 500', async () => {
    expect(await chat('[scenario:http-401]')).toMatchObject({
      status: 401,
      text: '{"detail":"Invalid API key"}',
    });
    const invalid = await chat('[scenario:http-422]');
    expect(invalid.status).toBe(422);
    expect(JSON.parse(invalid.text).detail[0]).toMatchObject({
      type: 'string_too_long',
      loc: ['body', 'messages', 0, 'content', 'str'],
    });
    const failed = await chat('[scenario:http-500]');
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.text)).toEqual({
      error: {
        message: '400: Invalid model: sora2-portrait-15s',
        type: 'server_error',
        param: null,
        code: null,
      },
    });
  });

  it('fails once with 429 + Retry-After, then lets the retry through (and fails the next job once again)', async () => {
    const first = await chat('a dog [scenario:http-429-once]');
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('1');
    expect(JSON.parse(first.text).error.type).toBe('rate_limit_error');
    const retry = await chat('a dog [scenario:http-429-once]');
    expect(retry.status).toBe(200);
    expect(retry.text).toContain("<video src='");
    expect((await chat('a dog [scenario:http-429-once]')).status).toBe(429);
  });

  it('fails once with a proxy HTML 503, then lets the retry through', async () => {
    const first = await chat('a fox [scenario:http-503-once]');
    expect(first.status).toBe(503);
    expect(first.headers['content-type']).toBe('text/html');
    expect(first.text).toContain('<center><h1>503 Service Temporarily Unavailable</h1></center>');
    const retry = await chat('a fox [scenario:http-503-once]');
    expect(retry.status).toBe(200);
    expect(retry.text).toMatch(/<video src='[^']+' controls>[\s\S]*data: \[DONE\]\n\n$/);
  });

  it('reports in-band errors as a top-level error chunk, with or without an event line', async () => {
    const error =
      'data: {"error": {"message": "Upstream API timeout: Generation exceeded 3000 seconds limit", "type": "server_error", "param": null, "code": null}}';
    const plain = await chat('[scenario:error-chunk]');
    expect(plain.status).toBe(200);
    expect(sseBlocks(plain.text).slice(-2)).toEqual([error, 'data: [DONE]']);
    expect(plain.text).not.toContain('event:');
    const withEvent = await chat('[scenario:error-event]');
    expect(sseBlocks(withEvent.text).slice(-2)).toEqual([`event: error\n${error}`, 'data: [DONE]']);

    const noAccount = sseBlocks((await chat('[scenario:no-account]')).text);
    expect(noAccount).toHaveLength(2);
    expect(noAccount[0]).toMatch(
      /^data: \{"error": \{"message": "No available tokens for video generation\. /,
    );
  });

  it('ends a content-policy refusal like a normal answer, without a URL', async () => {
    const chunks = sseJson<{
      choices: {
        delta: { content: string | null; reasoning_content: string | null };
        finish_reason: string;
      }[];
    }>((await chat('[scenario:content-policy]')).text);
    expect(chunks.at(-2)?.choices[0].delta.reasoning_content).toMatch(
      /^\*\*Content Policy Violation\*\*\n\nThis content may violate/,
    );
    expect(chunks.at(-1)?.choices[0]).toMatchObject({
      delta: { content: expect.stringMatching(/^❌ 生成失败: /) },
      finish_reason: 'STOP',
    });
    const noUrl = sseJson<{
      choices: { delta: { content: string | null }; finish_reason: string }[];
    }>((await chat('[scenario:no-url]')).text);
    expect(noUrl.at(-1)?.choices[0]).toMatchObject({
      delta: { content: 'Video generation finished, but no video was returned.' },
      finish_reason: 'STOP',
    });
  });

  it('announces a retry in Chinese, starts over, then succeeds', async () => {
    const res = await chat('[scenario:retry-chinese]');
    expect(res.text).toContain(
      '"reasoning_content": "\\u751f\\u6210\\u5931\\u8d25\\uff0c\\u6b63\\u5728\\u91cd\\u8bd5 (1/3)...\\n"',
    );
    const reasonings = sseJson<{ choices: { delta: { reasoning_content: string | null } }[] }>(
      res.text,
    ).map((c) => c.choices[0].delta.reasoning_content ?? '');
    expect(reasonings.filter((r) => r.startsWith('**Generation Process Begins**'))).toHaveLength(2);
    expect(res.text).toMatch(/<video src='[^']+' controls>[\s\S]*data: \[DONE\]\n\n$/);
  });

  it('ends one path with a malformed [DONE] (literal backslash-n) and closes', async () => {
    const res = await chat('[scenario:malformed-done]');
    expect(res.ending).toBe('complete');
    expect(res.text.endsWith('"total_tokens": 1}}\n\ndata: [DONE]\\n\\n')).toBe(true);
    expect(res.text).not.toContain('data: [DONE]\n');
  });

  it('cuts the connection in the middle of a chunk', async () => {
    const res = await chat('[scenario:cut]');
    expect(res.status).toBe(200);
    expect(res.ending).toBe('server-cut');
    expect(res.text.endsWith('data: {"id": "chatcmpl-')).toBe(true);
    expect(res.text).not.toContain('[DONE]');
  });

  it('stalls after the first chunk, holding the connection open until the gateway closes', async () => {
    const res = await chat('[scenario:stall]', { timeoutMs: INTERVAL * 8 });
    expect(res.ending).toBe('timeout');
    expect(sseBlocks(res.text)).toHaveLength(1);

    const own = await startFakeGateway({ progressIntervalMs: INTERVAL });
    const held = chatRequest(own.url, own.apiKey, '[scenario:stall]');
    await new Promise((resolve) => setTimeout(resolve, INTERVAL * 2));
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await held).ending).toBe('server-cut');
  });

  it('refuses an unknown scenario loudly instead of passing it off as success', async () => {
    const res = await chat('[scenario:sucess]');
    expect(res.status).toBe(400);
    expect(res.text).toContain('unknown scenario \\"sucess\\"');
  });
});

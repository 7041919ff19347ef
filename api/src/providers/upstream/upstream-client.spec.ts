import { ProviderError } from '../video-provider';
import { delay, LocalServer, startLocalServer, unusedPort } from './testing/local-server';
import {
  RetryNotice,
  UpstreamClient,
  UpstreamClientOptions,
  retryAfterMs,
} from './upstream-client';

const API_KEY = 'sk-test-0123456789';
let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function client(baseUrl: string, overrides: Partial<UpstreamClientOptions> = {}): UpstreamClient {
  return new UpstreamClient({
    baseUrl,
    apiKey: API_KEY,
    connectTimeoutMs: 2000,
    idleTimeoutMs: 2000,
    maxRetries: 2,
    baseDelayMs: 20,
    random: () => 1,
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  expect((error as ProviderError).message).not.toContain(API_KEY);
  return error as ProviderError;
}

const signal = (): AbortSignal => new AbortController().signal;

/** Answers each request with the next of `replies` (the last one repeats). */
function scripted(
  replies: Array<{ status: number; body?: string; headers?: Record<string, string> }>,
) {
  let index = 0;
  return startLocalServer((_req, res) => {
    const reply = replies[Math.min(index++, replies.length - 1)];
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body ?? '{}');
  });
}

describe('UpstreamClient', () => {
  it('sends the JSON body with the Bearer key and returns the answer as it streams', async () => {
    server = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write('data: one\n\n');
      setTimeout(() => res.end('data: two\n\n'), 50);
    });
    const response = await client(`${server.url}/v1`).request('/chat/completions', {
      method: 'POST',
      json: { model: 'm', stream: true },
      accept: 'text/event-stream',
      signal: signal(),
    });
    expect(response.contentType).toBe('text/event-stream');
    expect(await response.text()).toBe('data: one\n\ndata: two\n\n');
    const [sent] = server.requests;
    expect(sent).toMatchObject({
      method: 'POST',
      url: '/v1/chat/completions',
      body: '{"model":"m","stream":true}',
    });
    expect(sent.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
    });
  });

  it('sends a body other than JSON as it is, with its media type and length', async () => {
    server = await scripted([{ status: 200, body: '{"id":"video_1"}' }]);
    const form = Buffer.from(
      '--b\r\ncontent-disposition: form-data; name="model"\r\n\r\nm\r\n--b--\r\n',
    );
    const response = await client(`${server.url}/v1`).request('/videos', {
      method: 'POST',
      body: { contentType: 'multipart/form-data; boundary=b', data: form },
      signal: signal(),
    });
    expect(await response.text()).toBe('{"id":"video_1"}');
    const [sent] = server.requests;
    expect(sent.body).toBe(form.toString());
    expect(sent.headers).toMatchObject({
      'content-type': 'multipart/form-data; boundary=b',
      'content-length': String(form.length),
    });
  });

  it('retries 5xx with growing full-jitter backoff, then succeeds', async () => {
    server = await scripted([
      { status: 502 },
      { status: 503 },
      { status: 200, body: '{"ok": true}' },
    ]);
    const retries: RetryNotice[] = [];
    const response = await client(server.url, { onRetry: (r) => retries.push(r) }).request('/x', {
      signal: signal(),
    });
    expect(await response.text()).toBe('{"ok": true}');
    expect(server.requests).toHaveLength(3);
    // random() = 1 gives the ceiling of each window: 20 ms, then 40 ms.
    expect(retries).toEqual([
      { retry: 1, delayMs: 20, reason: 'HTTP 502' },
      { retry: 2, delayMs: 40, reason: 'HTTP 503' },
    ]);
  });

  it('draws each wait at random below the window (full jitter)', async () => {
    server = await scripted([{ status: 500 }, { status: 200 }]);
    const retries: RetryNotice[] = [];
    await client(server.url, {
      random: () => 0.25,
      baseDelayMs: 400,
      onRetry: (r) => retries.push(r),
    }).request('/x', { signal: signal() });
    expect(retries[0].delayMs).toBe(100);
  });

  it('waits as long as Retry-After (seconds) says after a 429, then succeeds', async () => {
    server = await scripted([
      { status: 429, headers: { 'retry-after': '1' }, body: '{"detail": "slow down"}' },
      { status: 200 },
    ]);
    const started = Date.now();
    await client(server.url).request('/x', { signal: signal() });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('fails at once when Retry-After asks for longer than it is willing to wait', async () => {
    server = await scripted([
      { status: 429, headers: { 'retry-after': '3600' }, body: '{"detail": "quota exhausted"}' },
    ]);
    const error = await failure(client(server.url).request('/x', { signal: signal() }));
    expect(error.code).toBe('UPSTREAM_RATE_LIMITED');
    expect(error.message).toBe(
      'The video service is busy and asked to try again later (HTTP 429: quota exhausted).',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after maxRetries with the upstream text', async () => {
    server = await scripted([
      {
        status: 500,
        body: '{"error":{"message":"提交 Sora 任务失败: context deadline exceeded"}}',
      },
    ]);
    const error = await failure(client(server.url).request('/x', { signal: signal() }));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toBe(
      'The video service is unavailable (HTTP 500: 提交 Sora 任务失败: context deadline exceeded) after 3 attempts.',
    );
    expect(server.requests).toHaveLength(3);
  });

  it.each([
    [
      'sora2api’s unknown model',
      500,
      '{"error":{"message":"400: Invalid model: sora-x","type":"server_error","param":null,"code":null}}',
      'UPSTREAM_MODEL_NOT_OFFERED',
    ],
    [
      'grok2api v1 without a free account',
      500,
      JSON.stringify({
        error: {
          message: "{'error': {'message': '没有可用Token: grok-imagine-0.9'}}",
          type: 'api_error',
        },
      }),
      'UPSTREAM_NO_ACCOUNT',
    ],
    [
      'new-api without a channel for the model',
      503,
      '{"error":{"message":"分组 default 下模型 sora-2 无可用渠道（distributor） (request id: 2026030112)","type":"new_api_error","code":"model_not_found"}}',
      'UPSTREAM_MODEL_NOT_OFFERED',
    ],
    [
      'new-api’s empty account',
      403,
      '{"code":"quota_not_enough","message":"user quota is not enough","data":null}',
      'UPSTREAM_QUOTA',
    ],
  ])('sends once when the words say a retry cannot help: %s', async (_what, status, body, code) => {
    server = await scripted([{ status, body }]);
    const error = await failure(client(server.url).request('/x', { signal: signal() }));
    expect(error.code).toBe(code);
    expect(error.message).not.toContain('{');
    expect(server.requests).toHaveLength(1);
  });

  it('retries new-api’s "upstream saturated" 429 as its Retry-After says', async () => {
    server = await scripted([
      {
        status: 429,
        headers: { 'retry-after': '0' },
        body: '{"code":"rate_limit_exceeded","message":"当前分组上游负载已饱和，请稍后再试","data":null}',
      },
      { status: 200, body: '{"ok": true}' },
    ]);
    const retries: RetryNotice[] = [];
    const response = await client(server.url, {
      baseDelayMs: 10_000,
      onRetry: (r) => retries.push(r),
    }).request('/x', { signal: signal() });
    expect(await response.text()).toBe('{"ok": true}');
    expect(retries).toEqual([{ retry: 1, delayMs: 0, reason: 'HTTP 429' }]);
  });

  it('keeps retrying 429 only up to the limit', async () => {
    server = await scripted([{ status: 429, body: 'Too Many Requests' }]);
    const error = await failure(
      client(server.url, { maxRetries: 1 }).request('/x', { signal: signal() }),
    );
    expect(error.code).toBe('UPSTREAM_RATE_LIMITED');
    expect(error.message).toContain('(HTTP 429: Too Many Requests) after 2 attempts');
  });

  it.each([
    [
      401,
      '{"detail": "Invalid API key"}',
      'The video service refused the API key (HTTP 401: Invalid API key). Check VIDEO_API_KEY.',
    ],
    [
      403,
      '{"detail": "Not authenticated"}',
      'The video service refused the API key (HTTP 403: Not authenticated). Check VIDEO_API_KEY.',
    ],
  ])('reports %i as UPSTREAM_AUTH without retrying', async (status, body, message) => {
    server = await scripted([{ status, body }]);
    const error = await failure(client(server.url).request('/x', { signal: signal() }));
    expect(error).toMatchObject({ code: 'UPSTREAM_AUTH', message });
    expect(server.requests).toHaveLength(1);
  });

  it('reports a 422 with FastAPI validation details as UPSTREAM_REJECTED', async () => {
    const detail = [
      { type: 'missing', loc: ['body', 'messages'], msg: 'Field required', input: {} },
    ];
    server = await scripted([{ status: 422, body: JSON.stringify({ detail }) }]);
    const error = await failure(client(server.url).request('/x', { signal: signal() }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      message: 'The video service rejected the request (HTTP 422: messages: Field required).',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('never repeats the API key an upstream echoes back', async () => {
    server = await scripted([{ status: 400, body: `{"detail": "key ${API_KEY} is not valid"}` }]);
    const error = await failure(client(server.url).request('/x', { signal: signal() }));
    expect(error.message).toContain('key [redacted] is not valid');
  });

  it('leaves out an HTML error page but keeps the status', async () => {
    server = await scripted([
      {
        status: 404,
        headers: { 'content-type': 'text/html' },
        body: '<html><body>Not Found</body></html>',
      },
    ]);
    const error = await failure(client(server.url).request('/x', { signal: signal() }));
    expect(error.message).toBe('The video service rejected the request (HTTP 404).');
  });

  it('retries when nothing is listening, then reports UPSTREAM_UNAVAILABLE', async () => {
    const port = await unusedPort();
    const retries: RetryNotice[] = [];
    const error = await failure(
      client(`http://127.0.0.1:${port}/v1`, { onRetry: (r) => retries.push(r) }).request('/x', {
        signal: signal(),
      }),
    );
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toBe(
      `Could not reach the video service at 127.0.0.1:${port} (connection refused) after 3 attempts.`,
    );
    expect(retries.map((r) => r.reason)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
  });

  it('retries a connection dropped before any answer', async () => {
    let calls = 0;
    server = await startLocalServer((_req, res) => {
      calls += 1;
      if (calls === 1) return void res.socket?.destroy();
      res.writeHead(200).end('fine');
    });
    const response = await client(server.url).request('/x', {
      method: 'POST',
      json: {},
      signal: signal(),
    });
    expect(await response.text()).toBe('fine');
    expect(calls).toBe(2);
  });

  it('never retries once a 200 stream has begun: a cut is UPSTREAM_STREAM_CUT', async () => {
    server = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: started\n\n');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const response = await client(server.url).request('/x', { signal: signal() });
    const error = await failure(response.text());
    expect(error.code).toBe('UPSTREAM_STREAM_CUT');
    expect(server.requests).toHaveLength(1);
  });

  it('stops with UPSTREAM_IDLE_TIMEOUT when no answer comes, without sending again', async () => {
    server = await startLocalServer(() => undefined); // accepts, never answers
    const error = await failure(
      client(server.url, { idleTimeoutMs: 200 }).request('/x', {
        method: 'POST',
        json: {},
        signal: signal(),
      }),
    );
    expect(error).toMatchObject({
      code: 'UPSTREAM_IDLE_TIMEOUT',
      message:
        'The video service sent nothing for 0.2 seconds; the generation was stopped. It may be overloaded, or the connection was lost.',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('stops with UPSTREAM_IDLE_TIMEOUT when a stream goes quiet, counting from the last byte', async () => {
    server = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Bytes every 100 ms for 400 ms keep a 250 ms idle timeout happy; then silence.
      let sent = 0;
      const timer = setInterval(() => {
        res.write(': ping\n\n');
        if (++sent === 4) clearInterval(timer);
      }, 100);
    });
    const response = await client(server.url, { idleTimeoutMs: 250 }).request('/x', {
      signal: signal(),
    });
    const started = Date.now();
    const error = await failure(response.text());
    expect(error.code).toBe('UPSTREAM_IDLE_TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
  });

  it('rejects with the caller’s reason when aborted during a backoff wait', async () => {
    server = await scripted([{ status: 503 }]);
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    const pending = client(server.url, { baseDelayMs: 10_000 }).request('/x', {
      signal: controller.signal,
    });
    await delay(100);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('rejects with the caller’s reason when aborted before the body is read', async () => {
    server = await startLocalServer((_req, res) => res.writeHead(200).end('unread'));
    const controller = new AbortController();
    const response = await client(server.url).request('/x', { signal: controller.signal });
    const reason = new Error('too late');
    controller.abort(reason);
    await expect(response.text()).rejects.toBe(reason);
  });

  it('rejects with the caller’s reason when aborted mid-stream, and closes the connection', async () => {
    let closed = false;
    server = await startLocalServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: x\n\n');
      res.on('close', () => (closed = true));
    });
    const controller = new AbortController();
    const response = await client(server.url).request('/x', { signal: controller.signal });
    const reading = response.text();
    await delay(50);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(reading).rejects.toBe(reason);
    await delay(50);
    expect(closed).toBe(true);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it.each([
    [{ 'retry-after': '5' }, 5000],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': '1.5' }, 1500],
    [{ 'retry-after': 'Sun, 01 Mar 2026 12:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Sun, 01 Mar 2026 11:00:00 GMT' }, 0],
    [{ 'retry-after-ms': '250', 'retry-after': '5' }, 250],
    [{ 'retry-after': 'soon' }, null],
    [{}, null],
  ])('reads %j as %j', (headers, expected) => {
    expect(retryAfterMs(headers, now)).toBe(expected);
  });
});

import { ApiErrorBody, ApiRoutes, ErrorCode } from '@vidgen/contracts';
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { startApp, TestApp } from './support/app';
import { expectApiError, expectOpenAiError, expectValidationError } from './support/errors';
import { anonymous, withBearer } from './support/http';
import { asJsonResponse, connectTo, parseResponse, rawExchange } from './support/raw-http';
import { createUser, CreatedUser, uniqueEmail, uniquePassword } from './support/users';
import { UNKNOWN_ID } from './support/videos';

jest.setTimeout(120_000);

let api: TestApp;
let alice: CreatedUser;

beforeAll(async () => {
  api = await startApp();
  alice = await createUser(api);
});

afterAll(() => api?.close());

/** A marker that must never come back in an answer: proof that input is not echoed. */
const marker = () => `echo${randomBytes(6).toString('hex')}`;

/** JSON whose `field` holds `levels` nested arrays (the object around it is one more level). */
const nested = (field: string, levels: number) =>
  `{"${field}":${'['.repeat(levels)}${']'.repeat(levels)}}`;

describe('JSON nesting', () => {
  let operations: [string, string][];

  beforeAll(async () => {
    const doc = (await anonymous(api).get('/api/docs-json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => ['post', 'put', 'patch', 'delete'].includes(method))
        .map((method): [string, string] => [method, path.replace(/\{[^}]+\}/g, UNKNOWN_ID)]),
    );
  });

  it('answers 400 MALFORMED_BODY on every route that takes a body, before anything walks it', async () => {
    expect(operations).toEqual(
      expect.arrayContaining([
        ['post', ApiRoutes.register],
        ['post', ApiRoutes.login],
        ['post', ApiRoutes.videos],
        ['patch', ApiRoutes.profile],
      ]),
    );
    for (const [method, path] of operations) {
      const response = await withBearer(api, alice)
        [method as 'post' | 'patch' | 'put' | 'delete'](path)
        .set('Content-Type', 'application/json')
        .send(nested('email', 10_000));

      // The OpenAI-compatible routes answer in OpenAI's error shape.
      const body = path.startsWith('/v1/')
        ? expectOpenAiError(response, 400, ErrorCode.MalformedBody)
        : expectApiError(response, 400, ErrorCode.MalformedBody);
      expect({ route: `${method} ${path}`, message: body.message }).toEqual({
        route: `${method} ${path}`,
        message: expect.stringMatching(/nested too deeply/),
      });
    }
    // Nothing above reached a route: the session still works.
    expect((await withBearer(api, alice).get(ApiRoutes.me)).status).toBe(200);
  });

  it('reads a body nested exactly to the limit, and counts no brackets inside strings', async () => {
    const atLimit = await withBearer(api, alice)
      .patch(ApiRoutes.profile)
      .set('Content-Type', 'application/json')
      .send(nested('displayName', 63));
    const overLimit = await withBearer(api, alice)
      .patch(ApiRoutes.profile)
      .set('Content-Type', 'application/json')
      .send(nested('displayName', 64));
    const inString = await anonymous(api)
      .post(ApiRoutes.login)
      .send({ email: alice.email, password: `\\"${'['.repeat(100)}` });

    expectValidationError(atLimit, 'displayName');
    expectApiError(overLimit, 400, ErrorCode.MalformedBody);
    expectApiError(inString, 401, ErrorCode.InvalidCredentials);
  });
});

describe('JSON keys that could reach an object prototype', () => {
  it.each([
    ['__proto__', '{"__proto__":{"isAdmin":true}}'],
    ['__proto__, escaped', '{"\\u005f_proto__":{"isAdmin":true}}'],
    ['constructor.prototype', '{"constructor":{"prototype":{"isAdmin":true}}}'],
  ])('are refused 400 MALFORMED_BODY (%s)', async (_case, extra) => {
    const credentials = JSON.stringify({ email: uniqueEmail(), password: uniquePassword() });
    const response = await anonymous(api)
      .post(ApiRoutes.register)
      .set('Content-Type', 'application/json')
      .send(`${credentials.slice(0, -1)},${extra.slice(1)}`);

    const body = expectApiError(response, 400, ErrorCode.MalformedBody);
    expect(body.message).toMatch(/__proto__/);
  });
});

describe('answers in the error shape, echoing nothing', () => {
  it('answers an unknown route 404 without repeating its path', async () => {
    const path = `/api/${marker()}/${marker()}`;

    for (const method of ['get', 'post', 'delete'] as const) {
      const response = await anonymous(api)[method](path);

      expectApiError(response, 404, ErrorCode.NotFound);
      expect(response.text).not.toContain(path.split('/')[2]);
    }
  });

  it('answers an over-long id 404, like any unknown id, on every verb', async () => {
    const id = `${marker()}${'a'.repeat(5000)}`;
    const requests = [
      withBearer(api, alice).get(ApiRoutes.video(id)),
      withBearer(api, alice).patch(ApiRoutes.video(id)).send({ favorite: true }),
      withBearer(api, alice).delete(ApiRoutes.video(id)),
      withBearer(api, alice).get(ApiRoutes.videoContent(id)),
      withBearer(api, alice).get(ApiRoutes.job(id)),
      withBearer(api, alice).post(ApiRoutes.jobCancel(id)),
      withBearer(api, alice).post(ApiRoutes.jobRetry(id)),
    ];

    for (const response of await Promise.all(requests)) {
      expectApiError(response, 404, ErrorCode.NotFound);
      expect(response.text).not.toContain(id.slice(0, 16));
    }
  });

  it('answers a path that is not valid percent-encoding 400 MALFORMED_REQUEST', async () => {
    const tag = marker();
    const raw = await rawExchange(
      api,
      `GET /api/videos/${tag}%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );

    const body = expectApiError(asJsonResponse(raw), 400, ErrorCode.MalformedRequest);
    expect(body.message).toMatch(/address/);
    expect(raw.body).not.toContain(tag);
  });

  it('answers an unsupported content type 415 without repeating it', async () => {
    const type = `application/${marker()}`;
    const response = await anonymous(api)
      .post(ApiRoutes.login)
      .set('Content-Type', type)
      .send('<login/>');

    expectApiError(response, 415, ErrorCode.MalformedBody);
    expect(response.text).not.toContain(type);
  });

  // Node's HTTP parser refuses these before Fastify sees a request.
  it.each([
    ['a NUL in a header', 'GET /api/health HTTP/1.1\r\nHost: x\r\nX-Note: a\0b\r\n\r\n'],
    ['bare LF line ends', 'GET /api/health HTTP/1.1\nHost: x\n\n'],
    [
      'both Content-Length and chunked',
      `POST ${ApiRoutes.login} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    [
      'a negative Content-Length',
      `POST ${ApiRoutes.login} HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`,
    ],
    ['an unknown method', 'FROB /api/health HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a request line that is not HTTP', 'hello\r\n\r\n'],
  ])('answers %s 400 MALFORMED_REQUEST, then closes the connection', async (_case, request) => {
    const raw = await rawExchange(api, request);

    expectApiError(asJsonResponse(raw), 400, ErrorCode.MalformedRequest);
    expect(raw.headers['connection']).toBe('close');
    expect(raw.headers['content-length']).toBe(String(Buffer.byteLength(raw.body)));
    expect(raw.ended).toBe(true);
  });

  it('gives each refused connection a request id of its own', async () => {
    const request = 'GET /api/health HTTP/1.1\nHost: x\n\n';
    const [first, second] = await Promise.all([
      rawExchange(api, request),
      rawExchange(api, request),
    ]);

    expect(first.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });

  it('answers an HTTP/1.1 request without Host 400 MALFORMED_REQUEST, then closes', async () => {
    const raw = await rawExchange(api, 'GET /api/health HTTP/1.1\r\n\r\n');

    const body = expectApiError(asJsonResponse(raw), 400, ErrorCode.MalformedRequest);
    expect(body.message).toMatch(/Host header/);
    expectSecurityHeaders(raw.headers);
    expect(raw.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(raw.ended).toBe(true);
  });

  it('still answers an HTTP/1.0 request without Host, which needs none', async () => {
    const raw = await rawExchange(api, `GET ${ApiRoutes.health} HTTP/1.0\r\n\r\n`);

    expect(raw.status).toBe(200);
  });

  it('answers an Expect it cannot meet 417 in the error shape, without running the request', async () => {
    const tag = `expect-${marker()}`;
    const login = JSON.stringify({ email: alice.email, password: alice.password });
    const raw = await rawExchange(
      api,
      `POST ${ApiRoutes.login} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${login.length}\r\nExpect: ${tag}\r\nConnection: close\r\n\r\n${login}`,
    );

    const body = expectApiError(asJsonResponse(raw), 417, ErrorCode.MalformedRequest);
    expect(body.message).toMatch(/Expect header/);
    expect(raw.body).not.toContain(tag);
    expect(raw.headers['set-cookie']).toBeUndefined();
    expectSecurityHeaders(raw.headers);
    expect(raw.headers['content-security-policy']).toMatch(/default-src 'self'/);
  });

  it('keeps answering Expect: 100-continue with 100 Continue, then runs the request', async () => {
    const login = JSON.stringify({ email: alice.email, password: alice.password });
    const socket = connectTo(api);
    let received = '';
    const continued = new Promise<void>((resolve) =>
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('utf8');
        if (received.includes('\r\n\r\n')) resolve();
      }),
    );
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(
      `POST ${ApiRoutes.login} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${login.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
    );
    await continued;
    expect(received).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    socket.write(login);
    await closed;

    const final = parseResponse(received.slice(received.indexOf('\r\n\r\n') + 4));
    expect(final.status).toBe(200);
    expect(JSON.parse(final.body)).toMatchObject({ user: { email: alice.email } });
  });

  // With no route for the method at all, Fastify hands a path it cannot decode straight to the
  // not-found handler, past every onRequest hook.
  it.each([
    ['PUT', '/api/jobs/%'],
    ['OPTIONS', '/api/jobs/%C0%AF'],
    ['GET', '/api/jobs/%'],
  ])(
    'answers %s %s, not valid percent-encoding, 400 MALFORMED_REQUEST with its headers',
    async (method, path) => {
      const raw = await rawExchange(
        api,
        `${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );

      const body = expectApiError(asJsonResponse(raw), 400, ErrorCode.MalformedRequest);
      expect(body.message).toMatch(/percent-encoded/);
      expectSecurityHeaders(raw.headers);
    },
  );

  it('answers headers over the size limit 431 in the error shape', async () => {
    const raw = await rawExchange(
      api,
      `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
    );

    expectApiError(asJsonResponse(raw), 431, ErrorCode.MalformedRequest);
    expect(raw.body).not.toContain('bbbb');
  });
});

describe('validation answers', () => {
  const register = (body: Record<string, unknown>) =>
    anonymous(api).post(ApiRoutes.register).send(body);
  const valid = () => ({ email: uniqueEmail(), password: uniquePassword() });

  it('list at most 20 fields, each once, and say how many more there are', async () => {
    const unknown = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`field${i}`, i]));
    const body = { ...valid(), ...unknown };

    const response = await register(body);

    const error = expectApiError(
      response,
      400,
      ErrorCode.ValidationFailed,
      fieldsOf(response.body),
    );
    expect(error.details).toHaveLength(20);
    expect(new Set(error.details?.map((d) => d.field)).size).toBe(20);
    expect(error.message).toMatch(/4,999 more/);
    expect(error.message.length).toBeLessThan(200);
    expect(response.text.length).toBeLessThan(JSON.stringify(body).length / 10);
  });

  it('cut an unknown field name that is very long, and list names that are then equal once', async () => {
    const prefix = 'n'.repeat(10_000);
    const body = { ...valid(), [`${prefix}1`]: 1, [`${prefix}2`]: 2 };

    const response = await register(body);

    const error = expectApiError(
      response,
      400,
      ErrorCode.ValidationFailed,
      fieldsOf(response.body),
    );
    expect(error.details).toHaveLength(1);
    expect(error.details?.[0].field.length).toBeLessThan(100);
    expect(response.text.length).toBeLessThan(1000);
  });

  it('name unknown fields with control, bidi and lone-surrogate characters replaced', async () => {
    const response = await register({ ...valid(), 'x\u202e\u0000\u001b[31m\ud800': 1 });

    const field = 'x\ufffd\ufffd\ufffd[31m\ufffd';
    const error = expectApiError(response, 400, ErrorCode.ValidationFailed, [field]);
    expect(error.message).toBe(`${field}: ${field} is not a known field.`);
  });

  it('name unknown query parameters the same way', async () => {
    const response = await withBearer(api, alice).get(`${ApiRoutes.jobs}?%EF%AC%81%E2%80%AE=1`);

    const error = expectApiError(response, 400, ErrorCode.ValidationFailed, ['\ufb01\ufffd']);
    expect(error.message).toBe('\ufb01\ufffd: \ufb01\ufffd is not a known field.');
  });

  it('keep naming one field as before', async () => {
    const response = await register({ email: 'not-an-email', password: uniquePassword() });

    const error = expectValidationError(response, 'email');
    expect(error.message).toMatch(/^email: /);
  });
});

describe('a body over the size limit (BODY_LIMIT_BYTES, 1 MiB)', () => {
  const FIVE_MB = 5 * 1024 * 1024;
  const bigBody = JSON.stringify({ email: uniqueEmail(), password: 'p'.repeat(FIVE_MB) });

  async function post(body: BodyInit): Promise<{ status: number; body: ApiErrorBody }> {
    const response = await fetch(`${api.url}${ApiRoutes.register}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    return { status: response.status, body: (await response.json()) as ApiErrorBody };
  }

  function chunked(text: string): ReadableStream<Uint8Array> {
    const bytes = Buffer.from(text);
    let offset = 0;
    return new ReadableStream({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(offset, (offset += 64 * 1024)));
      },
    });
  }

  it.each([
    ['with a Content-Length', () => bigBody],
    ['chunked', () => chunked(bigBody)],
  ])('is answered 413 to fetch, 20 times out of 20, %s', async (_case, body) => {
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      try {
        const { status, body: error } = await post(body());
        outcomes.push(`${status} ${error.code}`);
      } catch (failure) {
        outcomes.push(`network error: ${(failure as Error & { cause?: Error }).cause?.message}`);
      }
    }

    expect(outcomes).toEqual(Array(20).fill(`413 ${ErrorCode.PayloadTooLarge}`));
  });

  // A client that reads nothing until it has sent its whole body (many do) must still find the
  // answer: the server reads the rest of the body before it answers and closes the connection.
  it.each([false, true])(
    'is answered 413 to a client that sends all of it before reading (chunked: %s)',
    async (isChunked) => {
      const { failure, received } = await sendAllThenRead(isChunked, 12 * 1024 * 1024);

      expect(failure).toBeUndefined();
      const response = parseResponse(received);
      expectApiError(asJsonResponse({ ...response, ended: true }), 413, ErrorCode.PayloadTooLarge);
    },
  );
});

/**
 * POSTs `size` bytes of body to register without reading anything until all of it is written,
 * then reads to the end. `failure` is the socket error met on the way (a reset, EPIPE), or
 * "stalled" when the server neither read the body nor closed the connection for 30 s.
 */
async function sendAllThenRead(
  isChunked: boolean,
  size: number,
): Promise<{ failure?: string; received: string }> {
  const socket = connectTo(api);
  socket.pause();
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  let failure: string | undefined;
  socket.on('error', (error: Error & { code?: string }) => (failure ??= error.code));
  const closed = new Promise((resolve) => socket.on('close', resolve));
  const stalled = setTimeout(() => {
    failure ??= 'stalled';
    socket.destroy();
  }, 30_000);

  const framing = isChunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${size}`;
  socket.write(
    `POST ${ApiRoutes.register} HTTP/1.1\r\nHost: x\r\n` +
      `Content-Type: application/json\r\n${framing}\r\n\r\n`,
  );
  const piece = Buffer.alloc(64 * 1024, ' ');
  for (let sent = 0; sent < size && !socket.destroyed; sent += piece.length) {
    const framed = isChunked ? [`${piece.length.toString(16)}\r\n`, piece, '\r\n'] : [piece];
    for (const part of framed) await write(socket, part);
  }
  if (isChunked) socket.write('0\r\n\r\n');
  socket.resume();
  await closed;
  clearTimeout(stalled);
  return { failure, received: Buffer.concat(chunks).toString('utf8') };
}

/** Resolves once the socket takes more, or once it is closed (by an error, say). */
function write(socket: Socket, data: string | Buffer): Promise<void> {
  if (socket.destroyed || socket.write(data)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done).off('close', done);
      resolve();
    };
    socket.on('drain', done).on('close', done);
  });
}

/** The headers every answer carries, those the router or Node would answer on its own included. */
function expectSecurityHeaders(headers: Record<string, string>): void {
  expect(headers['x-request-id']).toMatch(/\S/);
  expect(headers['x-content-type-options']).toBe('nosniff');
}

function fieldsOf(body: ApiErrorBody): string[] {
  return (body.details ?? []).map((detail) => detail.field);
}

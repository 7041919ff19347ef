import { ApiRoutes } from '@vidgen/contracts';
import { startApp, TestApp } from './support/app';
import { anonymous, withBearer } from './support/http';
import { documentCheck, Exchange, OpenApiCheck, Operation } from './support/openapi';
import { createUser } from './support/users';

// The document itself; every request the other suites send through support/http.ts is also
// compared with it (see checkedAgainstDocument there).
let api: TestApp;
let check: OpenApiCheck;

beforeAll(async () => {
  api = await startApp();
  check = await documentCheck(api.url);
});

afterAll(() => api?.close());

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operations(): { route: string; operation: Operation }[] {
  return Object.entries(check.document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
  );
}

/**
 * Every method and path Fastify routes, from its printRoutes() tree ("├── /api/videos (POST, GET)"
 * with children indented by four characters), with `:id` written as the document writes `{id}`.
 */
function servedRoutes(): string[] {
  const tree = api.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const node = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!node) continue;
    const depth = node[1].length / 4;
    stack.length = depth;
    const path = `${stack.join('')}${node[2]}`;
    stack.push(node[2]);
    for (const method of (node[3] ?? '').split(', ').filter(Boolean)) {
      routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes;
}

describe('the OpenAPI document', () => {
  it('describes every route the app serves, and only those', () => {
    const served = servedRoutes().filter(
      // HEAD is Fastify's implicit twin of GET; the docs and the web app are not API routes.
      (route) => !route.startsWith('HEAD ') && /^\w+ \/(?:api\/(?!docs)|v1\/|mcp$)/.test(route),
    );
    const documented = operations().map(({ route }) => route);

    expect(served.length).toBeGreaterThan(10);
    expect({ undocumented: served.filter((route) => !documented.includes(route)) }).toEqual({
      undocumented: [],
    });
    expect({ notServed: documented.filter((route) => !served.includes(route)) }).toEqual({
      notServed: [],
    });
  });

  it("gives every 4xx answer the contract error body, as JSON (OpenAI's on /v1)", () => {
    const wrong = operations().flatMap(({ route, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => status.startsWith('4'))
        .filter(
          ([, answer]) =>
            JSON.stringify(answer.content) !==
            JSON.stringify({
              'application/json': {
                schema: {
                  $ref: `#/components/schemas/${/^\w+ \/v1\//.test(route) ? 'OpenAiErrorView' : 'ApiErrorView'}`,
                },
              },
            }),
        )
        .map(([status, answer]) => `${route} ${status}: ${JSON.stringify(answer.content)}`),
    );

    expect(wrong).toEqual([]);
  });

  it('names no parameter twice, whatever the case (HTTP header names ignore it)', () => {
    const twice = operations().flatMap(({ route, operation }) => {
      const names = (operation.parameters ?? []).map((p) => `${p.in} ${p.name.toLowerCase()}`);
      return names
        .filter((name, index) => names.indexOf(name) !== index)
        .map((n) => `${route}: ${n}`);
    });

    expect(twice).toEqual([]);
  });

  it('documents the answers of the body parser on every route that takes a body', () => {
    const missing = operations().flatMap(({ route, operation }) =>
      operation.requestBody
        ? ['400', '413', '415']
            .filter((status) => !operation.responses[status])
            .map((status) => `${route} ${status}`)
        : [],
    );

    expect(missing).toEqual([]);
  });

  it('describes Idempotency-Key of POST /api/videos once: optional, with its rule', () => {
    const headers = check.document.paths['/api/videos'].post.parameters?.filter(
      (parameter) => parameter.in === 'header',
    );

    expect(headers).toEqual([
      expect.objectContaining({
        name: 'Idempotency-Key',
        required: false,
        schema: expect.objectContaining({ type: 'string', maxLength: 255 }),
      }),
    ]);
  });

  it('has schemas that all compile, with every reference resolved', () => {
    for (const name of Object.keys(check.document.components.schemas)) {
      expect(() =>
        check.validate({ $ref: `#/components/schemas/${name}` }, null, name),
      ).not.toThrow();
    }
  });
});

describe('the check of exchanges against the document', () => {
  const exchange = (overrides: Partial<Exchange>): Exchange => ({
    method: 'GET',
    path: '/api/health',
    requestHeaders: {},
    requestBody: undefined,
    status: 200,
    responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
    responseBody: { status: 'ok', checks: { database: 'ok' } },
    responseHasBody: true,
    ...overrides,
  });

  it('passes an exchange the document describes', () => {
    expect(check.check(exchange({}))).toEqual([]);
  });

  it('flags a route, an answer status and answer fields the document does not have', () => {
    expect(check.check(exchange({ path: '/api/nothing-here' }))).toEqual([
      'GET /api/nothing-here is not in the document.',
    ]);
    expect(check.check(exchange({ status: 418 }))).toEqual([
      expect.stringContaining('the answer 418 is not documented'),
    ]);
    expect(check.check(exchange({ responseBody: { status: 'ok', checks: {}, extra: 1 } }))).toEqual(
      ['answer 200 body must NOT have additional properties (extra).'],
    );
    expect(check.check(exchange({ responseHeaders: { 'content-type': 'text/html' } }))).toEqual([
      expect.stringContaining('has a text/html body; the document says application/json'),
    ]);
  });

  it('flags what an accepted request sent beyond the document, not a refused one', () => {
    const accepted = exchange({
      method: 'POST',
      path: '/api/videos?verbose=1',
      requestHeaders: { authorization: 'Bearer x', 'idempotency-key': 'has space' },
      requestBody: { prompt: 7 },
      status: 202,
      responseBody: {},
    });

    expect(check.check(accepted)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^header parameter Idempotency-Key must match pattern/),
        'the query parameter verbose is not documented.',
        'request body/prompt must be string.',
      ]),
    );
    expect(check.check({ ...accepted, status: 400, responseBody: errorBody(400) })).toEqual([]);
  });

  it("reads /v1 as the OpenAI-compatible API: OpenAI's error body, and form bodies", () => {
    const openAiError = {
      error: {
        message: 'Not here.',
        type: 'invalid_request_error',
        param: null,
        code: 'not_found',
      },
    };
    expect(
      check.check(exchange({ path: '/v1/nothing', status: 404, responseBody: openAiError })),
    ).toEqual([]);
    expect(
      check.check(exchange({ path: '/v1/nothing', status: 404, responseBody: errorBody(404) })),
    ).toContain('answer body/error must be object.');
    const form = exchange({
      method: 'POST',
      path: '/v1/videos',
      requestHeaders: {
        authorization: 'Bearer vg_x',
        'content-type': 'multipart/form-data; boundary=b',
      },
      requestBody: { prompt: 'A boat', seconds: '5' },
      responseBody: {},
    });
    expect(check.check(form)).toContain(
      'request body/seconds must be equal to one of the allowed values (4, 8, 12).',
    );
  });

  it('flags an accepted request without the session the document asks for', () => {
    expect(check.check(exchange({ path: ApiRoutes.me, responseBody: { user: {} } }))).toContain(
      'the document says this route needs a session, but it was accepted without one.',
    );
  });

  it('reads query parameters as the route does: numbers, booleans, comma-separated lists', async () => {
    const user = await createUser(api);

    // Checked against the document by the helper: a mismatch fails this request.
    const response = await withBearer(api, user).get(
      `${ApiRoutes.videos}?limit=5&favorite=false&status=queued,%20ready&orientation=portrait&q=boat`,
    );

    expect(response.status).toBe(200);
    expect(
      check.check(
        exchange({
          path: `${ApiRoutes.videos}?limit=many&status=queued,lost`,
          requestHeaders: { authorization: 'Bearer x' },
          responseBody: { items: [], nextCursor: null },
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^query parameter status\/1 must match pattern/),
      'query parameter limit must be integer.',
    ]);
  });

  it('fails a request sent through the helpers that the document does not describe', async () => {
    await expect(anonymous(api).get(`${ApiRoutes.health}?verbose=1`)).rejects.toThrow(
      'GET /api/health?verbose=1 answered 200, which differs from the OpenAPI document (/api/docs-json):\n' +
        '  - the query parameter verbose is not documented.',
    );
    // A refused request is checked on its answer only: a documented 400 in the error body.
    expect((await anonymous(api).post(ApiRoutes.login).send({ email: 7 })).status).toBe(400);
  });
});

function errorBody(status: number) {
  return {
    statusCode: status,
    error: 'Bad Request',
    message: 'prompt must be text.',
    code: 'VALIDATION_FAILED',
    details: [{ field: 'prompt', message: 'prompt must be text.' }],
    requestId: 'r-1',
  };
}

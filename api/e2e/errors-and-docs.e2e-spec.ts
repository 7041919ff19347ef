import { ApiRoutes, ErrorCode, SESSION_COOKIE } from '@vidgen/contracts';
import { Response } from 'supertest';
import { startApp, TestApp } from './support/app';
import { expectApiError } from './support/errors';
import { anonymous, withBearer } from './support/http';
import { createUser } from './support/users';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let api: TestApp;

beforeAll(async () => {
  api = await startApp();
});

afterAll(() => api?.close());

describe('GET /api/health', () => {
  it('reports every check of the contract as ok, without authentication', async () => {
    const response = await anonymous(api).get(ApiRoutes.health);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      checks: { database: 'ok', storage: 'ok', queue: 'ok', events: 'ok' },
    });
  });
});

describe('error responses', () => {
  it.each([
    ['GET', '/api/no-such-route'],
    ['POST', '/api/auth/no-such-route'],
    ['PUT', ApiRoutes.profile],
    ['GET', '/no-such-page'],
  ])('answers %s %s with 404 NOT_FOUND in the contract body', async (method, path) => {
    const response = await anonymous(api)[method.toLowerCase() as 'get' | 'post' | 'put'](path);

    expectApiError(response, 404, ErrorCode.NotFound);
  });

  it('gives every response a request id, unique per request, that error bodies repeat', async () => {
    const first = await anonymous(api).get('/api/no-such-route');
    const second = await anonymous(api).get('/api/no-such-route');
    const ok = await anonymous(api).get(ApiRoutes.health);

    expect(first.headers['x-request-id']).toMatch(UUID);
    expect(first.body.requestId).toBe(first.headers['x-request-id']);
    expect(second.body.requestId).toBe(second.headers['x-request-id']);
    expect(second.body.requestId).not.toBe(first.body.requestId);
    expect(ok.headers['x-request-id']).toMatch(UUID);
  });

  it('echoes a caller-supplied X-Request-Id in the header and the error body', async () => {
    const response = await anonymous(api).get(ApiRoutes.me).set('X-Request-Id', 'trace-e2e.42:abc');

    expect(response.headers['x-request-id']).toBe('trace-e2e.42:abc');
    expectApiError(response, 401, ErrorCode.Unauthenticated);
  });

  it('replaces a caller-supplied X-Request-Id that is not a plain token', async () => {
    for (const given of ['x'.repeat(65), 'has spaces', '<script>']) {
      const response = await anonymous(api).get(ApiRoutes.me).set('X-Request-Id', given);

      expect(response.headers['x-request-id']).toMatch(UUID);
      expect(response.body.requestId).toBe(response.headers['x-request-id']);
    }
  });

  it('never puts a stack trace or internals in an error body', async () => {
    const { accessToken } = await createUser(api);
    const responses: Response[] = await Promise.all([
      anonymous(api).get('/api/no-such-route'),
      anonymous(api).get(ApiRoutes.me),
      anonymous(api).get(ApiRoutes.me).set('Cookie', `${SESSION_COOKIE}=garbage`),
      anonymous(api)
        .post(ApiRoutes.register)
        .set('Content-Type', 'application/json')
        .send('{"email":'),
      anonymous(api).post(ApiRoutes.register).send({ email: 'nope', password: 1 }),
      anonymous(api).post(ApiRoutes.login).set('Content-Type', 'text/plain').send('hello'),
      withBearer(api, { accessToken })
        .delete(ApiRoutes.profile)
        .send({ password: 'wrong-password' }),
    ]);

    for (const response of responses) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      const text = JSON.stringify(response.body);
      expect(text).not.toMatch(/\bat .+:\d+:\d+|\.ts:\d+|node_modules|stack|Error:/i);
      expect(Object.keys(response.body).sort()).toEqual(
        [
          'code',
          'error',
          'message',
          'requestId',
          'statusCode',
          ...('details' in response.body ? ['details'] : []),
        ].sort(),
      );
    }
  });
});

describe('security headers', () => {
  it.each([
    ['a JSON answer', ApiRoutes.health],
    ['an error', '/api/no-such-route'],
    ['the docs page', '/api/docs'],
  ])('are set on %s', async (_case, path) => {
    const response = await anonymous(api).get(path);

    expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBeDefined();
    expect(response.headers).not.toHaveProperty('x-powered-by');
  });
});

describe('API documentation', () => {
  interface Operation {
    security?: Record<string, string[]>[];
    responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  }
  interface OpenApi {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: {
      securitySchemes: Record<string, Record<string, string>>;
      schemas: Record<string, { properties?: object }>;
    };
  }
  let doc: OpenApi;

  beforeAll(async () => {
    const response = await anonymous(api).get('/api/docs-json');
    expect(response.status).toBe(200);
    doc = response.body;
  });

  it('serves Swagger UI at /api/docs, with every script and stylesheet it loads', async () => {
    const response = await anonymous(api).get('/api/docs');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('swagger-ui');
    // The CSP allows only scripts from our origin: every script must be a file we serve.
    expect(response.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...response.text.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      const path = new URL(asset, `${api.url}/api/docs`).pathname;
      expect({ path, status: (await anonymous(api).get(path)).status }).toEqual({
        path,
        status: 200,
      });
    }
  });

  const PUBLIC = { post: ['/api/auth/register', '/api/auth/login'], get: ['/api/health'] };
  const ROUTES: [string, string, number[]][] = [
    ['post', '/api/auth/register', [201, 400, 409, 413, 429]],
    ['post', '/api/auth/login', [200, 400, 401, 429]],
    ['post', '/api/auth/logout', [204, 401]],
    ['get', '/api/auth/me', [200, 401]],
    ['get', '/api/users/me', [200, 401]],
    ['patch', '/api/users/me', [200, 400, 401, 403]],
    ['delete', '/api/users/me', [204, 400, 401, 403]],
    ['post', '/api/users/me/password', [204, 400, 401, 403]],
    ['get', '/api/health', [200, 503]],
  ];

  it.each(ROUTES)('describes %s %s with its responses', (method, path, statuses) => {
    const operation = doc.paths[path]?.[method];

    expect(operation).toBeDefined();
    expect(Object.keys(operation.responses).map(Number)).toEqual(expect.arrayContaining(statuses));
    for (const status of statuses.filter((s) => s >= 400 && s !== 503)) {
      expect(operation.responses[status].content?.['application/json']?.schema?.$ref).toBe(
        '#/components/schemas/ApiErrorView',
      );
    }
  });

  it('describes the error body of the contract', () => {
    expect(Object.keys(doc.components.schemas['ApiErrorView'].properties ?? {}).sort()).toEqual([
      'code',
      'details',
      'error',
      'message',
      'requestId',
      'statusCode',
    ]);
  });

  it('declares both ways to authenticate: a Bearer token and the session cookie', () => {
    const schemes = Object.values(doc.components.securitySchemes);

    expect(schemes).toContainEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(schemes).toContainEqual(
      expect.objectContaining({ type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }),
    );
  });

  it('marks the routes that need a session, and only those', () => {
    for (const [method, path] of ROUTES) {
      const isPublic = (PUBLIC as Record<string, string[]>)[method]?.includes(path) ?? false;
      const security = doc.paths[path][method].security ?? [];
      expect({ route: `${method} ${path}`, secured: security.length > 0 }).toEqual({
        route: `${method} ${path}`,
        secured: !isPublic,
      });
    }
  });

  it('names only declared security schemes in the routes', () => {
    const declared = Object.keys(doc.components.securitySchemes);
    for (const [method, path] of ROUTES) {
      for (const requirement of doc.paths[path][method].security ?? []) {
        expect(declared).toEqual(expect.arrayContaining(Object.keys(requirement)));
      }
    }
  });
});

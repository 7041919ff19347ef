import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '@vidgen/contracts';
import type { ClientRequest } from 'node:http';
import request, { Response, Test } from 'supertest';
import { TestApp } from './app';
import { documentCheck, DOCUMENT_PATH, Exchange } from './openapi';

/** What a client holds after register or login. */
export interface Session {
  accessToken: string;
  /** Every cookie the response set, by name, as a browser would store them. */
  cookies: Record<string, string>;
  /** The value of the readable XSRF-TOKEN cookie, which the web app echoes in X-XSRF-TOKEN. */
  csrfToken: string;
}

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lower-cased; flags such as HttpOnly have the value true. */
  attributes: Record<string, string | true>;
}

export function setCookies(response: Response): SetCookie[] {
  const header = response.headers['set-cookie'] as string[] | string | undefined;
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return lines.map((line) => {
    const [pair, ...rest] = line.split(';').map((part) => part.trim());
    const separator = pair.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const attribute of rest) {
      const at = attribute.indexOf('=');
      if (at < 0) attributes[attribute.toLowerCase()] = true;
      else attributes[attribute.slice(0, at).toLowerCase()] = attribute.slice(at + 1);
    }
    return {
      name: pair.slice(0, separator),
      value: decodeURIComponent(pair.slice(separator + 1)),
      attributes,
    };
  });
}

export function setCookie(response: Response, name: string): SetCookie | undefined {
  return setCookies(response).find((cookie) => cookie.name === name);
}

/** True when the Set-Cookie tells the browser to drop the cookie now. */
export function isCleared(cookie: SetCookie | undefined): boolean {
  if (!cookie) return false;
  const { 'max-age': maxAge, expires } = cookie.attributes;
  return (
    (typeof maxAge === 'string' && Number(maxAge) <= 0) ||
    (typeof expires === 'string' && Date.parse(expires) <= Date.now())
  );
}

/** The session a successful register or login response hands to the client. */
export function sessionFrom(response: Response): Session {
  const cookies = Object.fromEntries(setCookies(response).map(({ name, value }) => [name, value]));
  if (!cookies[SESSION_COOKIE] || !cookies[CSRF_COOKIE]) {
    throw new Error(
      `expected ${SESSION_COOKIE} and ${CSRF_COOKIE} cookies, got: ${Object.keys(cookies).join(', ')}`,
    );
  }
  return { accessToken: response.body.accessToken, cookies, csrfToken: cookies[CSRF_COOKIE] };
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
export type Client = Record<Method, (path: string) => Test>;

function client(api: TestApp, headers: Record<string, string>): Client {
  const agent = request(api.url);
  const method = (name: Method) => (path: string) =>
    checkedAgainstDocument(api, agent[name](path).set(headers));
  return {
    get: method('get'),
    post: method('post'),
    patch: method('patch'),
    put: method('put'),
    delete: method('delete'),
  };
}

/**
 * Fails the request's test when the exchange differs from the app's OpenAPI document: the request
 * (when the route accepted it) and the answer, whatever the test itself asserts. Every request
 * the suites send through these helpers checks the document this way.
 */
function checkedAgainstDocument(api: TestApp, test: Test): Test {
  const end = test.end.bind(test);
  test.end = (callback) =>
    end((error, response) => {
      if (error || !response) return callback?.(error, response);
      documentCheck(api.url)
        .then((check) => {
          const exchange = exchangeOf(test, response);
          const problems = check.check(exchange);
          if (problems.length === 0) return null;
          return new Error(
            `${exchange.method} ${exchange.path} answered ${exchange.status}, which differs from the ` +
              `OpenAPI document (${DOCUMENT_PATH}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
          );
        })
        .then(
          (mismatch) => callback?.(mismatch, response),
          (failure) => callback?.(failure, response),
        );
    });
  return test;
}

function exchangeOf(test: Test, response: Response): Exchange {
  const sent = (response as unknown as { req: ClientRequest }).req;
  const requestHeaders = sent.getHeaders() as Exchange['requestHeaders'];
  const data = (test as unknown as { _data?: unknown })._data;
  const responseType = String(response.headers['content-type'] ?? '');
  const raw: unknown = response.body;
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : response.text;
  return {
    method: sent.method,
    path: sent.path,
    requestHeaders,
    requestBody:
      typeof data === 'string' && /json/.test(String(requestHeaders['content-type']))
        ? parseJson(data)
        : data,
    status: response.status,
    responseHeaders: response.headers,
    responseBody: /json/.test(responseType) && text ? parseJson(text) : raw,
    responseHasBody: Number(response.headers['content-length'] ?? 0) > 0 || Boolean(text),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Requests with no credentials. */
export function anonymous(api: TestApp): Client {
  return client(api, {});
}

/** Requests as an API client: `Authorization: Bearer <accessToken>`. */
export function withBearer(api: TestApp, session: Pick<Session, 'accessToken'>): Client {
  return client(api, bearerHeaders(session));
}

/** The header an API client authenticates with, for requests made without supertest (SSE). */
export function bearerHeaders(session: Pick<Session, 'accessToken'>): Record<string, string> {
  return { Authorization: `Bearer ${session.accessToken}` };
}

/**
 * Requests as a browser: every cookie of the session, and the X-XSRF-TOKEN header the web app
 * adds. `csrfToken: null` leaves the header out; a string sends that value instead.
 */
export function withCookies(
  api: TestApp,
  session: Session,
  options: { csrfToken?: string | null } = {},
): Client {
  return client(api, cookieHeaders(session, options));
}

/** The headers of withCookies, for requests made without supertest (an EventSource, say). */
export function cookieHeaders(
  session: Session,
  options: { csrfToken?: string | null } = {},
): Record<string, string> {
  const csrfToken = options.csrfToken === undefined ? session.csrfToken : options.csrfToken;
  const cookie = Object.entries(session.cookies)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('; ');
  return { Cookie: cookie, ...(csrfToken === null ? {} : { [CSRF_HEADER]: csrfToken }) };
}

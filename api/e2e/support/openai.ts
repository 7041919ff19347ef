import OpenAI from 'openai';
import { TestApp } from './app';
import { documentCheck, DOCUMENT_PATH, Exchange } from './openapi';

/**
 * What the document does not describe in the exchanges of the `openai` clients below, in words.
 * A mismatch cannot fail the request itself (the client would report a connection error), so
 * suites assert this is empty after each test: see expectExchangesDocumented.
 */
const mismatches: string[] = [];

/**
 * The official `openai` package, as it ships, pointed at the app's /v1 with `apiKey`. Only its
 * `fetch` is wrapped, to compare every exchange with the app's OpenAPI document, and it does not
 * retry, so each test sees the first answer.
 */
export function openAiClient(api: TestApp, apiKey: string): OpenAI {
  return new OpenAI({
    apiKey,
    baseURL: `${api.url}/v1`,
    maxRetries: 0,
    fetch: (input, init) => checkedFetch(api, input, init),
  });
}

/** Fails the test when an exchange of the clients differed from the document. */
export function expectExchangesDocumented(): void {
  const found = mismatches.splice(0);
  expect(found).toEqual([]);
}

async function checkedFetch(
  api: TestApp,
  input: string | URL | Request,
  init: RequestInit = {},
): Promise<Response> {
  const response = await fetch(input, init);
  const check = await documentCheck(api.url);
  const exchange = await exchangeOf(input, init, response.clone());
  const problems = check.check(exchange);
  if (problems.length > 0) {
    mismatches.push(
      `${exchange.method} ${exchange.path} answered ${exchange.status}, which differs from the ` +
        `OpenAPI document (${DOCUMENT_PATH}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return response;
}

async function exchangeOf(
  input: string | URL | Request,
  init: RequestInit,
  response: Response,
): Promise<Exchange> {
  const url = new URL(input instanceof Request ? input.url : input);
  const requestHeaders: Exchange['requestHeaders'] = {};
  new Headers(init.headers).forEach((value, name) => (requestHeaders[name] = value));
  const responseHeaders: Exchange['responseHeaders'] = {};
  response.headers.forEach((value, name) => (responseHeaders[name] = value));
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = /json/.test(response.headers.get('content-type') ?? '');
  return {
    method: init.method ?? 'GET',
    path: `${url.pathname}${url.search}`,
    requestHeaders,
    requestBody: requestBodyOf(init.body),
    status: response.status,
    responseHeaders,
    responseBody: json && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : bytes,
    responseHasBody: bytes.length > 0,
  };
}

/** A JSON body parsed; a form as its fields (a file by its name, as the server reads it). */
function requestBodyOf(body: RequestInit['body']): unknown {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return JSON.parse(body);
  if (body instanceof FormData) {
    const fields: Record<string, unknown> = {};
    body.forEach((value, name) => {
      fields[name] = typeof value === 'string' ? value : value.name;
    });
    return fields;
  }
  return body;
}

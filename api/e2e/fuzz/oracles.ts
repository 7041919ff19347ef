import { ErrorCode } from '@vidgen/contracts';
import { IncomingHttpHeaders, STATUS_CODES } from 'node:http';
import { FuzzRequest } from './request-model';
import { ConcreteRequest, requestSize } from './resolve';
import { Answer } from './send';
import { Deep, JsonInput, JsonObject } from './values';

/**
 * What every answer must satisfy, whatever was asked. Each check returns findings that name the
 * broken rule (`oracle`) and a short `detail`: together they are the class a failure is counted
 * and listed under.
 */
export type Oracle =
  | 'server-error'
  | 'no-answer'
  | 'error-shape'
  | 'leak'
  | 'size'
  | 'echo'
  | 'unsafe-text'
  | 'access'
  | 'liveness';

export interface Finding {
  oracle: Oracle;
  /** Short and free of generated values, so equal failures group together. */
  detail: string;
  /** The evidence, for the report. */
  evidence?: string;
}

const ERROR_KEYS = ['statusCode', 'error', 'message', 'code', 'requestId', 'details'];
const REQUIRED_ERROR_KEYS = ERROR_KEYS.filter((key) => key !== 'details');
const ERROR_CODES = new Set<string>(Object.values(ErrorCode));

/** A stack frame, a source position, or a path of the server's file system. */
const LEAKS: [string, RegExp][] = [
  ['stack frame', /^\s+at \S/m],
  ['source position', /\.(?:ts|js|mjs|cjs):\d+/],
  ['server path', /\/work\/|node_modules|\/tmp\/vidgen-|\/home\//],
];

/** Control characters but tab and line feed, bidi overrides and isolates, lone surrogates. */
const UNSAFE_TEXT = /(?![\t\n])\p{Cc}|[\u202a-\u202e\u2066-\u2069]|\p{Surrogate}/u;

/** Inputs at least this long must not come back in an error message. */
const ECHO_MIN_LENGTH = 32;
/** An error answer may be this many times its request, plus ERROR_SLACK bytes. */
const ERROR_FACTOR = 4;
const ERROR_SLACK = 2 * 1024;
/** A write's answer holds one stored object (a video with a 4,000-emoji prompt is ~16 KB). */
const WRITE_SLACK = 32 * 1024;

export interface CheckContext {
  /** The operation as documented: its method and whether it needs credentials. */
  documented?: { method: string; path: string; secured: boolean };
  /** Paths of the server that must never show in an answer (its data folder). */
  serverPaths: string[];
}

export function checkAnswer(
  request: FuzzRequest,
  sent: ConcreteRequest,
  answer: Answer,
  context: CheckContext,
): Finding[] {
  if (answer.status === undefined || answer.error) {
    return [
      {
        oracle: 'no-answer',
        detail: answer.status === undefined ? 'no answer' : 'answer cut short',
        evidence: answer.error,
      },
    ];
  }
  const status = answer.status;
  const findings: Finding[] = [];
  const text = isText(answer.headers) ? answer.body.toString('utf8') : '';
  const json = parseJson(answer);

  if (status >= 500) {
    findings.push({ oracle: 'server-error', detail: `${status}`, evidence: text.slice(0, 500) });
  }
  if (status >= 400 && sent.method !== 'HEAD') {
    const problems = errorShapeProblems(status, answer.headers, json);
    if (problems.length > 0) {
      findings.push({
        oracle: 'error-shape',
        detail: `${status}: ${problems.join('; ')}`,
        evidence: text.slice(0, 500),
      });
    }
    findings.push(...echoes(request, sent, json));
  }
  findings.push(...leaks(text, context.serverPaths));
  findings.push(...sizeFindings(sent, answer));
  if (status < 300 && sent.method !== 'GET' && json.ok) {
    const unsafe = unsafeStrings(json.value);
    if (unsafe.length > 0) {
      findings.push({
        oracle: 'unsafe-text',
        detail: `stored as sent: ${[...new Set(unsafe.map(([field]) => field))].join(', ')}`,
        evidence: unsafe.map(([field, value]) => `${field}: ${JSON.stringify(value)}`).join('\n'),
      });
    }
  }
  if (status < 300 && context.documented) findings.push(...accessFindings(request, context));
  return findings;
}

/** A stack trace or a path of the server in an answer's text. */
export function leaks(text: string, serverPaths: string[]): Finding[] {
  const findings: Finding[] = [];
  for (const [name, pattern] of LEAKS) {
    const match = text.match(pattern);
    if (match) findings.push({ oracle: 'leak', detail: name, evidence: around(text, match.index) });
  }
  for (const path of serverPaths) {
    if (text.includes(path)) findings.push({ oracle: 'leak', detail: 'server path' });
  }
  return findings;
}

export function isText(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'] ?? '';
  return !/^(video|image|audio)\/|octet-stream/.test(type);
}

export type Parsed = { ok: true; value: unknown } | { ok: false };

export function parseJson(answer: { headers: IncomingHttpHeaders; body: Buffer }): Parsed {
  if (!/^application\/json/.test(answer.headers['content-type'] ?? '')) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(answer.body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/** How an error answer differs from `{statusCode, error, message, code, requestId, details?}`. */
export function errorShapeProblems(
  status: number,
  headers: IncomingHttpHeaders,
  json: Parsed,
  { requestIdHeader = true } = {},
): string[] {
  if (!/^application\/json/.test(headers['content-type'] ?? '')) {
    return [`content type ${headers['content-type'] ?? '(none)'}`];
  }
  if (!json.ok || typeof json.value !== 'object' || json.value === null) return ['not JSON'];
  const body = json.value as Record<string, unknown>;
  const problems: string[] = [];
  const missing = REQUIRED_ERROR_KEYS.filter((key) => !(key in body));
  if (missing.length > 0) problems.push(`missing ${missing.join(', ')}`);
  const extra = Object.keys(body).filter((key) => !ERROR_KEYS.includes(key));
  if (extra.length > 0) problems.push(`extra ${extra.join(', ')}`);
  if ('statusCode' in body && body['statusCode'] !== status) problems.push('statusCode ≠ status');
  if ('error' in body && body['error'] !== STATUS_CODES[status]) problems.push('error ≠ reason');
  if ('message' in body && (typeof body['message'] !== 'string' || !/\S/.test(body['message']))) {
    problems.push('message not a sentence');
  }
  if ('code' in body && !ERROR_CODES.has(body['code'] as string)) {
    problems.push(`unknown code ${String(body['code']).slice(0, 40)}`);
  }
  const requestId = body['requestId'];
  if ('requestId' in body && (typeof requestId !== 'string' || !/\S/.test(requestId))) {
    problems.push('empty requestId');
  } else if (
    'requestId' in body &&
    (requestIdHeader || headers['x-request-id'] !== undefined) &&
    headers['x-request-id'] !== requestId
  ) {
    problems.push('requestId ≠ X-Request-Id');
  }
  if ('details' in body) {
    const details = body['details'];
    const valid =
      Array.isArray(details) &&
      details.every(
        (entry) =>
          typeof entry === 'object' &&
          entry !== null &&
          Object.keys(entry).sort().join() === 'field,message' &&
          typeof entry.field === 'string' &&
          typeof entry.message === 'string',
      );
    if (!valid) problems.push('details not [{field, message}]');
  }
  return problems;
}

/**
 * Values of the request long enough that an answer repeating them is echoing, not naming. Keys of
 * the body and the query are left out: a validation answer names the fields it refuses (the size
 * oracle bounds how much of them it may repeat).
 */
function inputs(request: FuzzRequest, sent: ConcreteRequest): string[] {
  const found: string[] = [];
  const walk = (value: JsonInput) => {
    if (typeof value === 'string') found.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value instanceof JsonObject) value.entries.forEach(([, item]) => walk(item));
    else if (value instanceof Deep) walk(value.inner);
  };
  if (request.body.kind === 'json') walk(request.body.value);
  if (request.body.kind === 'text') found.push(request.body.text);
  const [pathPart, queryPart = ''] = sent.path.split('?');
  found.push(pathPart, ...pathPart.split('/').map(decodeSafely));
  for (const pair of queryPart.split('&')) found.push(decodeSafely(pair.split('=')[1] ?? ''));
  for (const [name, value] of sent.headers) {
    if (name !== 'Host') found.push(Buffer.from(value, 'latin1').toString('utf8'));
  }
  return found.filter((input) => input.length >= ECHO_MIN_LENGTH);
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** An error message that repeats a long input, or carries control or bidi characters. */
function echoes(request: FuzzRequest, sent: ConcreteRequest, json: Parsed): Finding[] {
  if (!json.ok || typeof json.value !== 'object' || json.value === null) return [];
  const body = json.value as { message?: unknown; details?: unknown };
  const details = Array.isArray(body.details) ? body.details : [];
  const texts = [body.message, ...details.flatMap((d) => [d?.field, d?.message])].filter(
    (text): text is string => typeof text === 'string',
  );
  const findings: Finding[] = [];
  const all = texts.join('\n');
  const echoed = inputs(request, sent).find((input) => all.includes(input));
  if (echoed !== undefined) {
    findings.push({
      oracle: 'echo',
      detail: 'repeats a long input',
      evidence: `${echoed.length} characters: ${JSON.stringify(echoed.slice(0, 80))}`,
    });
  }
  // Field names are told apart from the rest: naming a field is the answer's job, repeating
  // its unsafe characters is not, and the two get fixed in different places.
  const unsafeFields = details
    .map((d) => d?.field)
    .filter((field): field is string => typeof field === 'string' && UNSAFE_TEXT.test(field));
  if (unsafeFields.length > 0) {
    findings.push({
      oracle: 'echo',
      detail: 'names a field with control or bidi characters',
      evidence: JSON.stringify(unsafeFields[0].slice(0, 120)),
    });
  }
  const unsafe = texts
    .map((text) => unsafeFields.reduce((rest, field) => rest.split(field).join(''), text))
    .find((text) => UNSAFE_TEXT.test(text));
  if (unsafe !== undefined) {
    findings.push({
      oracle: 'echo',
      detail: 'carries control or bidi characters',
      evidence: JSON.stringify(unsafe.slice(0, 120)),
    });
  }
  return findings;
}

function sizeFindings(sent: ConcreteRequest, answer: Answer): Finding[] {
  const status = answer.status ?? 0;
  const reading = sent.method === 'GET' || sent.method === 'HEAD';
  // Successful reads return what is stored (lists, files, documents, streams): bounded at write.
  if (answer.stream || (status < 400 && reading)) return [];
  const requestBytes = requestSize(sent);
  const limit = ERROR_FACTOR * requestBytes + (status < 400 ? WRITE_SLACK : ERROR_SLACK);
  if (answer.body.length <= limit) return [];
  return [
    {
      oracle: 'size',
      detail: `${status} answer over ${ERROR_FACTOR}x its request`,
      evidence: `request ${requestBytes} bytes, answer ${answer.body.length} bytes`,
    },
  ];
}

/** String values of a JSON answer holding unsafe characters, by field path (`video.title`). */
function unsafeStrings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return UNSAFE_TEXT.test(value) ? [[path || '(body)', value]] : [];
  if (Array.isArray(value)) return value.flatMap((item) => unsafeStrings(item, `${path}[]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) =>
      unsafeStrings(item, path ? `${path}.${key}` : key),
    );
  }
  return [];
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A success where none may be: a documented secured operation answering without valid
 * credentials, a cookie-authenticated write without its CSRF token, or an id of someone else's.
 */
function accessFindings(request: FuzzRequest, context: CheckContext): Finding[] {
  const documented = context.documented;
  if (!documented?.secured) return [];
  if (request.method !== documented.method || request.path !== documented.path) return [];
  const { auth } = request;
  const findings: Finding[] = [];
  if (!('actor' in auth) && auth.kind !== 'mixed') {
    findings.push({ oracle: 'access', detail: `succeeded with ${auth.kind} credentials` });
  }
  if (
    (auth.kind === 'cookie-no-csrf' || auth.kind === 'cookie-bad-csrf') &&
    UNSAFE_METHODS.has(request.method)
  ) {
    findings.push({ oracle: 'access', detail: `write succeeded with ${auth.kind}` });
  }
  if ('actor' in auth) {
    const foreign = request.ids.some(
      (id) =>
        'ref' in id &&
        (auth.actor === 'other'
          ? ['ownerVideo', 'ownerJob', 'readyVideo', 'readyJob'].includes(id.ref)
          : ['otherVideo', 'otherJob'].includes(id.ref)),
    );
    if (foreign) findings.push({ oracle: 'access', detail: "succeeded on another user's id" });
  }
  return findings;
}

function around(text: string, index = 0): string {
  return text.slice(Math.max(0, index - 100), index + 200);
}

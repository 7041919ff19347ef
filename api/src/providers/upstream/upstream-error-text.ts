const MAX_UPSTREAM_TEXT = 500;
/** Deeper than any gateway wraps an error in another one's text. */
const MAX_DEPTH = 4;
const MAX_LOOSE_FIELDS = 6;

/** What an error answer said: its words for people, and the machine codes it carried. */
export interface UpstreamErrorBody {
  /** One line, clipped, never JSON; null when the answer said nothing useful. */
  text: string | null;
  /** Every `code` string in the answer, outermost first (`quota_not_enough`, `task_not_exist`). */
  codes: readonly string[];
}

/**
 * The upstream's own explanation from an error body, in every shape the gateways of section C
 * send: FastAPI's `detail` (a string, validation problems, or grok2api's `{"error":{...}}`),
 * OpenAI's `error.message` with its `param`, new-api's `{"code","message","data"}` and
 * `{"error":{"message":"… (request id: …)"}}` (the request id is kept: it finds the request in
 * the gateway's logs), a message that is itself another server's JSON or a Python dict printed
 * as text (grok2api v1), or short plain text. An HTML error page (a proxy's 502) says nothing a
 * person can act on.
 */
export function readUpstreamError(body: string, contentType = ''): UpstreamErrorBody {
  const codes: string[] = [];
  const text = body.trim();
  if (text === '' || /html/i.test(contentType) || /^<(!doctype|html)/i.test(text))
    return { text: null, codes };
  const found = unwrap(text, codes, 0);
  return { text: found ? clip(found) : null, codes };
}

/** Only the words of `readUpstreamError`. */
export function upstreamErrorText(body: string, contentType = ''): string | null {
  return readUpstreamError(body, contentType).text;
}

/** Text that may hold JSON or a Python dict, from its first brace on, after a prefix. */
function unwrap(text: string, codes: string[], depth: number): string | null {
  const brace = text.indexOf('{');
  if (brace < 0 || depth >= MAX_DEPTH) return text;
  const prefix = text.slice(0, brace).trim();
  const rest = text.slice(brace);
  let inner: string | null;
  try {
    const json: unknown = JSON.parse(rest);
    inner = explanation(json, codes, depth + 1) ?? looseFields(json);
  } catch {
    inner = pythonDictMessage(rest, codes);
    if (inner === null) return text;
  }
  if (inner === null) return prefix || null;
  return prefix ? `${prefix} ${inner}` : inner;
}

function explanation(json: unknown, codes: string[], depth: number): string | null {
  if (typeof json === 'string') return unwrap(json, codes, depth);
  if (!json || typeof json !== 'object' || Array.isArray(json) || depth > MAX_DEPTH) return null;
  const { detail, error, message, msg, code, param } = json as Record<string, unknown>;
  if (typeof code === 'string' && code !== '') codes.push(code);
  if (Array.isArray(detail)) {
    const problems = detail.map(validationProblem).filter((p): p is string => p !== null);
    if (problems.length > 0) return problems.join('; ');
  }
  for (const nested of [detail, error]) {
    const found = explanation(nested, codes, depth + 1);
    if (found) return found;
  }
  const said = [message, msg].find((value) => typeof value === 'string' && value.trim() !== '');
  if (typeof said !== 'string') return null;
  const words = unwrap(said, codes, depth + 1);
  // OpenAI names the field at fault apart from the message, which often does not.
  return words && typeof param === 'string' && param !== '' && !words.includes(param)
    ? `${words} (param: ${param})`
    : words;
}

/** FastAPI's `{"loc": ["body", "messages"], "msg": "Field required"}` as `messages: Field required`. */
function validationProblem(item: unknown): string | null {
  if (!item || typeof item !== 'object') return null;
  const { loc, msg } = item as { loc?: unknown; msg?: unknown };
  if (typeof msg !== 'string') return null;
  const path = Array.isArray(loc) ? loc.filter((part) => part !== 'body').join('.') : '';
  return path ? `${path}: ${msg}` : msg;
}

const PY_STRING = String.raw`'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"`;
const PY_MESSAGE = new RegExp(String.raw`['"](?:message|detail|msg)['"]\s*:\s*(?:${PY_STRING})`);
const PY_CODE = new RegExp(String.raw`['"]code['"]\s*:\s*(?:${PY_STRING})`, 'g');

/**
 * grok2api v1 prints the provider's error with `str(dict)`: `{'error': {'message': '…'}}`, not
 * JSON. Its message (single quotes, or double when it holds one) and codes are read as text.
 */
function pythonDictMessage(text: string, codes: string[]): string | null {
  for (const match of text.matchAll(PY_CODE)) codes.push(pythonString(match));
  const message = PY_MESSAGE.exec(text);
  return message ? pythonString(message) : null;
}

function pythonString(match: RegExpMatchArray): string {
  return (match[1] ?? match[2]).replace(/\\(.)/g, (_, char: string) =>
    char === 'n' || char === 't' ? ' ' : char,
  );
}

/**
 * An answer in no shape above still says something: its plain fields as `name: value`, so that
 * people never see raw JSON, nor lose the only words the gateway gave.
 */
function looseFields(json: unknown): string | null {
  const fields: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (fields.length >= MAX_LOOSE_FIELDS) return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      if (value !== '') fields.push(path ? `${path}: ${value}` : String(value));
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value))
        visit(inner, Array.isArray(value) ? path : path ? `${path}.${key}` : key);
    }
  };
  visit(json, '');
  return fields.length > 0 ? fields.join(', ') : null;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_UPSTREAM_TEXT
    ? `${oneLine.slice(0, MAX_UPSTREAM_TEXT - 1)}…`
    : oneLine;
}

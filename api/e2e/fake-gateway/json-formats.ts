/**
 * The three JSON dialects the fake speaks, because clients meet all three in the wild:
 * - Python's `json.dumps` defaults (sora2api stream chunks): `", "` and `": "` separators and
 *   every character outside printable ASCII escaped as `\uXXXX` (ensure_ascii), UTF-16 surrogate
 *   pairs for astral characters, lower-case hex.
 * - Starlette's `JSONResponse` (FastAPI error and list bodies): compact, UTF-8 left as is, which is
 *   exactly what JSON.stringify does.
 * - OpenAI's API: pretty printed, two spaces for objects and four for error envelopes.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `json.dumps(value)` with Python's defaults. Only integers are expected among the numbers. */
export function pythonDumps(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(', ')}]`;
  const members = Object.entries(value).map(([k, v]) => `${pythonString(k)}: ${pythonDumps(v)}`);
  return `{${members.join(', ')}}`;
}

/** Starlette's JSONResponse: `json.dumps(..., ensure_ascii=False, separators=(",", ":"))`. */
export function starletteDumps(value: Json): string {
  return JSON.stringify(value);
}

/** How api.openai.com prints a resource. */
export function openAiDumps(value: Json): string {
  return JSON.stringify(value, null, 2);
}

/** How api.openai.com prints an `{"error": ...}` envelope (four spaces, as it really does). */
export function openAiErrorDumps(value: Json): string {
  return JSON.stringify(value, null, 4);
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function pythonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const code = text.charCodeAt(i);
    const short = SHORT_ESCAPES[char];
    if (short) out += short;
    // Python's ESCAPE_ASCII is `([\\"]|[^\ -~])`: DEL (0x7f) is escaped too.
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

function pythonNumber(value: number): string {
  // Only integers (timestamps, percentages, token counts) ever appear in the chunks.
  if (!Number.isInteger(value)) throw new Error(`pythonDumps: ${value} is not an integer`);
  return String(value);
}

/**
 * The four JSON dialects the fake speaks, because clients meet all four in the wild:
 * - Python's `json.dumps` defaults (sora2api stream chunks): `", "` and `": "` separators and
 *   every character outside printable ASCII escaped as `\uXXXX` (ensure_ascii), UTF-16 surrogate
 *   pairs for astral characters, lower-case hex.
 * - Starlette's `JSONResponse` (FastAPI error and list bodies): compact, UTF-8 left as is, which is
 *   exactly what JSON.stringify does.
 * - OpenAI's API: pretty printed, two spaces for objects and four for error envelopes.
 * - Go's `encoding/json` (gin's `c.JSON`: new-api, go-sora2api): compact, UTF-8 left as is, but
 *   `<`, `>`, `&` and the line separators U+2028/U+2029 escaped as `\u003c` and so on.
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

/**
 * `json.dumps(value, ensure_ascii=False)` (Modified_Sora2api's chunks): Python's spacing, UTF-8
 * left as is; what it still escapes (quotes, backslashes, control characters) JSON.stringify
 * escapes alike.
 */
export function pythonDumpsUtf8(value: Json): string {
  if (typeof value === 'number') return pythonNumber(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonDumpsUtf8).join(', ')}]`;
  const members = Object.entries(value).map(
    ([k, v]) => `${JSON.stringify(k)}: ${pythonDumpsUtf8(v)}`,
  );
  return `{${members.join(', ')}}`;
}

/** Starlette's JSONResponse: `json.dumps(..., ensure_ascii=False, separators=(",", ":"))`. */
export function starletteDumps(value: Json): string {
  return JSON.stringify(value);
}

/** gin's `c.JSON`: `json.Marshal`, which escapes HTML-significant characters. */
export function goDumps(value: Json): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
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

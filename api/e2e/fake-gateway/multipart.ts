/** A small multipart/form-data parser: what newer OpenAI SDKs send to `POST /v1/videos`. */

export interface UploadedFile {
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
}

export interface MultipartBody {
  /** Text parts by name, e.g. `prompt`, `seconds`, `input_reference[image_url]`. */
  fields: Record<string, string>;
  /** File parts by name, e.g. `input_reference`. */
  files: Record<string, UploadedFile>;
}

export function isMultipartBody(body: unknown): body is MultipartBody {
  return typeof body === 'object' && body !== null && 'fields' in body && 'files' in body;
}

/** Undefined when the content type has no boundary or the body is not multipart at all. */
export function parseMultipart(raw: Buffer, contentType: string): MultipartBody | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const body: MultipartBody = { fields: {}, files: {} };
  let start = raw.indexOf(delimiter);
  if (start < 0) return undefined;
  for (;;) {
    let cursor = start + delimiter.length;
    if (raw.subarray(cursor, cursor + 2).toString() === '--') break;
    cursor = skipLineBreak(raw, cursor);
    const headerEnd = raw.indexOf('\r\n\r\n', cursor);
    if (headerEnd < 0) return undefined;
    const headers = parseHeaders(raw.subarray(cursor, headerEnd).toString('utf8'));
    const next = raw.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) return undefined;
    addPart(body, headers, raw.subarray(headerEnd + 4, next));
    start = next + 2;
  }
  return body;
}

function skipLineBreak(raw: Buffer, at: number): number {
  if (raw[at] === 0x0d && raw[at + 1] === 0x0a) return at + 2;
  return raw[at] === 0x0a ? at + 1 : at;
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function addPart(body: MultipartBody, headers: Record<string, string>, data: Buffer): void {
  const disposition = headers['content-disposition'] ?? '';
  const name = dispositionParam(disposition, 'name');
  if (name === undefined) return;
  const filename = dispositionParam(disposition, 'filename');
  if (filename === undefined) {
    body.fields[name] = data.toString('utf8');
    return;
  }
  body.files[name] = {
    filename,
    contentType: headers['content-type'] ?? 'application/octet-stream',
    size: data.length,
    data: Buffer.from(data),
  };
}

function dispositionParam(disposition: string, param: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${param}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition);
  if (match) return match[1].replace(/\\(.)/g, '$1');
  const bare = new RegExp(`(?:^|;)\\s*${param}=([^;]*)`, 'i').exec(disposition);
  return bare ? bare[1].trim() : undefined;
}

import { randomBytes } from 'node:crypto';

/** A request body other than JSON, with its media type. */
export interface EncodedBody {
  contentType: string;
  data: Buffer;
}

/**
 * Text fields as multipart/form-data, the form newer OpenAI SDKs send and the one gateways that
 * read FastAPI `Form(...)` fields (grok2api v2) accept. The boundary is random, so no prompt can
 * contain it.
 */
export function multipartBody(fields: Record<string, string>): EncodedBody {
  const boundary = `----vidgen-${randomBytes(16).toString('hex')}`;
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    data: Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8'),
  };
}

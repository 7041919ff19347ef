import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { RangeNotSatisfiableError } from '../common/errors/domain-errors';
import { toWellFormed } from '../common/text/characters';
import { parseByteRange } from './byte-range';

/**
 * Streams a stored file with Range support: 206 with Content-Range for one satisfiable range,
 * 416 for an unsatisfiable one, else 200 with the whole file. `attachmentName` makes it a download.
 * A HEAD request gets the same headers and never opens the file.
 */
export async function sendFile(
  reply: FastifyReply,
  file: { size: number },
  contentType: string,
  rangeHeader: string | undefined,
  attachmentName: string | undefined,
  open: (range?: { start: number; end: number }) => Readable,
): Promise<void> {
  const range = parseByteRange(rangeHeader, file.size);
  if (range.kind === 'unsatisfiable') {
    reply.header('Content-Range', `bytes */${file.size}`);
    throw new RangeNotSatisfiableError(file.size);
  }
  reply
    .header('Content-Type', contentType)
    .header('Accept-Ranges', 'bytes')
    // Private: these are one user's files, behind authentication.
    .header('Cache-Control', 'private, max-age=3600');
  if (attachmentName) reply.header('Content-Disposition', contentDisposition(attachmentName));
  const head = reply.request.method === 'HEAD';
  if (range.kind === 'partial') {
    reply
      .status(206)
      .header('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`)
      .header('Content-Length', String(range.end - range.start + 1));
    await reply.send(head ? noBody() : open({ start: range.start, end: range.end }));
    return;
  }
  reply.status(200).header('Content-Length', String(file.size));
  await reply.send(head ? noBody() : open());
}

/**
 * The body of a HEAD answer. Fastify's HEAD route (exposeHeadRoutes) runs the GET handler and
 * reads a stream it is given to the end, and sets Content-Length to 0 when given nothing; an empty
 * stream keeps the Content-Length of the file and reads nothing.
 */
function noBody(): Readable {
  return Readable.from([]);
}

/**
 * An ASCII fallback name plus the exact UTF-8 name (RFC 6266). A lone surrogate (a title cut
 * through a surrogate pair) has no UTF-8 form, and encodeURIComponent throws on it: it becomes
 * U+FFFD first.
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  // encodeURIComponent leaves ' ( ) * ! as they are; RFC 8187 wants them encoded too.
  const encoded = encodeURIComponent(toWellFormed(name)).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

import type { ServerResponse } from 'node:http';
import { randomHex, send, sendStarlette } from './http-util';
import { Media, Orientation } from './media';

/**
 * What a result URL serves. The bad kinds exist for the download checks of the platform:
 * `oversized` streams 50 MiB of zeros, `not-video` is text labelled video/mp4, `wrong-type` is a
 * real MP4 labelled text/html, `redirect-private` answers 302 to the private (127.0.0.2) server,
 * `drip` sends a real MP4 one byte a second (never idle, done only after hours).
 */
export type FileKind =
  | Orientation
  | `${Orientation}-still`
  | 'oversized'
  | 'not-video'
  | 'wrong-type'
  | 'redirect-private'
  | 'drip';

export const OVERSIZED_BYTES = 50 * 1024 * 1024;
export const DRIP_INTERVAL_MS = 1000;

const NOT_VIDEO_TEXT =
  '<html><head><title>Video</title></head><body>This is not a video: the CDN answered with a page.</body></html>\n';

/** Names that always exist, handy for tests of a downloader on its own. */
const STATIC_FILES: Record<string, FileKind> = {
  'portrait.mp4': 'portrait',
  'landscape.mp4': 'landscape',
  'portrait.jpg': 'portrait-still',
  'landscape.jpg': 'landscape-still',
  'oversized.mp4': 'oversized',
  'not-video.mp4': 'not-video',
  'wrong-type.mp4': 'wrong-type',
  'redirect-private.mp4': 'redirect-private',
  'drip.mp4': 'drip',
};

/**
 * The gateway's own file server (sora2api caches results and serves them from its own host),
 * reachable on the gateway's host and, for the SSRF tests, on the private 127.0.0.2 server.
 */
export class FileStore {
  private readonly names = new Map<string, FileKind>(Object.entries(STATIC_FILES));
  /** Generated results of a given shape (see clips.ts), by name. */
  private readonly clips = new Map<string, Buffer>();

  constructor(
    private readonly media: Media,
    private readonly privateOrigin: () => string,
  ) {}

  /** A fresh name serving `kind`, like the hashed names of a gateway's cache: `<hex>.mp4`. */
  register(kind: FileKind): string {
    const name = `${randomHex(32)}${kind.endsWith('-still') ? '.jpg' : '.mp4'}`;
    this.names.set(name, kind);
    return name;
  }

  /** A fresh `<hex>.mp4` serving `video`, or `name` when the gateway names its files itself. */
  registerClip(video: Buffer, name = `${randomHex(32)}.mp4`): string {
    this.clips.set(name, video);
    return name;
  }

  /** Serves `/files/<name>`; false when the path is not under /files/. */
  handle(method: string, pathname: string, res: ServerResponse): boolean {
    if (!pathname.startsWith('/files/')) return false;
    if (this.serveClip(decodeURIComponent(pathname.slice('/files/'.length)), method, res))
      return true;
    const kind = this.names.get(decodeURIComponent(pathname.slice('/files/'.length)));
    if (!kind) {
      sendStarlette(res, 404, { detail: 'Not Found' });
    } else if (method !== 'GET' && method !== 'HEAD') {
      sendStarlette(res, 405, { detail: 'Method Not Allowed' }, { allow: 'GET, HEAD' });
    } else {
      this.serve(kind, method, res);
    }
    return true;
  }

  /** Serves a registered clip by name; false when there is none of that name. */
  serveClip(name: string, method: string, res: ServerResponse): boolean {
    const video = this.clips.get(name);
    if (!video) return false;
    if (method !== 'GET' && method !== 'HEAD')
      sendStarlette(res, 405, { detail: 'Method Not Allowed' }, { allow: 'GET, HEAD' });
    else if (method === 'HEAD')
      res
        .writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(video.length) })
        .end();
    else send(res, 200, video, { 'content-type': 'video/mp4' });
    return true;
  }

  serve(kind: FileKind, method: string, res: ServerResponse): void {
    switch (kind) {
      case 'portrait':
      case 'landscape':
        return send(res, 200, this.media.video[kind], { 'content-type': 'video/mp4' });
      case 'portrait-still':
      case 'landscape-still':
        return send(
          res,
          200,
          this.media.thumbnail[kind === 'portrait-still' ? 'portrait' : 'landscape'],
          {
            'content-type': 'image/jpeg',
          },
        );
      case 'not-video':
        return send(res, 200, NOT_VIDEO_TEXT, { 'content-type': 'video/mp4' });
      case 'wrong-type':
        return send(res, 200, this.media.video.portrait, {
          'content-type': 'text/html; charset=utf-8',
        });
      case 'redirect-private':
        res.writeHead(302, {
          location: `${this.privateOrigin()}/files/portrait.mp4`,
          'content-length': '0',
        });
        return void res.end();
      case 'oversized':
        return streamZeros(res, method === 'HEAD');
      case 'drip':
        return drip(res, this.media.video.portrait, method === 'HEAD');
    }
  }
}

function drip(res: ServerResponse, video: Buffer, headOnly: boolean): void {
  res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(video.length) });
  if (headOnly) return void res.end();
  let sent = 0;
  const next = (): void => {
    res.write(video.subarray(sent, ++sent));
    if (sent === video.length) res.end();
  };
  next();
  const timer = setInterval(next, DRIP_INTERVAL_MS);
  res.on('close', () => clearInterval(timer));
}

function streamZeros(res: ServerResponse, headOnly: boolean): void {
  res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(OVERSIZED_BYTES) });
  if (headOnly) return void res.end();
  const block = Buffer.alloc(64 * 1024);
  let sent = 0;
  const pump = (): void => {
    while (sent < OVERSIZED_BYTES) {
      if (res.destroyed) return;
      const size = Math.min(block.length, OVERSIZED_BYTES - sent);
      sent += size;
      if (!res.write(size === block.length ? block : block.subarray(0, size))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

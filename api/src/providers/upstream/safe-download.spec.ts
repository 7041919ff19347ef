import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/app-config';
import { ProviderError } from '../video-provider';
import { downloadResult, safeDownload, SafeDownloadOptions } from './safe-download';
import { delay, LocalServer, startLocalServer } from './testing/local-server';

// Every request here stays on loopback: "private" hosts are either 127.0.0.2 (loopback, but not
// the configured upstream) or addresses handed to the check by a fake resolver, never dialled.
const MP4_HEAD = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypmp42\0\0\0\0mp42isom'),
]);
const VIDEO = Buffer.concat([MP4_HEAD, Buffer.alloc(4096, 7)]);

let upstream: LocalServer;
let other: LocalServer; // 127.0.0.2: loopback, not the upstream
let workDir: string;

function send(
  res: ServerResponse,
  type: string | null,
  body: Buffer,
  extra: Record<string, string> = {},
): void {
  res.writeHead(200, {
    ...(type ? { 'content-type': type } : {}),
    'content-length': String(body.length),
    ...extra,
  });
  res.end(body);
}

/** A whole video announced, then one byte every `everyMs`: never idle, never done. */
function drip(res: ServerResponse, everyMs: number): void {
  res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(VIDEO.length) });
  let sent = 0;
  const timer = setInterval(() => {
    if (sent < VIDEO.length) res.write(VIDEO.subarray(sent, ++sent));
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}

beforeAll(async () => {
  other = await startLocalServer((_req, res) => send(res, 'video/mp4', VIDEO), '127.0.0.2');
  upstream = await startLocalServer(async (req, res) => {
    const path = req.url ?? '';
    if (path === '/tmp/video.mp4') return send(res, 'video/mp4; charset=binary', VIDEO);
    if (path === '/tmp/octet') return send(res, 'application/octet-stream', VIDEO);
    if (path === '/tmp/page.mp4') return send(res, 'text/html', VIDEO);
    if (path === '/tmp/untyped') return send(res, null, VIDEO);
    if (path === '/tmp/not-video.mp4')
      return send(res, 'video/mp4', Buffer.from('<html>not a video</html>'));
    if (path === '/tmp/huge-declared') {
      res.writeHead(200, {
        'content-type': 'video/mp4',
        'content-length': String(50 * 1024 * 1024),
      });
      return res.flushHeaders(); // never sends the body: only an early refusal ends this
    }
    if (path === '/tmp/huge-chunked') {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      for (let i = 0; i < 64; i++) res.write(Buffer.alloc(1024, 1));
      return res.end();
    }
    if (path === '/tmp/stall') {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      return res.write(MP4_HEAD);
    }
    if (path === '/tmp/drip') return drip(res, 50);
    if (path === '/tmp/short') {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': '100000' });
      res.write(MP4_HEAD);
      return setTimeout(() => res.socket?.destroy(), 50);
    }
    if (path === '/tmp/gone') return res.writeHead(404).end('gone');
    // new-api's `/content` proxy when its own upstream fails (controller/video_proxy.go).
    if (path === '/tmp/proxy-502') {
      return res
        .writeHead(502, { 'content-type': 'application/json; charset=utf-8' })
        .end('{"error":{"message":"Upstream service returned status 404","type":"server_error"}}');
    }
    if (path === '/tmp/nginx-502') {
      return res
        .writeHead(502, { 'content-type': 'text/html' })
        .end('<html><head><title>502 Bad Gateway</title></head></html>');
    }
    if (path === '/v1/echo-key') {
      return res
        .writeHead(403, { 'content-type': 'application/json' })
        .end(`{"detail":"key ${req.headers.authorization} may not read this"}`);
    }
    if (path === '/tmp/slow-redirect') {
      await delay(400);
      return res.writeHead(302, { location: '/tmp/video.mp4' }).end();
    }
    if (path === '/redirect/inside')
      return res.writeHead(302, { location: '/tmp/video.mp4' }).end();
    if (path === '/redirect/private')
      return res.writeHead(302, { location: `${other.url}/video.mp4` }).end();
    if (path === '/redirect/loop') return res.writeHead(307, { location: '/redirect/loop' }).end();
    if (path === '/redirect/ftp')
      return res.writeHead(301, { location: 'ftp://example.com/a.mp4' }).end();
    if (path === '/v1/videos/v1/content') {
      return req.headers.authorization === 'Bearer sk-upstream'
        ? send(res, 'video/mp4', VIDEO)
        : res.writeHead(401).end();
    }
    res.writeHead(404).end();
  });
});

afterAll(async () => {
  await Promise.all([upstream.close(), other.close()]);
});

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'vidgen-download-'));
});

afterEach(() => rm(workDir, { recursive: true, force: true }));

function options(overrides: Partial<SafeDownloadOptions> = {}): SafeDownloadOptions {
  return {
    workDir,
    maxBytes: 1024 * 1024,
    trustedBaseUrl: `${upstream.url}/v1`,
    connectTimeoutMs: 2000,
    idleTimeoutMs: 2000,
    deadlineMs: 30_000,
    minRate: { bytesPerSecond: 1, windowMs: 30_000 },
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>, code: string): Promise<ProviderError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  expect(error).toMatchObject({ code });
  // Nothing half-written stays in the job's folder.
  expect(await readdir(workDir)).toEqual([]);
  return error as ProviderError;
}

describe('safeDownload', () => {
  it('downloads from the configured upstream host, even on loopback', async () => {
    const file = await safeDownload(`${upstream.url}/tmp/video.mp4`, options());
    expect(file).toMatchObject({
      bytes: VIDEO.length,
      contentType: 'video/mp4',
      path: join(workDir, 'upstream-video.mp4'),
    });
    expect(await readFile(file.path)).toEqual(VIDEO);
    expect(await readdir(workDir)).toEqual(['upstream-video.mp4']);
  });

  it('accepts application/octet-stream', async () => {
    const file = await safeDownload(`${upstream.url}/tmp/octet`, options());
    expect(file.bytes).toBe(VIDEO.length);
  });

  it('refuses another loopback address before connecting to it', async () => {
    const error = await refusal(
      safeDownload(`${other.url}/video.mp4`, options()),
      'DOWNLOAD_REFUSED',
    );
    expect(error.message).toBe(
      'The video link points to a non-public address (127.0.0.2, loopback); it was not downloaded.',
    );
    expect(other.connections).toBe(0);
  });

  it('refuses the upstream host on another port', async () => {
    const base = `http://127.0.0.1:${upstream.port === 65535 ? 65534 : upstream.port + 1}/v1`;
    await refusal(
      safeDownload(`${upstream.url}/tmp/video.mp4`, options({ trustedBaseUrl: base })),
      'DOWNLOAD_REFUSED',
    );
  });

  it('refuses a name that resolves to a private address, or to any private address among public ones', async () => {
    await refusal(
      safeDownload(
        'http://videos.example/a.mp4',
        options({ resolve: async () => [{ address: '10.0.0.5', family: 4 }] }),
      ),
      'DOWNLOAD_REFUSED',
    ).then((error) =>
      expect(error.message).toContain('(videos.example resolves to 10.0.0.5, private)'),
    );
    const mixed = async () => [
      { address: '93.184.215.14', family: 4 as const },
      { address: 'fd00::5', family: 6 as const },
    ];
    const error = await refusal(
      safeDownload('https://cdn.example/a.mp4', options({ resolve: mixed })),
      'DOWNLOAD_REFUSED',
    );
    expect(error.message).toContain('fd00::5, unique-local');
  });

  it('refuses localhost and IPv6 loopback literals', async () => {
    await refusal(safeDownload('http://localhost:1/a.mp4', options()), 'DOWNLOAD_REFUSED');
    await refusal(safeDownload('http://[::1]:1/a.mp4', options()), 'DOWNLOAD_REFUSED');
    await refusal(safeDownload('http://[::ffff:127.0.0.1]:1/a.mp4', options()), 'DOWNLOAD_REFUSED');
  });

  it('connects to the address it checked, not to a second DNS answer', async () => {
    // `gateway.test` exists only in this resolver: the request can only arrive through the pin.
    let lookups = 0;
    const resolve = async () => {
      lookups += 1;
      return [{ address: '127.0.0.1', family: 4 as const }];
    };
    const base = `http://gateway.test:${upstream.port}/v1`;
    const file = await safeDownload(
      `http://gateway.test:${upstream.port}/tmp/video.mp4`,
      options({ trustedBaseUrl: base, resolve }),
    );
    expect(file.bytes).toBe(VIDEO.length);
    expect(lookups).toBe(1);
    expect(upstream.requests[upstream.requests.length - 1].headers.host).toBe(
      `gateway.test:${upstream.port}`,
    );
  });

  it.each(['ftp://example.com/a.mp4', 'file:///etc/passwd', 'not a url'])(
    'refuses %s',
    async (link) => {
      await refusal(safeDownload(link, options()), 'DOWNLOAD_REFUSED');
    },
  );

  it('follows a redirect within the upstream', async () => {
    const file = await safeDownload(`${upstream.url}/redirect/inside`, options());
    expect(file.url).toBe(`${upstream.url}/tmp/video.mp4`);
  });

  it('refuses a redirect to a private address, checked like the first link', async () => {
    const error = await refusal(
      safeDownload(`${upstream.url}/redirect/private`, options()),
      'DOWNLOAD_REFUSED',
    );
    expect(error.message).toContain('127.0.0.2');
    expect(other.connections).toBe(0);
  });

  it('refuses a redirect to another scheme, and stops after 3 redirects', async () => {
    await refusal(safeDownload(`${upstream.url}/redirect/ftp`, options()), 'DOWNLOAD_REFUSED');
    const before = upstream.requests.length;
    const error = await refusal(
      safeDownload(`${upstream.url}/redirect/loop`, options()),
      'DOWNLOAD_REFUSED',
    );
    expect(error.message).toBe('The video link redirected more than 3 times; it was not followed.');
    expect(upstream.requests.length - before).toBe(4);
  });

  it('refuses an oversized file from its Content-Length, before reading the body', async () => {
    const started = Date.now();
    const error = await refusal(
      safeDownload(`${upstream.url}/tmp/huge-declared`, options()),
      'DOWNLOAD_TOO_LARGE',
    );
    expect(error.message).toBe(
      'The video is too large (50 MB, over the limit of 1 MB, DOWNLOAD_MAX_MB); it was not downloaded.',
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses an oversized file while streaming when no length was declared, and deletes the part', async () => {
    const error = await refusal(
      safeDownload(`${upstream.url}/tmp/huge-chunked`, options({ maxBytes: 10_000 })),
      'DOWNLOAD_TOO_LARGE',
    );
    expect(error.message).toContain('more than the limit of 9.8 KB');
  });

  it('refuses a real MP4 served as text/html, and a file without a type', async () => {
    const html = await refusal(
      safeDownload(`${upstream.url}/tmp/page.mp4`, options()),
      'DOWNLOAD_NOT_VIDEO',
    );
    expect(html.message).toBe(
      'The video link returned text/html instead of a video; it was not downloaded.',
    );
    await refusal(safeDownload(`${upstream.url}/tmp/untyped`, options()), 'DOWNLOAD_NOT_VIDEO');
  });

  it('downloads non-video bytes labelled video/mp4 (the runner’s ffprobe check rejects them)', async () => {
    const file = await safeDownload(`${upstream.url}/tmp/not-video.mp4`, options());
    expect(await readFile(file.path, 'utf8')).toBe('<html>not a video</html>');
  });

  it('fails on an error status, a stall and a connection cut short', async () => {
    const gone = await refusal(
      safeDownload(`${upstream.url}/tmp/gone`, options()),
      'DOWNLOAD_FAILED',
    );
    expect(gone.message).toBe(
      `The video link answered HTTP 404 from 127.0.0.1:${upstream.port} (gone); the video could not be downloaded.`,
    );
    const stall = await refusal(
      safeDownload(`${upstream.url}/tmp/stall`, options({ idleTimeoutMs: 200 })),
      'DOWNLOAD_FAILED',
    );
    expect(stall.message).toBe('The video download stalled: nothing arrived for 0.2 seconds.');
    await refusal(safeDownload(`${upstream.url}/tmp/short`, options()), 'DOWNLOAD_FAILED');
  });

  it('keeps the reason a gateway gives for a failed download, and no HTML page', async () => {
    const proxied = await refusal(
      safeDownload(`${upstream.url}/tmp/proxy-502`, options()),
      'DOWNLOAD_FAILED',
    );
    expect(proxied.message).toBe(
      `The video link answered HTTP 502 from 127.0.0.1:${upstream.port} (Upstream service returned status 404); the video could not be downloaded.`,
    );
    const page = await refusal(
      safeDownload(`${upstream.url}/tmp/nginx-502`, options()),
      'DOWNLOAD_FAILED',
    );
    expect(page.message).toBe(
      `The video link answered HTTP 502 from 127.0.0.1:${upstream.port}; the video could not be downloaded.`,
    );
  });

  it('never repeats the upstream key a failed download echoes', async () => {
    const error = await refusal(
      safeDownload(
        `${upstream.url}/v1/echo-key`,
        options({ trustedHeaders: { authorization: 'Bearer sk-upstream' } }),
      ),
      'DOWNLOAD_FAILED',
    );
    expect(error.message).toContain('(key [redacted] may not read this)');
    expect(error.message).not.toContain('sk-upstream');
  });

  it('stops a drip below the minimum rate after one window, saying so, and deletes the part', async () => {
    const error = await refusal(
      safeDownload(
        `${upstream.url}/tmp/drip`,
        options({ minRate: { bytesPerSecond: 1024, windowMs: 500 } }),
      ),
      'DOWNLOAD_TOO_SLOW',
    );
    expect(error.message).toBe(
      'The upstream sent the video too slowly (under 1 KB/s over 0.5 seconds); the download was stopped.',
    );
  });

  it('stops a download still going at the deadline, saying so, and deletes the part', async () => {
    const error = await refusal(
      safeDownload(`${upstream.url}/tmp/drip`, options({ deadlineMs: 700 })),
      'DOWNLOAD_TOO_SLOW',
    );
    expect(error.message).toBe(
      'The video download did not finish within 0.7 seconds (DOWNLOAD_TIMEOUT_SECONDS): the upstream sent the file too slowly.',
    );
  });

  it('counts the deadline from the first request, redirects included', async () => {
    const error = await refusal(
      safeDownload(`${upstream.url}/tmp/slow-redirect`, options({ deadlineMs: 300 })),
      'DOWNLOAD_TOO_SLOW',
    );
    expect(error.message).toContain('did not finish within 0.3 seconds');
  });

  it('keeps a fast download well within its limits', async () => {
    const file = await safeDownload(
      `${upstream.url}/tmp/video.mp4`,
      options({ deadlineMs: 5000, minRate: { bytesPerSecond: 1024, windowMs: 100 } }),
    );
    expect(file.bytes).toBe(VIDEO.length);
  });

  it('stops when aborted, with the caller’s reason, and deletes the part', async () => {
    const controller = new AbortController();
    const pending = safeDownload(
      `${upstream.url}/tmp/stall`,
      options({ signal: controller.signal }),
    );
    await delay(100);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('sends the upstream key only to URLs under the upstream base', async () => {
    const headers = { authorization: 'Bearer sk-upstream' };
    const file = await safeDownload(
      `${upstream.url}/v1/videos/v1/content`,
      options({ trustedHeaders: headers }),
    );
    expect(file.bytes).toBe(VIDEO.length);
    await safeDownload(`${upstream.url}/tmp/video.mp4`, options({ trustedHeaders: headers }));
    expect(upstream.requests[upstream.requests.length - 1].headers.authorization).toBeUndefined();
  });
});

describe('downloadResult', () => {
  it('downloads with the configured upstream, limits and key', async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      VIDEO_API_BASE_URL: `${upstream.url}/v1`,
      VIDEO_API_KEY: 'sk-upstream',
    });
    const path = await downloadResult(
      `${upstream.url}/v1/videos/v1/content`,
      workDir,
      config,
      new AbortController().signal,
    );
    expect(await readFile(path)).toEqual(VIDEO);
  });
});

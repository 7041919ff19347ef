import { FakeGateway, PRIVATE_HOST, startFakeGateway } from './fake-gateway';
import { OVERSIZED_BYTES } from './files';
import { chatRequest, probe, rawRequest } from './raw-http';

/** The result URLs the download checks of the platform must refuse, and the files behind them. */
describe('fake gateway: result files', () => {
  let gateway: FakeGateway;
  const resultUrl = async (scenario: string, model = 'sora2-portrait-15s') => {
    const res = await chatRequest(
      gateway.url,
      gateway.apiKey,
      `a lighthouse [scenario:${scenario}]`,
      { model },
    );
    const url = /<video src='([^']+)'/.exec(res.text)?.[1];
    if (!url) throw new Error(`no result URL in ${res.text}`);
    return url;
  };

  beforeAll(async () => {
    gateway = await startFakeGateway({ progressIntervalMs: 20 });
  });
  afterAll(() => gateway.close());

  it('points private-url at a loopback address that is not its own host, which serves a real video', async () => {
    const url = new URL(await resultUrl('private-url', 'sora2-landscape-15s'));
    const own = new URL(gateway.url);
    expect(url.hostname).toBe(PRIVATE_HOST);
    expect(url.hostname).not.toBe(own.hostname);
    expect(url.pathname).toMatch(/^\/files\/[0-9a-f]{32}\.mp4$/);
    if (process.platform !== 'linux') return; // 127.0.0.2 is not bound elsewhere
    const video = await rawRequest(url.href);
    expect(video.status).toBe(200);
    expect(await probe(video.body)).toMatchObject({ width: 1280, height: 720 });
    expect(gateway.requests.at(-1)).toMatchObject({
      path: url.pathname,
      headers: { host: url.host },
    });
  });

  it('redirects redirect-private from its own host to the private address', async () => {
    const url = await resultUrl('redirect-private');
    expect(url.startsWith(`${gateway.filesUrl}/`)).toBe(true);
    const res = await rawRequest(url);
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/files\/portrait\.mp4$/);
  });

  it('serves oversized as 50 MiB of zeros labelled video/mp4, with a Content-Length', async () => {
    const url = await resultUrl('oversized');
    const head = await rawRequest(url, { method: 'HEAD' });
    expect(head.headers['content-length']).toBe(String(OVERSIZED_BYTES));
    const res = await rawRequest(url, { maxBytes: 1024 * 1024 });
    expect(res.ending).toBe('limit');
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.headers['content-length']).toBe('52428800');
    expect(res.body.every((byte) => byte === 0)).toBe(true);
    expect((await rawRequest(url)).body.length).toBe(OVERSIZED_BYTES);
  });

  it('serves not-video as text labelled video/mp4, and wrong-type as a real MP4 labelled text/html', async () => {
    const text = await rawRequest(await resultUrl('not-video'));
    expect(text.headers['content-type']).toBe('video/mp4');
    expect(text.text).toContain('This is not a video');
    await expect(probe(text.body)).rejects.toThrow();

    const mp4 = await rawRequest(await resultUrl('wrong-type'));
    expect(mp4.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(await probe(mp4.body)).toMatchObject({ width: 720, height: 1280, codec: 'h264' });
  });

  it('serves drip as the whole MP4 announced, then sent one byte at a time', async () => {
    const url = await resultUrl('drip');
    const whole = await rawRequest(`${gateway.filesUrl}/portrait.mp4`);
    const res = await rawRequest(url, { maxBytes: 2 });
    expect(res.ending).toBe('limit');
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.headers['content-length']).toBe(String(whole.body.length));
    expect(res.body).toEqual(whole.body.subarray(0, 2));
  });

  it('serves fixed names for downloader tests and 404 for anything else', async () => {
    const still = await rawRequest(`${gateway.filesUrl}/landscape.jpg`);
    expect(still.headers['content-type']).toBe('image/jpeg');
    expect(await probe(still.body)).toMatchObject({ width: 1280, height: 720, codec: 'mjpeg' });
    const missing = await rawRequest(`${gateway.filesUrl}/nothing-here.mp4`);
    expect([missing.status, missing.text]).toEqual([404, '{"detail":"Not Found"}']);
  });

  it('binds to loopback only', async () => {
    await expect(startFakeGateway({ host: '0.0.0.0' })).rejects.toThrow(/loopback only/);
  });
});

import { FakeGateway, startFakeGateway } from './fake-gateway';
import { postJson, rawRequest, RawResponse } from './raw-http';
import { VideosDialectName } from './videos-api';

// Helpers of the `/v1/videos` dialect specs (videos-*.e2e-spec.ts): raw bytes, no client library.

/** How long a job runs in these tests. */
export const DURATION = 400;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const json = <T = Record<string, unknown>>(res: RawResponse) => JSON.parse(res.text) as T;

/** Raw requests to `/v1/videos` as a client of any dialect would send them. */
export function client(gateway: FakeGateway) {
  const auth = { authorization: `Bearer ${gateway.apiKey}` };
  return {
    create: (body: unknown) => postJson(`${gateway.url}/videos`, body, gateway.apiKey),
    form: (fields: Record<string, string>) => {
      const boundary = '----dialect-test-boundary';
      const body = [
        ...Object.entries(fields).map(
          ([name, value]) =>
            `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        ),
        `--${boundary}--\r\n`,
      ].join('');
      const headers = { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` };
      return rawRequest(`${gateway.url}/videos`, { method: 'POST', headers, body });
    },
    urlencoded: (fields: Record<string, string>) =>
      rawRequest(`${gateway.url}/videos`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      }),
    get: (path: string, headers: Record<string, string> = auth) =>
      rawRequest(`${gateway.url}/videos${path}`, { headers }),
  };
}

/** Every status and progress a poller sees until the job ends (or `untilMs` passes). */
export async function watch(
  get: (path: string) => Promise<RawResponse>,
  id: string,
  untilMs = DURATION * 2,
): Promise<{ status: string; progress: number }[]> {
  const seen: { status: string; progress: number }[] = [];
  const deadline = Date.now() + untilMs;
  for (;;) {
    const { status, progress } = json<{ status: string; progress: number }>(await get(`/${id}`));
    seen.push({ status, progress });
    if (status === 'completed' || status === 'failed' || Date.now() > deadline) return seen;
    await sleep(15);
  }
}

/** A gateway speaking `videosDialect` for the enclosing describe, and a client for it. */
export function gatewayFor(videosDialect: VideosDialectName): () => ReturnType<typeof client> {
  let gateway: FakeGateway;
  beforeAll(async () => {
    gateway = await startFakeGateway({ jobDurationMs: DURATION, videosDialect });
  });
  afterAll(() => gateway.close());
  return () => client(gateway);
}

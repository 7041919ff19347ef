import { ApiRoutes, ErrorCode, JobStatus } from '@vidgen/contracts';
import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { expectApiError } from './support/errors';
import { anonymous, bearerHeaders, withBearer } from './support/http';
import { documentCheck } from './support/openapi';
import { openSse, SseConnection } from './support/sse';
import { createUser, CreatedUser } from './support/users';
import { createVideo, eventually, waitForJob } from './support/videos';

jest.setTimeout(120_000);

const METRICS = '/api/metrics';
const TOKEN = 'a-metrics-token-for-the-e2e-suite';

let api: TestApp;
let alice: CreatedUser;
const open: SseConnection[] = [];

beforeAll(async () => {
  api = await startApp({ METRICS_ENABLED: 'true' });
  // The document this file's requests are checked against: the one that has the route.
  await documentCheck(api.url);
  alice = await createUser(api);
});

afterEach(() => open.splice(0).forEach((stream) => stream.close()));

afterAll(() => api?.close());

/** Samples by series, `name{labels}` as written, e.g. `vidgen_jobs{state="queued"}`. */
type Samples = Map<string, number>;

const COMMENT = /^# (HELP|TYPE) [a-zA-Z_:][\w:]* .+$/;
const SAMPLE =
  /^([a-zA-Z_:][\w:]*(?:\{[a-zA-Z_]\w*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_]\w*="(?:[^"\\]|\\.)*")*\})?) (\S+)$/;

/** Reads the Prometheus text format, failing on any line that is neither a comment nor a sample. */
function parse(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || COMMENT.test(line)) continue;
    const sample = SAMPLE.exec(line);
    // Go's float syntax, as Prometheus reads it: NaN in any case (prom-client writes Nan), ±Inf.
    const value = Number(sample?.[2].replace(/^([+-]?)Inf$/, '$1Infinity'));
    if (!sample || (Number.isNaN(value) && !/^nan$/i.test(sample[2]))) {
      throw new Error(`not a line of the Prometheus text format: ${JSON.stringify(line)}`);
    }
    samples.set(sample[1], value);
  }
  return samples;
}

async function scrape(on: TestApp = api): Promise<Samples> {
  const response = await anonymous(on).get(METRICS).expect(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(response.text);
}

describe('GET /api/metrics', () => {
  it('answers the Prometheus text format: jobs by state, queue depth, streams, process metrics', async () => {
    const samples = await scrape();

    for (const state of Object.values(JobStatus)) {
      expect(samples.get(`vidgen_jobs{state="${state}"}`)).toEqual(expect.any(Number));
    }
    expect(samples.get('vidgen_queue_depth')).toBe(0);
    expect(samples.get('vidgen_sse_streams_open')).toBe(0);
    expect(samples.get('process_cpu_seconds_total')).toEqual(expect.any(Number));
  });

  it('counts a finished job in the database and in the duration histogram of its provider', async () => {
    const series = 'vidgen_job_duration_seconds_count{provider="local",outcome="succeeded"}';
    const before = await scrape();
    const created = await createVideo(api, alice);
    const job = await waitForJob(api, alice, created.job.id);
    expect(job.status).toBe(JobStatus.Succeeded);

    // Observed as the run ends, just after the job's row says so.
    const after = await eventually(async () => {
      const samples = await scrape();
      expect(samples.get(series)).toBe((before.get(series) ?? 0) + 1);
      return samples;
    });
    expect(after.get('vidgen_jobs{state="succeeded"}')).toBe(
      (before.get('vidgen_jobs{state="succeeded"}') ?? 0) + 1,
    );
    expect(
      after.get('vidgen_job_duration_seconds_sum{provider="local",outcome="succeeded"}'),
    ).toBeGreaterThan(0);
  });

  it('shows an open event stream while it is open, and no longer once it is closed', async () => {
    const stream = await openSse(api, ApiRoutes.jobsStream, bearerHeaders(alice));
    open.push(stream);
    expect(stream.status).toBe(200);
    await eventually(async () => expect((await scrape()).get('vidgen_sse_streams_open')).toBe(1));

    stream.close();
    await eventually(async () => expect((await scrape()).get('vidgen_sse_streams_open')).toBe(0));
  });

  it('times HTTP answers by route pattern and status class, never by the URL sent', async () => {
    const created = await createVideo(api, alice);
    await withBearer(api, alice).get(ApiRoutes.video(created.video.id)).expect(200);
    await withBearer(api, alice)
      .get(ApiRoutes.video('00000000-4000-8000-8000-000000000000'))
      .expect(404);

    const samples = await scrape();
    const series = [...samples.keys()].filter((key) =>
      key.startsWith('vidgen_http_request_duration_seconds_count'),
    );
    expect(series).toEqual(
      expect.arrayContaining([
        'vidgen_http_request_duration_seconds_count{method="GET",route="/api/videos/:id",status="2xx"}',
        'vidgen_http_request_duration_seconds_count{method="GET",route="/api/videos/:id",status="4xx"}',
        'vidgen_http_request_duration_seconds_count{method="POST",route="/api/videos",status="2xx"}',
      ]),
    );
    expect(series.filter((key) => key.includes(created.video.id))).toEqual([]);
    await withBearer(api, alice).post(ApiRoutes.jobCancel(created.job.id));
  });

  it('is in the OpenAPI document, as text', async () => {
    const check = await documentCheck(api.url);
    const operation = check.route('GET', METRICS)?.operation;
    expect(Object.keys(operation?.responses['200'].content ?? {})).toEqual(['text/plain']);
  });
});

describe('GET /api/metrics with METRICS_TOKEN', () => {
  let guarded: TestApp;

  beforeAll(async () => {
    guarded = await startApp({ METRICS_ENABLED: 'true', METRICS_TOKEN: TOKEN });
  });

  afterAll(() => guarded?.close());

  it('answers only the Bearer token; anything else gets 401 in the error shape', async () => {
    expectApiError(await anonymous(guarded).get(METRICS), 401, ErrorCode.Unauthenticated);
    expectApiError(
      await anonymous(guarded).get(METRICS).set('Authorization', `Bearer ${TOKEN}-wrong`),
      401,
      ErrorCode.Unauthenticated,
    );
    // A user's session is not the metrics token.
    const bob = await createUser(guarded);
    expectApiError(await withBearer(guarded, bob).get(METRICS), 401, ErrorCode.Unauthenticated);

    const response = await anonymous(guarded)
      .get(METRICS)
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(200);
    expect(parse(response.text).get('vidgen_queue_depth')).toBe(0);
  });
});

describe('GET /api/metrics with metrics off (the default)', () => {
  let off: TestApp;

  beforeAll(async () => {
    off = await startApp();
  });

  afterAll(() => off?.close());

  it('answers 404 like any unknown path', async () => {
    // Not through the document check: this file's document comes from an app with metrics on.
    const response = await request(off.url).get(METRICS);
    expectApiError(response, 404, ErrorCode.NotFound);
    const unknown = await request(off.url).get('/api/no-such-thing');
    expect(response.body.message).toBe(unknown.body.message);
  });
});

import { JobStatus, VideoStatus } from '@vidgen/contracts';
import { FakeGateway, startFakeGateway } from './fake-gateway/fake-gateway';
import { startApp, TestApp } from './support/app';
import { createUser, CreatedUser } from './support/users';
import { createVideo, getVideo, waitForJob } from './support/videos';

jest.setTimeout(120_000);

// Refusals whose meaning is in the gateway's words (the fake's error-bodies scenarios, written
// from section C of the upstream protocols page), through the API on both upstream providers:
// each fails its job at once with a code and a sentence that says why, never after retries.
let gateway: FakeGateway;

beforeAll(async () => {
  gateway = await startFakeGateway({ progressIntervalMs: 50, jobDurationMs: 400 });
});

afterAll(async () => {
  await gateway?.close();
});

const MODEL_SETTINGS =
  'the model settings (VIDEO_MODEL_PORTRAIT, VIDEO_MODEL_LANDSCAPE, VIDEO_MODEL_TEMPLATE or VIDEO_MODEL)';

/** The job's code and sentence for each refusal, given the model the provider sent. */
const REFUSALS: Array<[string, string, (model: string) => RegExp | string]> = [
  [
    'quota-403',
    'UPSTREAM_QUOTA',
    () =>
      'The account on the video service has run out of credit (HTTP 403: 用户额度不足, 剩余额度: ＄0.000000). ' +
      'Top it up there, or set VIDEO_API_KEY to a key with credit.',
  ],
  [
    'ip-blocked-500',
    'UPSTREAM_LOCATION_BLOCKED',
    () =>
      'The video service refuses requests from this location (HTTP 500: 请求错误: 请求失败: 403 - 您的IP被拦截，请稍后再试或更换代理): ' +
      'the IP address or region of this server, or of the gateway towards its own provider, is blocked. ' +
      'It must be reached from another network or region.',
  ],
  [
    'no-token-500',
    'UPSTREAM_NO_ACCOUNT',
    (model) =>
      `The video service has no account free to make the video (HTTP 500: 没有可用Token: ${model}): ` +
      'its accounts are busy, cooling down or used up. Try again later; if it keeps happening, the service needs more accounts.',
  ],
  [
    'invalid-model-500',
    'UPSTREAM_MODEL_NOT_OFFERED',
    (model) =>
      `The video service does not offer this model (HTTP 500: 400: Invalid model: ${model}). ` +
      `Set ${MODEL_SETTINGS} to a model it serves.`,
  ],
  [
    'no-channel-503',
    'UPSTREAM_MODEL_NOT_OFFERED',
    (model) =>
      new RegExp(
        `^The video service has no channel serving this model \\(HTTP 503: 分组 default 下模型 ${model} 无可用渠道（distributor） \\(request id: \\w+\\)\\): ` +
          `its administrator must enable one, or ${escape(MODEL_SETTINGS)} must name a model it serves\\.$`,
      ),
  ],
  [
    'forbidden-403',
    'UPSTREAM_FORBIDDEN',
    () => 'The video service refused the request (HTTP 403: Forbidden).',
  ],
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe.each([
  ['chat-stream', '/v1/chat/completions', 'sora2-portrait-15s'],
  ['openai-videos', '/v1/videos', 'sora-2'],
])('%s', (provider, path, model) => {
  let api: TestApp;
  let alice: CreatedUser;

  beforeAll(async () => {
    api = await startApp({
      VIDEO_PROVIDER: provider,
      VIDEO_API_BASE_URL: gateway.url,
      VIDEO_API_KEY: gateway.apiKey,
    });
    alice = await createUser(api);
  });

  afterAll(() => api?.close());

  async function generate(prompt: string) {
    const created = await createVideo(api, alice, { prompt, durationSeconds: undefined });
    const job = await waitForJob(api, alice, created.job.id);
    return { job, video: await getVideo(api, alice, created.video.id) };
  }

  const sent = (prompt: string) =>
    gateway.requests.filter(
      (r) => r.method === 'POST' && r.path === path && JSON.stringify(r.body).includes(prompt),
    );

  it.each(REFUSALS)(
    'fails a [scenario:%s] job at once with %s and a sentence that says why',
    async (scenario, code, sentence) => {
      const prompt = `A lighthouse in fog [scenario:${scenario}]`;
      const { job, video } = await generate(prompt);

      expect(job.status).toBe(JobStatus.Failed);
      const expected = sentence(model);
      expect(job.error).toEqual({
        code,
        message: typeof expected === 'string' ? expected : expect.stringMatching(expected),
      });
      expect(video).toMatchObject({ status: VideoStatus.Failed, error: job.error });
      expect(sent(prompt)).toHaveLength(1);
    },
  );
});

describe('a job whose content download fails at the gateway', () => {
  it('keeps the gateway’s reason in the job’s sentence', async () => {
    const api = await startApp({
      VIDEO_PROVIDER: 'openai-videos',
      VIDEO_API_BASE_URL: gateway.url,
      VIDEO_API_KEY: gateway.apiKey,
      UPSTREAM_POLL_INTERVAL_SECONDS: '1',
    });
    try {
      const alice = await createUser(api);
      const created = await createVideo(api, alice, {
        prompt: 'A harbour at dusk [scenario:content-502]',
        durationSeconds: undefined,
      });
      const job = await waitForJob(api, alice, created.job.id);

      expect(job.status).toBe(JobStatus.Failed);
      expect(job.error).toEqual({
        code: 'DOWNLOAD_FAILED',
        message: `The video link answered HTTP 502 from ${new URL(gateway.url).host} (Upstream service returned status 404); the video could not be downloaded.`,
      });
    } finally {
      await api.close();
    }
  });
});

import { JobStatus, VideoStatus } from '@vidgen/contracts';
import { FakeGateway, startFakeGateway } from './fake-gateway/fake-gateway';
import { startApp, TestApp } from './support/app';
import { workFolders } from './support/media';
import { createUser } from './support/users';
import { createVideo, eventually, getVideo, waitForJob } from './support/videos';

jest.setTimeout(60_000);

// The fake gateway's `drip` result sends one byte a second: never idle long enough for
// UPSTREAM_IDLE_TIMEOUT_SECONDS, and it would hold the job until JOB_TIMEOUT_SECONDS.
let gateway: FakeGateway;

beforeAll(async () => {
  gateway = await startFakeGateway({ progressIntervalMs: 20, jobDurationMs: 200 });
});

afterAll(() => gateway?.close());

describe.each([
  ['chat-stream', undefined],
  ['openai-videos', 4],
])('a result download with %s that drips', (provider, durationSeconds) => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startApp({
      VIDEO_PROVIDER: provider,
      VIDEO_API_BASE_URL: gateway.url,
      VIDEO_API_KEY: gateway.apiKey,
      UPSTREAM_IDLE_TIMEOUT_SECONDS: '10',
      DOWNLOAD_TIMEOUT_SECONDS: '3',
      JOB_TIMEOUT_SECONDS: '600',
    });
  });

  afterAll(() => api?.close());

  it('fails the job at DOWNLOAD_TIMEOUT_SECONDS with DOWNLOAD_TOO_SLOW and a sentence', async () => {
    const alice = await createUser(api);
    const created = await createVideo(api, alice, {
      prompt: 'A lighthouse sent a byte at a time [scenario:drip]',
      durationSeconds,
    });

    // Generous for a loaded machine, far below the job timeout the drip ran into before.
    const job = await waitForJob(api, alice, created.job.id, undefined, 30_000);

    expect(job).toMatchObject({
      status: JobStatus.Failed,
      error: {
        code: 'DOWNLOAD_TOO_SLOW',
        message:
          'The video download did not finish within 3 seconds (DOWNLOAD_TIMEOUT_SECONDS): the upstream sent the file too slowly.',
      },
    });
    expect(await getVideo(api, alice, created.video.id)).toMatchObject({
      status: VideoStatus.Failed,
      error: job.error,
      contentUrl: null,
    });
    await eventually(async () => expect(await workFolders(api)).toEqual([]));
  });
});

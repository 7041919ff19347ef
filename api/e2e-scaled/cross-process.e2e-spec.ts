import {
  ApiRoutes,
  ErrorCode,
  JobEventData,
  JobEventType,
  JobStatus,
  VideoStatus,
} from '@vidgen/contracts';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { expectApiError } from '../e2e/support/errors';
import { anonymous, bearerHeaders, withBearer } from '../e2e/support/http';
import {
  FakeFfmpeg,
  ffprobeBytes,
  filesIn,
  processesIn,
  storedFilesOf,
  storedNamesOf,
} from '../e2e/support/media';
import { waitUntil } from '../e2e/support/processes';
import { WebhookReceiver } from '../e2e/support/webhook-receiver';
import { createWebhook, newestDelivery, verified } from '../e2e/support/webhooks';
import { eventData, openSse, SseConnection, SseEvent } from '../e2e/support/sse';
import { uniqueEmail, uniquePassword } from '../e2e/support/users';
import {
  asBytes,
  bytesOf,
  createVideo,
  eventually,
  getJob,
  getVideo,
  postVideo,
  SHORT_CLIP,
  waitForJob,
} from '../e2e/support/videos';
import { clientAddress, signUp } from './support/clients';
import { ApiProcess, Cluster } from './support/cluster';
import { HANG_FIRST, scaledFfmpeg } from './support/renders';

jest.setTimeout(120_000);

const AUTH_LIMIT = 5;
const ACTIVE_JOBS_CAP = 2;

let ffmpeg: FakeFfmpeg;
let cluster: Cluster;
let api1: ApiProcess;
let api2: ApiProcess;
const streams: SseConnection[] = [];

beforeAll(async () => {
  ffmpeg = await scaledFfmpeg();
  cluster = await Cluster.start({
    label: 'cross-process',
    env: {
      FFMPEG_PATH: ffmpeg.path,
      // This test is the proxy: each simulated client comes from an address of its own.
      TRUST_PROXY: '1',
      AUTH_RATE_LIMIT_PER_MINUTE: String(AUTH_LIMIT),
      MAX_ACTIVE_JOBS_PER_USER: String(ACTIVE_JOBS_CAP),
      // The webhook receiver of this test listens on 127.0.0.1.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    },
  });
  [api1, api2] = cluster.apis;
}, 120_000);

afterEach(() => streams.splice(0).forEach((stream) => stream.close()));

afterAll(async () => {
  await cluster?.close();
  await ffmpeg?.remove();
});

async function stream(api: ApiProcess, path: string, headers: Record<string, string>) {
  const connection = await openSse(api, path, headers);
  streams.push(connection);
  expect(connection.status).toBe(200);
  return connection;
}

const ofJob =
  (jobId: string, type?: JobEventType) =>
  (event: SseEvent): boolean =>
    (type === undefined || event.event === type) &&
    event.event !== 'ping' &&
    eventData<JobEventData>(event).job.id === jobId;

describe('two API processes and two workers on one database and one Redis', () => {
  it('streams on API 2 the progress and the end of jobs created on API 1 and run by a worker, in both orientations', async () => {
    const alice = await signUp(api1);
    const library = await stream(api2, ApiRoutes.jobsStream, bearerHeaders(alice));

    const portrait = await createVideo(api1, alice, {
      prompt: 'A lighthouse at dusk, seen from the cliff path',
      orientation: 'portrait',
      durationSeconds: 3,
    });
    const landscape = await createVideo(api1, alice, {
      prompt: 'A lighthouse at dusk, seen from the sea',
      orientation: 'landscape',
      durationSeconds: 3,
    });
    const page = await stream(api2, ApiRoutes.jobStream(portrait.job.id), bearerHeaders(alice));

    for (const { job } of [portrait, landscape]) {
      await library.waitFor(ofJob(job.id, JobEventType.Succeeded), 90_000);
      const progress = library.events
        .filter(ofJob(job.id, JobEventType.Progress))
        .map((event) => eventData<JobEventData>(event).job.progress);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.some((percent) => percent > 0 && percent < 100)).toBe(true);
    }
    // The job's own stream: its snapshot first, its end last, then the stream closes.
    await page.waitForEnd(30_000);
    const pageEvents = page.jobEvents;
    expect(pageEvents[0].event).toBe(JobEventType.Snapshot);
    expect(pageEvents.at(-1)?.event).toBe(JobEventType.Succeeded);
    expect(eventData<JobEventData>(pageEvents.at(-1) as SseEvent).video).toMatchObject({
      id: portrait.video.id,
      status: VideoStatus.Ready,
    });

    const workerIds = cluster.workers.map((worker) => worker.workerId);
    for (const [{ video, job }, width, height] of [
      [portrait, 720, 1280],
      [landscape, 1280, 720],
    ] as const) {
      // Both APIs tell the same story, and a worker, never an API, ran it.
      const [seenOn1, seenOn2] = [
        await getJob(api1, alice, job.id),
        await getJob(api2, alice, job.id),
      ];
      expect(seenOn2).toEqual(seenOn1);
      expect(seenOn1).toMatchObject({ status: JobStatus.Succeeded, progress: 100, attempt: 1 });
      expect(workerIds).toContain((await cluster.jobRow(job.id)).worker_id);
      expect(await getVideo(api1, alice, video.id)).toMatchObject({
        status: VideoStatus.Ready,
        width,
        height,
      });

      const content = await asBytes(withBearer(api2, alice).get(ApiRoutes.videoContent(video.id)));
      expect(content.status).toBe(200);
      expect(await ffprobeBytes(bytesOf(content), 'mp4')).toMatchObject({
        width,
        height,
        codec: 'h264',
      });
    }
  });

  it('resumes on API 1, with Last-Event-ID, a stream cut on API 2: the events missed meanwhile come from Redis', async () => {
    const bob = await signUp(api1);
    const first = await stream(api2, ApiRoutes.jobsStream, bearerHeaders(bob));
    const created = await createVideo(api1, bob, { prompt: 'Ends while the stream is cut' });
    const queued = await first.waitFor(ofJob(created.job.id, JobEventType.Status), 10_000);
    first.close();
    await waitForJob(api1, bob, created.job.id);

    const resumed = await stream(api1, ApiRoutes.jobsStream, {
      ...bearerHeaders(bob),
      'Last-Event-ID': queued.id ?? '',
    });
    const ended = await resumed.waitFor(ofJob(created.job.id, JobEventType.Succeeded), 10_000);

    expect(eventData<JobEventData>(ended).video).toMatchObject({
      id: created.video.id,
      status: VideoStatus.Ready,
    });
    // Replayed, not a snapshot: running, then the end, each with an id after the one resumed from.
    const replayed = resumed.jobEvents;
    expect(replayed.map((event) => event.event)).toEqual([
      JobEventType.Status,
      JobEventType.Succeeded,
    ]);
    expect(eventData<JobEventData>(replayed[0]).job.status).toBe(JobStatus.Running);
    expect(replayed.every((event) => (event.id ?? '') !== queued.id)).toBe(true);
  });

  it('has a worker deliver the signed video.completed of a job created on API 1, logged on API 2', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const carol = await signUp(api1);
      const { webhook, secret } = await createWebhook(api1, carol, receiver.url('/hooks'));
      const created = await createVideo(api1, carol, { prompt: 'Told by a webhook' });

      const [request] = await receiver.waitFor('/hooks', 1, 90_000);
      const event = verified<{ id: string; status: string }>(secret, request);

      // API processes send no webhooks (their role has no dispatcher): a worker did.
      expect(event).toMatchObject({
        type: 'video.completed',
        data: { id: created.video.id, status: 'completed' },
      });
      const delivery = await newestDelivery(api2, carol, webhook.id, (d) => d.status !== 'pending');
      expect(delivery).toMatchObject({ status: 'succeeded', eventType: 'video.completed' });
      expect(delivery.attempts.map((attempt) => attempt.statusCode)).toEqual([204]);
      expect(request.headers['webhook-id']).toBe(delivery.id);
    } finally {
      await receiver.close();
    }
  });

  it('cancels on API 2 a job created on API 1 that a worker is rendering: the render stops, nothing is stored; a retry on API 1 runs to the end', async () => {
    const bob = await signUp(api1);
    const created = await createVideo(api1, bob, {
      prompt: `${HANG_FIRST} Cancelled from the other API ${randomUUID()}`,
    });
    const running = await cluster.waitForJobRow(
      created.job.id,
      (row) => row.status === JobStatus.Running,
    );
    const worker = cluster.workerWithId(running.worker_id);
    const workFolder = join(cluster.dataDir, 'work', `${created.job.id}-1`);
    await waitUntil(
      async () => (await processesIn(workFolder)).length > 0,
      () => `a render in ${workFolder}`,
      30_000,
    );
    const onApi1 = await stream(api1, ApiRoutes.jobStream(created.job.id), bearerHeaders(bob));

    const cancelled = await withBearer(api2, bob).post(ApiRoutes.jobCancel(created.job.id));

    expect(cancelled.status).toBe(200);
    expect(cancelled.body.job).toMatchObject({ status: JobStatus.Cancelled });
    await onApi1.waitFor(ofJob(created.job.id, JobEventType.Cancelled), 10_000);
    // The worker in another process stopped the render and cleared its folder, and lives on.
    await eventually(async () => expect(await processesIn(workFolder)).toEqual([]), 10_000);
    await eventually(
      async () =>
        expect(await filesIn(join(cluster.dataDir, 'work'))).not.toContain(`${created.job.id}-1`),
      10_000,
    );
    expect(worker.running).toBe(true);
    expect(await storedFilesOf(api1, bob.user.id, created.video.id)).toEqual([]);
    expect(await getVideo(api1, bob, created.video.id)).toMatchObject({
      status: VideoStatus.Cancelled,
      contentUrl: null,
    });

    const retried = await withBearer(api1, bob).post(ApiRoutes.jobRetry(created.job.id));

    expect(retried.status).toBe(202);
    const retry = retried.body.job as { id: string; attempt: number };
    expect(retry.attempt).toBe(2);
    expect(await waitForJob(api2, bob, retry.id)).toMatchObject({
      status: JobStatus.Succeeded,
      attempt: 2,
    });
    expect(await getVideo(api2, bob, created.video.id)).toMatchObject({
      status: VideoStatus.Ready,
      jobId: retry.id,
    });
    expect(await storedFilesOf(api1, bob.user.id, created.video.id)).toEqual(storedNamesOf(retry));
  });

  it('counts the logins of one client across both APIs (AUTH_RATE_LIMIT_PER_MINUTE)', async () => {
    const client = clientAddress();
    const logIn = (api: ApiProcess, address: string) =>
      anonymous(api)
        .post(ApiRoutes.login)
        .set('X-Forwarded-For', address)
        .send({ email: uniqueEmail(), password: uniquePassword() });

    for (let i = 0; i < AUTH_LIMIT; i++) {
      expect((await logIn(i % 2 === 0 ? api1 : api2, client)).status).toBe(401);
    }

    expectApiError(await logIn(api2, client), 429, ErrorCode.RateLimited);
    expectApiError(await logIn(api1, client), 429, ErrorCode.RateLimited);
    // Another client has a count of its own.
    expect((await logIn(api1, clientAddress())).status).toBe(401);
  });

  it('holds the active-job cap under simultaneous submits to both APIs (MAX_ACTIVE_JOBS_PER_USER)', async () => {
    const carol = await signUp(api1);

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postVideo(i % 2 === 0 ? api1 : api2, carol, {
          ...SHORT_CLIP,
          prompt: `Submitted at the same time, number ${i + 1}`,
        }),
      ),
    );

    const accepted = responses.filter((response) => response.status === 202);
    expect(accepted).toHaveLength(ACTIVE_JOBS_CAP);
    for (const refused of responses.filter((response) => response.status !== 202)) {
      expectApiError(refused, 429, ErrorCode.TooManyActiveJobs);
    }
    const rows = await cluster.db.select<{ id: string }>(
      'SELECT id FROM video_jobs WHERE user_id = ?',
      [carol.user.id],
    );
    expect(rows.map((row) => row.id).sort()).toEqual(
      accepted.map((response) => response.body.job.id).sort(),
    );
    for (const response of accepted) {
      expect(await waitForJob(api2, carol, response.body.job.id)).toMatchObject({
        status: JobStatus.Succeeded,
      });
    }
  });
});

import {
  ApiRoutes,
  HealthResponse,
  JobEventData,
  JobEventType,
  JobStatus,
} from '@vidgen/contracts';
import { bearerHeaders } from '../e2e/support/http';
import { eventData, openSse, SseConnection, SseEvent } from '../e2e/support/sse';
import { createUser } from '../e2e/support/users';
import { createVideo, eventually, getVideo, listVideos, waitForJob } from '../e2e/support/videos';
import { Cluster, PlatformProcess } from './support/cluster';
import { PrivateRedis } from './support/redis';

jest.setTimeout(180_000);

let redis: PrivateRedis;
let cluster: Cluster;
const streams: SseConnection[] = [];

beforeAll(async () => {
  // Its own redis-server: the outage must never reach the Redis others use.
  redis = await PrivateRedis.create();
  cluster = await Cluster.start({ label: 'redis-outage', workers: 1, redisUrl: redis.url });
}, 120_000);

afterAll(async () => {
  streams.splice(0).forEach((stream) => stream.close());
  await cluster?.close();
  await redis?.remove();
});

async function health(member: PlatformProcess): Promise<{ status: number; body: HealthResponse }> {
  const response = await fetch(`${member.url}${ApiRoutes.health}`);
  return { status: response.status, body: (await response.json()) as HealthResponse };
}

const succeeded =
  (jobId: string) =>
  (event: SseEvent): boolean =>
    event.event === JobEventType.Succeeded && eventData<JobEventData>(event).job.id === jobId;

describe('a Redis outage', () => {
  it('keeps reads and submissions answering, says so in the health check, and resumes without a restart: nothing accepted is lost', async () => {
    const [api1, api2] = cluster.apis;
    const alice = await createUser(api1);
    const before = await createVideo(api1, alice, { prompt: 'Made before the outage' });
    expect(await waitForJob(api2, alice, before.job.id)).toMatchObject({
      status: JobStatus.Succeeded,
    });
    const openedBefore = await openSse(api2, ApiRoutes.jobsStream, bearerHeaders(alice));
    streams.push(openedBefore);

    await redis.stop();

    for (const each of cluster.processes) {
      await eventually(
        async () =>
          expect(await health(each)).toEqual({
            status: 200,
            body: {
              status: 'degraded',
              checks: { database: 'ok', storage: 'ok', queue: 'error', events: 'error' },
            },
          }),
        15_000,
      );
    }
    expect((await listVideos(api2, alice)).map((video) => video.id)).toEqual([before.video.id]);
    expect(await getVideo(api1, alice, before.video.id)).toMatchObject({ id: before.video.id });
    // The row is the truth: the job is accepted, and runs once the queue is back.
    const during = await createVideo(api2, alice, { prompt: 'Accepted during the outage' });
    expect(during.job.status).toBe(JobStatus.Queued);
    expect((await listVideos(api1, alice)).map((video) => video.id)).toContain(during.video.id);
    expect(openedBefore.ended).toBe(false);

    await redis.start();

    for (const each of cluster.processes) {
      await eventually(async () => expect((await health(each)).body.status).toBe('ok'), 30_000);
    }
    expect(await waitForJob(api1, alice, during.job.id, undefined, 60_000)).toMatchObject({
      status: JobStatus.Succeeded,
      attempt: 1,
    });
    const openedAfter = await openSse(api2, ApiRoutes.jobsStream, bearerHeaders(alice));
    streams.push(openedAfter);
    const after = await createVideo(api1, alice, { prompt: 'Made after the outage' });
    await openedAfter.waitFor(succeeded(after.job.id), 60_000);
    expect(await waitForJob(api2, alice, after.job.id)).toMatchObject({
      status: JobStatus.Succeeded,
    });
    // The stream that was open all along saw it too.
    await openedBefore.waitFor(succeeded(after.job.id), 10_000);
  });
});

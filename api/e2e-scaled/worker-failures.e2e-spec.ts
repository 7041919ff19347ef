import { ApiRoutes, JobEventData, JobEventType, JobStatus, VideoStatus } from '@vidgen/contracts';
import { randomUUID } from 'node:crypto';
import { bearerHeaders, withBearer } from '../e2e/support/http';
import {
  FakeFfmpeg,
  ffprobeBytes,
  processesIn,
  storedFilesOf,
  storedNamesOf,
} from '../e2e/support/media';
import { waitUntil } from '../e2e/support/processes';
import { eventData, openSse, SseConnection, SseEvent } from '../e2e/support/sse';
import { createUser, CreatedUser } from '../e2e/support/users';
import { asBytes, bytesOf, createVideo, getJob, getVideo, waitForJob } from '../e2e/support/videos';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiProcess, Cluster } from './support/cluster';
import { JobRunSeen } from './support/job-rows';
import { HANG_FIRST, scaledFfmpeg, SLOW } from './support/renders';

jest.setTimeout(120_000);

const LEASE_SECONDS = 5;

let ffmpeg: FakeFfmpeg;
let cluster: Cluster;
let api1: ApiProcess;
let api2: ApiProcess;
const streams: SseConnection[] = [];

beforeAll(async () => {
  ffmpeg = await scaledFfmpeg();
  cluster = await Cluster.start({
    label: 'worker-failures',
    env: {
      FFMPEG_PATH: ffmpeg.path,
      JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      JOB_SHUTDOWN_GRACE_SECONDS: '1',
    },
  });
  [api1, api2] = cluster.apis;
}, 120_000);

// Each test leaves the two workers running on the cluster's own settings, as it found them.
afterEach(async () => {
  streams.splice(0).forEach((stream) => stream.close());
  for (const worker of cluster.workers.slice(0, 2)) {
    if (!worker.running) await cluster.restart(worker);
  }
});

afterAll(async () => {
  await cluster?.close();
  await ffmpeg?.remove();
});

/**
 * Waits until the first attempt's render hangs (HANG_FIRST: the script has marked the prompt as
 * seen and become `sleep`), so that it is that attempt, and not a later one, whose render hangs.
 */
async function renderHanging(jobId: string): Promise<void> {
  const workFolder = join(cluster.dataDir, 'work', `${jobId}-1`);
  const sleeping = async () => {
    for (const pid of await processesIn(workFolder)) {
      const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (command.startsWith('sleep')) return true;
    }
    return false;
  };
  await waitUntil(sleeping, () => `a hanging render in ${workFolder}`, 30_000);
}

/** Which attempt ran on which worker, in order. */
const history = (runs: JobRunSeen[]) =>
  runs.map(({ attempt, workerId }) => ({ attempt, workerId }));

/** The user's /api/jobs/stream on API 2, as their Library page holds it open. */
async function library(user: CreatedUser): Promise<SseConnection> {
  const stream = await openSse(api2, ApiRoutes.jobsStream, bearerHeaders(user));
  streams.push(stream);
  expect(stream.status).toBe(200);
  return stream;
}

const jobEvent =
  (jobId: string, type: JobEventType, status?: JobStatus) =>
  (event: SseEvent): boolean => {
    if (event.event !== type) return false;
    const { job } = eventData<JobEventData>(event);
    return job.id === jobId && (status === undefined || job.status === status);
  };

/** The user's jobs that are still waiting or running, straight from the database. */
function activeJobsOf(user: CreatedUser): Promise<unknown[]> {
  return cluster.db.select(
    'SELECT id, status FROM video_jobs WHERE user_id = ? AND status IN (?, ?)',
    [user.user.id, JobStatus.Queued, JobStatus.Running],
  );
}

describe('workers that die or stop mid-job', () => {
  it('kill -9 of the worker running a job: the other worker takes it over once the lease runs out, as attempt 2; one file pair, nothing left queued or running', async () => {
    const dave = await createUser(api1);
    const { video, job } = await createVideo(api1, dave, {
      prompt: `${HANG_FIRST} Rendering when its machine is lost ${randomUUID()}`,
    });
    const follow = cluster.follow(job.id);
    const first = await follow.run((run) => run.attempt === 1);
    await renderHanging(job.id);
    const victim = cluster.workerWithId(first.workerId);
    const survivor = cluster.workers.find((worker) => worker !== victim);

    await victim.kill();

    expect(await waitForJob(api2, dave, job.id)).toMatchObject({
      status: JobStatus.Succeeded,
      attempt: 2,
      progress: 100,
    });
    expect(history(follow.runs)).toEqual([
      { attempt: 1, workerId: victim.workerId },
      { attempt: 2, workerId: survivor?.workerId },
    ]);
    expect(await storedFilesOf(api1, dave.user.id, video.id)).toEqual(
      storedNamesOf({ id: job.id, attempt: 2 }),
    );
    expect(await activeJobsOf(dave)).toEqual([]);
    expect(await getVideo(api1, dave, video.id)).toMatchObject({ status: VideoStatus.Ready });
    const content = await asBytes(withBearer(api1, dave).get(ApiRoutes.videoContent(video.id)));
    expect(await ffprobeBytes(bytesOf(content), 'mp4')).toMatchObject({ width: 720, height: 1280 });
  });

  it('SIGTERM while a render outlasts the grace period: the worker exits promptly and hands the job back; the other worker runs it at once as attempt 2', async () => {
    const erin = await createUser(api1);
    const { video, job } = await createVideo(api1, erin, {
      prompt: `${HANG_FIRST} Rendering when its worker is stopped ${randomUUID()}`,
    });
    const follow = cluster.follow(job.id);
    const first = await follow.run((run) => run.attempt === 1);
    await renderHanging(job.id);
    const stopping = cluster.workerWithId(first.workerId);
    const other = cluster.workers.find((worker) => worker !== stopping);
    const page = await library(erin);
    const { lease_expires_at: leaseEnd } = await cluster.jobRow(job.id);
    const sentAt = Date.now();

    stopping.terminate();

    // The grace period (1 s), then the hand-back and the exit.
    expect((await stopping.exited).at - sentAt).toBeLessThan(5_000);
    const second = await follow.run((run) => run.attempt === 2, 10_000);
    expect(second.workerId).toBe(other?.workerId);
    // Handed back, not left for the lease to run out.
    expect(leaseEnd).not.toBeNull();
    expect(second.seenAt).toBeLessThan((leaseEnd as Date).getTime());
    expect(await follow.finished).toMatchObject({ status: JobStatus.Succeeded, attempt: 2 });
    // The page saw it go back to the queue, then end.
    await page.waitFor(jobEvent(job.id, JobEventType.Status, JobStatus.Queued), 5_000);
    await page.waitFor(jobEvent(job.id, JobEventType.Succeeded), 5_000);
    expect(history(follow.runs)).toEqual([
      { attempt: 1, workerId: stopping.workerId },
      { attempt: 2, workerId: other?.workerId },
    ]);
    expect(await storedFilesOf(api1, erin.user.id, video.id)).toEqual(
      storedNamesOf({ id: job.id, attempt: 2 }),
    );
    expect(await activeJobsOf(erin)).toEqual([]);
  });

  it('SIGTERM while a render fits in the grace period: the job ends on that worker (attempt 1), which takes no new job and exits after it', async () => {
    const [first, second] = cluster.workers;
    // One worker only, with a long grace period, so that the job surely runs there.
    await Promise.all([first.stop(), second.stop()]);
    const patient = await cluster.restart(first, { JOB_SHUTDOWN_GRACE_SECONDS: '60' });
    const frank = await createUser(api1);
    const slow = await createVideo(api1, frank, { prompt: `${SLOW} Finishing through a shutdown` });
    const follow = cluster.follow(slow.job.id);
    await follow.run((run) => run.attempt === 1);
    const page = await library(frank);

    patient.terminate();
    const later = await createVideo(api2, frank, { prompt: 'Submitted while the worker stops' });

    expect(await follow.finished).toMatchObject({ status: JobStatus.Succeeded, attempt: 1 });
    expect(history(follow.runs)).toEqual([{ attempt: 1, workerId: patient.workerId }]);
    // Its end, during the shutdown, still reaches the page.
    await page.waitFor(jobEvent(slow.job.id, JobEventType.Succeeded), 5_000);
    const finished = await getJob(api1, frank, slow.job.id);
    expect((await patient.exited).at).toBeGreaterThanOrEqual(Date.parse(finished.finishedAt ?? ''));
    expect(await storedFilesOf(api1, frank.user.id, slow.video.id)).toEqual(
      storedNamesOf({ id: slow.job.id, attempt: 1 }),
    );
    // Submitted after the SIGTERM: it waits for the next worker.
    expect(await getJob(api1, frank, later.job.id)).toMatchObject({
      status: JobStatus.Queued,
      attempt: 1,
    });
    await cluster.restart(second);
    expect(await waitForJob(api1, frank, later.job.id)).toMatchObject({
      status: JobStatus.Succeeded,
      attempt: 1,
    });
  });

  it('a worker that starts while another holds a live lease leaves that job alone: attempt 1 to the end', async () => {
    const gina = await createUser(api1);
    const { job } = await createVideo(api1, gina, {
      prompt: `${SLOW} Running through another worker's start`,
    });
    const follow = cluster.follow(job.id);
    const first = await follow.run((run) => run.attempt === 1);

    const third = await cluster.startWorker();
    const healthyAt = Date.now();

    const done = await follow.finished;
    expect(done).toMatchObject({ status: JobStatus.Succeeded, attempt: 1 });
    expect(history(follow.runs)).toEqual([{ attempt: 1, workerId: first.workerId }]);
    // The new worker swept the jobs at its start and again every half lease meanwhile.
    expect(done.seenAt - healthyAt).toBeGreaterThan((LEASE_SECONDS * 1000) / 2);
    expect(third.running).toBe(true);
    await third.stop();
  });
});

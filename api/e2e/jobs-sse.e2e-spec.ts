import { getDataSourceToken } from '@nestjs/typeorm';
import {
  ApiRoutes,
  ErrorCode,
  JobEventData,
  JobStatus,
  SESSION_COOKIE,
  VideoStatus,
} from '@vidgen/contracts';
import { DataSource } from 'typeorm';
import { SessionEntity } from '../src/auth/session.entity';
import { JWT_SECRET } from '../src/auth/sessions.service';
import { VideoJobEntity } from '../src/jobs/video-job.entity';
import { startApp, TestApp } from './support/app';
import { expectApiError } from './support/errors';
import { bearerHeaders, cookieHeaders, Session, withBearer } from './support/http';
import { FakeFfmpeg, HANG, scriptedFfmpeg } from './support/media';
import { eventData, openSse, SseConnection, SseEvent } from './support/sse';
import { decodeJwt, signJwt } from './support/tokens';
import { createUser, CreatedUser, logIn, uniquePassword } from './support/users';
import {
  cancelQuietly,
  createVideo,
  expectJobShape,
  expectVideoShape,
  getJob,
  waitForJob,
} from './support/videos';

jest.setTimeout(120_000);

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

let ffmpeg: FakeFfmpeg;
let api: TestApp;
let alice: CreatedUser;
const open: SseConnection[] = [];

beforeAll(async () => {
  ffmpeg = await scriptedFfmpeg();
  api = await startApp({
    FFMPEG_PATH: ffmpeg.path,
    JOB_CONCURRENCY: '2',
    SSE_HEARTBEAT_SECONDS: '1',
    MAX_ACTIVE_JOBS_PER_USER: '10',
  });
  alice = await createUser(api);
});

// Streams left open would keep the server from closing.
afterEach(() => open.splice(0).forEach((stream) => stream.close()));

afterAll(async () => {
  await api?.close();
  await ffmpeg?.remove();
});

async function stream(path: string, headers: Record<string, string>): Promise<SseConnection> {
  const connection = await openSse(api, path, headers);
  open.push(connection);
  return connection;
}

const data = (event: SseEvent) => eventData<JobEventData>(event);

const EVENT_ID = /^(\d+)-(\d+)$/;

/** An id as a number that orders like the ids: `<milliseconds>-<sequence>`. */
function positionOf(event: SseEvent): bigint {
  const [, ms, sequence] = EVENT_ID.exec(event.id ?? '') ?? [];
  if (ms === undefined) throw new Error(`Not an event id: ${event.id}`);
  return BigInt(ms) * 1_000_000n + BigInt(sequence);
}

/**
 * Every event, heartbeats included, carries a position in the user's events that never goes back;
 * each status and terminal event moves it on (snapshots and pings repeat the latest).
 */
function expectIncreasingIds(events: SseEvent[]) {
  const positions = events.map(positionOf);
  expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  const moves = events.filter((event) => ['status', ...TERMINAL].includes(event.event));
  expect(new Set(moves.map(positionOf)).size).toBe(moves.length);
}

describe('GET /api/jobs/:id/stream', () => {
  let jobId: string;

  it('sends snapshot first, then status and progress never going back, then one `succeeded` {job, video}, then ends', async () => {
    const created = await createVideo(api, alice, { prompt: 'Watched live', durationSeconds: 2 });
    jobId = created.job.id;
    const events = await stream(ApiRoutes.jobStream(jobId), bearerHeaders(alice));

    await events.waitForEnd(90_000);

    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(events.completed).toBe(true);
    expectIncreasingIds(events.events);
    const jobEvents = events.jobEvents;
    expect(jobEvents[0].event).toBe('snapshot');
    expect(data(jobEvents[0]).job.id).toBe(jobId);
    expectVideoShape(data(jobEvents[0]).video as never);
    expect(jobEvents.every((event) => data(event).job.id === jobId)).toBe(true);
    // Only the known event names; one terminal event, and it is the last of all.
    expect(
      jobEvents.every((event) =>
        ['snapshot', 'status', 'progress', ...TERMINAL].includes(event.event),
      ),
    ).toBe(true);
    expect(jobEvents.filter((event) => TERMINAL.includes(event.event))).toHaveLength(1);
    expect(events.events[events.events.length - 1].event).toBe('succeeded');
    const progress = jobEvents.map((event) => data(event).job.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(jobEvents.filter((event) => event.event === 'progress').length).toBeGreaterThan(0);
    // Running is seen in a status event, or already in the snapshot when the job started first.
    const statuses = jobEvents
      .filter((event) => ['snapshot', 'status'].includes(event.event))
      .map((e) => data(e).job.status);
    expect(statuses).toContain(JobStatus.Running);
    jobEvents.forEach((event) => expectJobShape(data(event).job));
    const last = data(jobEvents[jobEvents.length - 1]);
    expect(last.job).toMatchObject({ id: jobId, status: JobStatus.Succeeded, progress: 100 });
    expectVideoShape(last.video as never);
    expect(last.video).toMatchObject({
      id: created.video.id,
      status: VideoStatus.Ready,
      width: 720,
      height: 1280,
    });
    expect(last.video?.contentUrl).toBe(ApiRoutes.videoContent(created.video.id));
  });

  it('on a finished job sends the snapshot and the terminal event, then ends', async () => {
    const events = await stream(ApiRoutes.jobStream(jobId), bearerHeaders(alice));

    await events.waitForEnd(10_000);

    const [snapshot] = events.events;
    expect(events.events.map((event) => [event.id, event.event])).toEqual([
      [snapshot.id, 'snapshot'],
      [snapshot.id, 'succeeded'],
    ]);
    expect(snapshot.id).toMatch(EVENT_ID);
    expect(data(events.events[0]).job.status).toBe(JobStatus.Succeeded);
    expect(data(events.events[1])).toEqual(data(events.events[0]));
    expect(events.completed).toBe(true);
  });

  it('keeps progress from going back for streams opened mid-render', async () => {
    const { job } = await createVideo(api, alice, { prompt: 'Joined halfway', durationSeconds: 6 });
    const first = await stream(ApiRoutes.jobStream(job.id), bearerHeaders(alice));
    // Two more streams, opened as the first one sees the render go by (whatever the machine's speed).
    const late: SseConnection[] = [];
    for (const count of [1, 3]) {
      await first.waitForCount((event) => event.event === 'progress', count).catch(() => undefined);
      late.push(await stream(ApiRoutes.jobStream(job.id), bearerHeaders(alice)));
    }

    for (const events of [first, ...late]) {
      await events.waitForEnd(90_000);
      const progress = events.jobEvents.map((event) => data(event).job.progress);
      expect(events.jobEvents[0].event).toBe('snapshot');
      expect(events.jobEvents[events.jobEvents.length - 1].event).toBe('succeeded');
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    }
  });

  it('starts reads and streams opened mid-render where the live stream already is', async () => {
    // Progress is saved at most once a second; what was shown live must not be taken back.
    const { job } = await createVideo(api, alice, {
      prompt: 'Read mid-render',
      durationSeconds: 15,
    });
    const first = await stream(ApiRoutes.jobStream(job.id), bearerHeaders(alice));
    const isProgress = (event: SseEvent) => event.event === 'progress';
    let checked = 0;
    for (const count of [1, 2, 3, 4]) {
      const seen = await first.waitForCount(isProgress, count, 60_000).catch(() => null);
      if (!seen || first.ended) break;
      const shown = data(seen[seen.length - 1]).job.progress;
      const [read, late] = await Promise.all([
        getJob(api, alice, job.id),
        stream(ApiRoutes.jobStream(job.id), bearerHeaders(alice)),
      ]);
      const snapshot = await late.waitFor((event) => event.event === 'snapshot');
      if (read.status !== JobStatus.Running) break;
      expect(read.progress).toBeGreaterThanOrEqual(shown);
      expect(data(snapshot).job.progress).toBeGreaterThanOrEqual(shown);
      checked++;
    }

    expect(checked).toBeGreaterThan(0);
    await first.waitForEnd(90_000);
  });

  it('ends with `cancelled` when the job is cancelled', async () => {
    const { job } = await createVideo(api, alice, { prompt: `${HANG} cancelled while watched` });
    const events = await stream(ApiRoutes.jobStream(job.id), bearerHeaders(alice));
    await waitForJob(api, alice, job.id, [JobStatus.Running]);

    await withBearer(api, alice).post(ApiRoutes.jobCancel(job.id)).expect(200);
    await events.waitForEnd(10_000);

    const last = events.events[events.events.length - 1];
    expect(last.event).toBe('cancelled');
    expect(data(last).job.status).toBe(JobStatus.Cancelled);
    expect(data(last).video?.status).toBe(VideoStatus.Cancelled);
    expect(events.completed).toBe(true);
  });

  it('sends heartbeats (`ping` with an id) while a job is quiet, with SSE_HEARTBEAT_SECONDS=1', async () => {
    const { job } = await createVideo(api, alice, { prompt: `${HANG} quiet` });
    await waitForJob(api, alice, job.id, [JobStatus.Running]);
    const events = await stream(ApiRoutes.jobStream(job.id), bearerHeaders(alice));

    const pings = await events.waitForCount((event) => event.event === 'ping', 2, 5000);

    expect(events.events[0].event).toBe('snapshot');
    expect(eventData(pings[0])).toEqual({ at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expectIncreasingIds(events.events);
    await withBearer(api, alice).post(ApiRoutes.jobCancel(job.id)).expect(200);
  });

  it('works with the session cookie alone, as an EventSource sends it: no CSRF header needed', async () => {
    const events = await stream(
      ApiRoutes.jobStream(jobId),
      cookieHeaders(alice, { csrfToken: null }),
    );

    await events.waitForEnd(10_000);

    expect(events.status).toBe(200);
    expect(events.events.map((event) => event.event)).toEqual(['snapshot', 'succeeded']);
  });

  it('refuses a request without a session: 401 before any event', async () => {
    const events = await stream(ApiRoutes.jobStream(jobId), {});
    await events.waitForEnd(10_000);

    expectApiError(events.asResponse(), 401, ErrorCode.Unauthenticated);
    expect(events.events).toEqual([]);
  });
});

describe('GET /api/jobs/stream', () => {
  it('starts with a snapshot of each active job of the caller', async () => {
    const carol = await createUser(api);
    const { job } = await createVideo(api, carol, { prompt: `${HANG} already running` });
    await waitForJob(api, carol, job.id, [JobStatus.Running]);

    const events = await stream(ApiRoutes.jobsStream, bearerHeaders(carol));
    const first = await events.waitFor((event) => event.event !== 'ping', 5000);

    expect(first.event).toBe('snapshot');
    expect(data(first).job).toMatchObject({ id: job.id, status: JobStatus.Running });
    await withBearer(api, carol).post(ApiRoutes.jobCancel(job.id)).expect(200);
  });

  it('carries the events of the caller’s jobs, never another user’s, and stays open after a job ends', async () => {
    const carol = await createUser(api);
    const dave = await createUser(api);
    const ofCarol = await stream(ApiRoutes.jobsStream, bearerHeaders(carol));
    const ofDave = await stream(ApiRoutes.jobsStream, cookieHeaders(dave, { csrfToken: null }));
    expect([ofCarol.status, ofDave.status]).toEqual([200, 200]);

    const { job } = await createVideo(api, carol, { prompt: 'Seen on the list stream' });
    await ofCarol.waitFor(
      (event) => event.event === 'succeeded' && data(event).job.id === job.id,
      90_000,
    );
    const pingsSoFar = ofCarol.events.filter((event) => event.event === 'ping').length;
    await ofCarol.waitForCount((event) => event.event === 'ping', pingsSoFar + 1, 5000);

    const carols = ofCarol.jobEvents;
    expect(carols.every((event) => data(event).job.id === job.id)).toBe(true);
    expect(carols[0]).toMatchObject({ event: 'status' });
    expect(data(carols[0]).job.status).toBe(JobStatus.Queued);
    expect(carols.some((event) => event.event === 'progress')).toBe(true);
    expect(ofCarol.ended).toBe(false);
    expectIncreasingIds(ofCarol.events);
    // Dave's stream is alive (heartbeats) and carried nothing of Carol's.
    await ofDave.waitFor((event) => event.event === 'ping', 5000);
    expect(ofDave.jobEvents).toEqual([]);
  });
});

describe('GET /api/jobs/stream resumed with Last-Event-ID', () => {
  const resuming = (session: CreatedUser, lastEventId: string) => ({
    ...bearerHeaders(session),
    'Last-Event-ID': lastEventId,
  });

  it('replays what the client missed: a job that ended meanwhile arrives as its own events', async () => {
    const erin = await createUser(api);
    const first = await stream(ApiRoutes.jobsStream, bearerHeaders(erin));
    const created = await createVideo(api, erin, { prompt: 'Ends while away', durationSeconds: 2 });
    const queued = await first.waitFor((event) => event.event === 'status', 10_000);
    expect(data(queued).job).toMatchObject({ id: created.job.id, status: JobStatus.Queued });
    first.close();
    await waitForJob(api, erin, created.job.id);

    const resumed = await stream(ApiRoutes.jobsStream, resuming(erin, queued.id ?? ''));
    const ended = await resumed.waitFor((event) => event.event === 'succeeded', 10_000);

    expect(resumed.status).toBe(200);
    expect(data(ended).job).toMatchObject({ id: created.job.id, status: JobStatus.Succeeded });
    expect(data(ended).video).toMatchObject({ id: created.video.id, status: VideoStatus.Ready });
    // What came after the id resumed from, and only that: running, then the end.
    const replayed = resumed.jobEvents;
    expect(replayed.map((event) => [event.event, data(event).job.status])).toEqual([
      ['status', JobStatus.Running],
      ['succeeded', JobStatus.Succeeded],
    ]);
    expect(replayed.every((event) => positionOf(event) > positionOf(queued))).toBe(true);
    expectIncreasingIds(resumed.events);
    // The stream goes on live after the replay.
    const next = await createVideo(api, erin, { prompt: 'After the replay' });
    await resumed.waitFor(
      (event) => event.event === 'succeeded' && data(event).job.id === next.job.id,
      90_000,
    );
  });

  it('starts with snapshots of the active jobs and of those ended since, when the gap is older than what is kept', async () => {
    const frank = await createUser(api);
    const longAgo = `${Date.now() - 10 * 60_000}-0`;
    const endedLongAgo = await createVideo(api, frank, { prompt: 'Ended long ago' });
    await waitForJob(api, frank, endedLongAgo.job.id);
    await api.app
      .get<DataSource>(getDataSourceToken())
      .getRepository(VideoJobEntity)
      .update(endedLongAgo.job.id, { finishedAt: new Date(Date.now() - 3_600_000) });
    const ended = await createVideo(api, frank, { prompt: 'Ended since' });
    await waitForJob(api, frank, ended.job.id);
    const running = await createVideo(api, frank, { prompt: `${HANG} still running` });
    await waitForJob(api, frank, running.job.id, [JobStatus.Running]);

    const resumed = await stream(ApiRoutes.jobsStream, resuming(frank, longAgo));
    await resumed.waitForCount((event) => event.event === 'snapshot', 2, 10_000);
    await resumed.waitFor((event) => event.event === 'ping', 5000);

    // The running job may report progress meanwhile; the snapshots come first.
    const snapshots = resumed.jobEvents.filter((event) => event.event === 'snapshot');
    expect(resumed.jobEvents.slice(0, 2)).toEqual(snapshots);
    expect(snapshots.map((event) => data(event).job.id)).toEqual([ended.job.id, running.job.id]);
    expect(data(snapshots[0]).video).toMatchObject({ status: VideoStatus.Ready });
    expect(data(snapshots[1]).job.status).toBe(JobStatus.Running);
    expectIncreasingIds(resumed.events);
    await withBearer(api, frank).post(ApiRoutes.jobCancel(running.job.id)).expect(200);
  });

  it('treats a Last-Event-ID that is not one of its ids as absent: snapshots of the active jobs', async () => {
    const gina = await createUser(api);
    const ended = await createVideo(api, gina, { prompt: 'Ended before' });
    await waitForJob(api, gina, ended.job.id);
    const running = await createVideo(api, gina, { prompt: `${HANG} running` });
    await waitForJob(api, gina, running.job.id, [JobStatus.Running]);

    for (const lastEventId of ['17', 'not-an-id', '1-2-3', `${'9'.repeat(40)}-0`]) {
      const resumed = await stream(ApiRoutes.jobsStream, resuming(gina, lastEventId));
      await resumed.waitFor((event) => event.event === 'ping', 5000);

      expect(resumed.status).toBe(200);
      const snapshots = resumed.jobEvents.filter((event) => event.event === 'snapshot');
      expect(resumed.jobEvents[0]).toBe(snapshots[0]);
      expect(snapshots.map((event) => data(event).job.id)).toEqual([running.job.id]);
      resumed.close();
    }
    await withBearer(api, gina).post(ApiRoutes.jobCancel(running.job.id)).expect(200);
  });
});

describe('streams end with their session, within a heartbeat', () => {
  /** Both kinds of stream of one session (all jobs, and one job), each past a first heartbeat. */
  async function watch(session: Session, jobId: string): Promise<SseConnection[]> {
    const streams = [
      await stream(ApiRoutes.jobsStream, bearerHeaders(session)),
      await stream(ApiRoutes.jobStream(jobId), cookieHeaders(session, { csrfToken: null })),
    ];
    for (const events of streams) await events.waitFor((event) => event.event === 'ping', 10_000);
    return streams;
  }

  /** Completed by the server, with nothing after the last heartbeat: no job had finished. */
  async function expectEnded(events: SseConnection): Promise<void> {
    await events.waitForEnd(15_000);
    expect(events.completed).toBe(true);
    expect(events.jobEvents.some((event) => TERMINAL.includes(event.event))).toBe(false);
  }

  /** Still open after two more heartbeats, each of which re-checked the session. */
  async function expectLasts(events: SseConnection): Promise<void> {
    const isPing = (event: SseEvent) => event.event === 'ping';
    await events.waitForCount(isPing, events.events.filter(isPing).length + 2, 15_000);
    expect(events.ended).toBe(false);
  }

  async function hangingJob(owner: CreatedUser): Promise<string> {
    const { job } = await createVideo(api, owner, { prompt: `${HANG} watched by sessions` });
    return job.id;
  }

  it('ends the streams of a session at its logout (reconnecting gets 401); another session keeps its own', async () => {
    const bob = await createUser(api);
    const otherDevice = await logIn(api, bob.email, bob.password);
    const jobId = await hangingJob(bob);
    const ending = await watch(bob, jobId);
    const lasting = await watch(otherDevice, jobId);

    await withBearer(api, bob).post(ApiRoutes.logout).expect(204);

    for (const events of ending) await expectEnded(events);
    for (const events of lasting) await expectLasts(events);
    const again = await stream(ApiRoutes.jobsStream, bearerHeaders(bob));
    await again.waitForEnd(10_000);
    expectApiError(again.asResponse(), 401, ErrorCode.Unauthenticated);
    await cancelQuietly(api, otherDevice, jobId);
  });

  it('ends the streams of the other sessions at a password change; the changing session keeps its own', async () => {
    const bob = await createUser(api);
    const otherDevice = await logIn(api, bob.email, bob.password);
    const jobId = await hangingJob(bob);
    const ending = await watch(otherDevice, jobId);
    const lasting = await watch(bob, jobId);

    await withBearer(api, bob)
      .post(ApiRoutes.changePassword)
      .send({ currentPassword: bob.password, newPassword: uniquePassword() })
      .expect(204);

    for (const events of ending) await expectEnded(events);
    for (const events of lasting) await expectLasts(events);
    await cancelQuietly(api, bob, jobId);
  });

  it('ends the streams of a deleted account; other users keep theirs', async () => {
    const bob = await createUser(api);
    const carol = await createUser(api);
    const ofBob = await stream(ApiRoutes.jobsStream, cookieHeaders(bob, { csrfToken: null }));
    const ofCarol = await stream(ApiRoutes.jobsStream, bearerHeaders(carol));
    await ofBob.waitFor((event) => event.event === 'ping', 10_000);

    await withBearer(api, bob)
      .delete(ApiRoutes.profile)
      .send({ password: bob.password })
      .expect(204);

    await expectEnded(ofBob);
    await expectLasts(ofCarol);
  });

  it('ends the streams of a session that has expired; another session keeps its own', async () => {
    const bob = await createUser(api);
    const otherDevice = await logIn(api, bob.email, bob.password);
    const jobId = await hangingJob(bob);
    const ending = await watch(bob, jobId);
    const lasting = await watch(otherDevice, jobId);

    // ACCESS_TOKEN_TTL_SECONDS is a minute at least: the session's end is moved forward instead.
    await api.app
      .get<DataSource>(getDataSourceToken())
      .getRepository(SessionEntity)
      .update(
        { id: String(decodeJwt(bob.accessToken).sid) },
        { expiresAt: new Date(Date.now() - 1000) },
      );

    for (const events of ending) await expectEnded(events);
    for (const events of lasting) await expectLasts(events);
    await cancelQuietly(api, otherDevice, jobId);
  });

  it('ends the streams opened with a token at its expiry, though its session lives on', async () => {
    const bob = await createUser(api);
    const jobId = await hangingJob(bob);
    const claims = decodeJwt(bob.accessToken);
    const now = Math.floor(Date.now() / 1000);
    const shortLived = signJwt({ ...claims, iat: now, exp: now + 5 }, api.app.get(JWT_SECRET));
    const ending = await watch(
      {
        ...bob,
        accessToken: shortLived,
        cookies: { ...bob.cookies, [SESSION_COOKIE]: shortLived },
      },
      jobId,
    );
    const lasting = await watch(bob, jobId);

    for (const events of ending) await expectEnded(events);
    for (const events of lasting) await expectLasts(events);
    await cancelQuietly(api, bob, jobId);
  });
});

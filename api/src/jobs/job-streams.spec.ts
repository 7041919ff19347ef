import { MessageEvent } from '@nestjs/common';
import { JobEventData, JobEventType, JobStatus } from '@vidgen/contracts';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { TooManyStreamsError } from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config';
import { NoMetrics } from '../metrics/metrics';
import { InProcessJobEvents } from './events/in-process-job-events';
import { JobStreams } from './job-streams';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { JobEventRouter } from './streams/job-event-router';
import { StreamHeartbeat } from './streams/stream-heartbeat';
import { StreamLimits } from './streams/stream-limits';
import { VideoJobEntity } from './video-job.entity';

const HOUR_MS = 3_600_000;

/** Streams read only a job's id and status, and hand the snapshot on as it is. */
const jobOf = (id: string, userId: string, status = JobStatus.Running) =>
  ({ id, userId, status }) as VideoJobEntity;

const principalOf = (userId: string) =>
  ({
    user: { id: userId },
    sessionId: `session-of-${userId}`,
    expiresAt: new Date(Date.now() + HOUR_MS),
    via: 'bearer',
  }) as AuthenticatedUser;

/** Streams hand Nest their data as JSON already. */
const dataOf = (event: MessageEvent) => JSON.parse(event.data as string) as JobEventData;

/** What Nest does with a stream: subscribes, and aborts the response's signal at its end. */
interface ServedStream {
  received: MessageEvent[];
  /** The client leaves: Nest unsubscribes, then aborts the signal. */
  leave(): void;
}

describe('JobStreams', () => {
  let events: InProcessJobEvents;
  let router: JobEventRouter;
  let limits: StreamLimits;
  let active: VideoJobEntity[];
  let ended: VideoJobEntity[];
  let streams: JobStreams;

  beforeEach(() => {
    events = new InProcessJobEvents();
    router = new JobEventRouter(events);
    limits = new StreamLimits({ sseMaxStreamsPerUser: 2, sseMaxStreams: 1000 } as AppConfig);
    active = [];
    ended = [];
    const jobs = {
      snapshot: (job: VideoJobEntity) =>
        Promise.resolve({ job: { id: job.id, status: job.status } } as JobEventData),
    } as JobsService;
    const repository = {
      listActive: () => Promise.resolve(active),
      listEndedSince: () => Promise.resolve(ended),
      findById: (id: string) => Promise.resolve(active.find((job) => job.id === id) ?? null),
    } as unknown as JobsRepository;
    const heartbeat = {
      add: () => undefined,
      remove: () => undefined,
    } as unknown as StreamHeartbeat;
    streams = new JobStreams(jobs, repository, events, router, heartbeat, limits, new NoMetrics());
  });

  function serve(open: (responseEnd: AbortSignal) => ReturnType<JobStreams['forUser']>) {
    const response = new AbortController();
    const received: MessageEvent[] = [];
    const subscription = open(response.signal).subscribe({
      next: (event) => received.push(event),
      complete: () => response.abort(),
    });
    const leave = () => {
      subscription.unsubscribe();
      response.abort();
    };
    return { received, leave } satisfies ServedStream;
  }

  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it("refuses a user's stream beyond the limit before it exists, job streams counted too", () => {
    const job = jobOf('job-1', 'alice');
    active = [job];
    serve((end) => streams.forUser(principalOf('alice'), end));
    serve((end) => streams.forJob(job, principalOf('alice'), end));

    expect(() => streams.forUser(principalOf('alice'), new AbortController().signal)).toThrow(
      TooManyStreamsError,
    );
    expect(() => streams.forJob(job, principalOf('alice'), new AbortController().signal)).toThrow(
      TooManyStreamsError,
    );
    expect(limits.size).toBe(2);
  });

  it('frees the place of a stream whose client left before it was ever subscribed to', () => {
    const response = new AbortController();
    streams.forUser(principalOf('alice'), response.signal);
    streams.forUser(principalOf('alice'), new AbortController().signal);

    response.abort();

    expect(limits.size).toBe(1);
    expect(() => streams.forUser(principalOf('alice'), new AbortController().signal)).not.toThrow();
  });

  it('sends the reconnection delay with the first event only: 2 to 7 seconds', async () => {
    active = [jobOf('job-1', 'alice'), jobOf('job-2', 'alice')];
    const delays = new Set<number>();
    for (let index = 0; index < 50; index += 1) {
      const stream = serve((end) => streams.forUser(principalOf(`user-${index}`), end));
      await settle();
      events.publish({
        userId: `user-${index}`,
        type: JobEventType.Progress,
        data: { job: { id: 'job-1', progress: 10 } } as JobEventData,
      });

      expect(stream.received.map((event) => event.type)).toEqual([
        JobEventType.Snapshot,
        JobEventType.Snapshot,
        JobEventType.Progress,
      ]);
      const [first, ...rest] = stream.received;
      expect(first.retry).toBeGreaterThanOrEqual(2000);
      expect(first.retry).toBeLessThan(7000);
      expect(rest.map((event) => event.retry)).toEqual([undefined, undefined]);
      delays.add(first.retry ?? 0);
      stream.leave();
    }
    // Spread, so that pages cut off together do not all come back together.
    expect(delays.size).toBeGreaterThan(10);
  });

  it('holds no place and no route after 10,000 streams opened and closed at every stage', async () => {
    const job = jobOf('job-1', 'user-0', JobStatus.Succeeded);
    active = [jobOf('job-2', 'user-0')];
    for (let index = 0; index < 10_000; index += 1) {
      const principal = principalOf(`user-${index % 100}`);
      const stream =
        index % 3 === 0
          ? serve((end) => streams.forJob(job, principal, end))
          : serve((end) => streams.forUser(principal, end));
      // Some clients leave before their snapshot is read, others after it was sent.
      if (index % 2 === 0) await settle();
      stream.leave();
    }
    await settle();

    expect(limits.size).toBe(0);
    expect(limits.users).toBe(0);
    expect(router.size).toBe(0);
  });

  describe('resumed with Last-Event-ID', () => {
    const statusOf = (jobId: string, status: JobStatus) => ({
      userId: 'alice',
      type: JobEventType.Status,
      data: { job: { id: jobId, status } } as JobEventData,
    });
    const summary = (received: MessageEvent[]) =>
      received.map((event) => [event.type, dataOf(event).job.id, event.id]);

    it('replays the events after the id, then goes on live, each event once and in order', async () => {
      active = [jobOf('job-1', 'alice')];
      const from = await events.position('alice');
      events.publish(statusOf('job-1', JobStatus.Running));
      events.publish({ ...statusOf('job-1', JobStatus.Running), type: JobEventType.Progress });
      events.publish(statusOf('job-2', JobStatus.Queued));
      const missed = await events.replay('alice', from);

      const stream = serve((end) => streams.forUser(principalOf('alice'), end, from));
      events.publish(statusOf('job-2', JobStatus.Running));
      await settle();
      events.publish(statusOf('job-2', JobStatus.Succeeded));

      const [running2, succeeded2] = (await events.replay('alice', missed?.at(-1)?.id ?? '')) ?? [];
      expect(summary(stream.received)).toEqual([
        [JobEventType.Status, 'job-1', missed?.[0].id],
        [JobEventType.Status, 'job-2', missed?.[1].id],
        [JobEventType.Status, 'job-2', running2.id],
        [JobEventType.Status, 'job-2', succeeded2.id],
      ]);
      stream.leave();
    });

    it('starts with snapshots of the jobs ended since and the active ones when the buffer does not reach back', async () => {
      active = [jobOf('job-2', 'alice'), jobOf('job-3', 'alice')];
      ended = [
        jobOf('job-1', 'alice', JobStatus.Succeeded),
        jobOf('job-3', 'alice', JobStatus.Failed),
      ];

      const stream = serve((end) =>
        streams.forUser(principalOf('alice'), end, `${Date.now() - 60_000}-0`),
      );
      await settle();

      // A job read as active and then as ended is sent once, as ended.
      expect(stream.received.map((event) => [event.type, dataOf(event).job])).toEqual([
        [JobEventType.Snapshot, { id: 'job-1', status: JobStatus.Succeeded }],
        [JobEventType.Snapshot, { id: 'job-3', status: JobStatus.Failed }],
        [JobEventType.Snapshot, { id: 'job-2', status: JobStatus.Running }],
      ]);
      expect(new Set(stream.received.map((event) => event.id)).size).toBe(1);
      stream.leave();
    });
  });
});

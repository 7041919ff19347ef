import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApiRoutes, ErrorCode, JobEventType, JobStatus, VideoStatus } from '@vidgen/contracts';
import { Observable } from 'rxjs';
import { FakeEventSources, provideFakeEventSources } from '../../../testing/fake-event-source';
import { aUser, errorBody, testProviders } from '../../../testing/providers';
import { aJob, aReadyVideo, aVideo, JOB_ID } from '../../../testing/videos';
import { JobStreamClosedError, JobStreamMessage, JobStreamService } from './job-stream.service';

describe('JobStreamService', () => {
  let service: JobStreamService;
  let sources: FakeEventSources;
  let httpTesting: HttpTestingController;
  const url = ApiRoutes.jobStream(JOB_ID);

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [testProviders(), provideFakeEventSources()] });
    service = TestBed.inject(JobStreamService);
    sources = TestBed.inject(FakeEventSources);
    httpTesting = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    httpTesting.verify();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  function follow(stream: Observable<JobStreamMessage> = service.job(JOB_ID)) {
    const seen: JobStreamMessage[] = [];
    const outcome = { completed: false, error: null as unknown };
    const subscription = stream.subscribe({
      next: (event) => seen.push(event),
      complete: () => (outcome.completed = true),
      error: (error: unknown) => (outcome.error = error),
    });
    return { seen, outcome, subscription };
  }

  it('opens the stream only when subscribed to', () => {
    const stream = service.job(JOB_ID);
    expect(sources.opened).toHaveLength(0);

    follow(stream);

    expect(sources.latest(url).url).toBe('/api/jobs/' + JOB_ID + '/stream');
  });

  it('passes on each named event with its parsed data', () => {
    const { seen } = follow();
    const source = sources.latest(url);
    const snapshot = { job: aJob(), video: aVideo() };
    const progress = {
      job: aJob({
        status: JobStatus.Running,
        progress: 40,
        stage: 'Rendering frames',
      }),
    };

    source.emit(JobEventType.Snapshot, snapshot);
    source.emit(JobEventType.Progress, progress);

    expect(seen).toEqual([
      { type: JobEventType.Snapshot, data: snapshot },
      { type: JobEventType.Progress, data: progress },
    ]);
  });

  it('ignores heartbeats and data that is not a job event', () => {
    const { seen } = follow();
    const source = sources.latest(url);

    source.emitRaw('ping', '');
    source.emitRaw(JobEventType.Progress, 'not json');
    source.emitRaw(JobEventType.Progress, '{"hello":1}');

    expect(seen).toEqual([]);
    expect(source.closed).toBe(false);
  });

  it.each([JobEventType.Succeeded, JobEventType.Failed, JobEventType.Cancelled])(
    'closes the connection and completes after a %s event',
    (type) => {
      const { seen, outcome } = follow();
      const source = sources.latest(url);

      source.emit(type, {
        job: aJob({ status: type as unknown as JobStatus, progress: 100 }),
        video: aReadyVideo(),
      });

      expect(seen.map((e) => e.type)).toEqual([type]);
      expect(outcome.completed).toBe(true);
      // Left open, EventSource would reconnect to a stream the server ended on purpose.
      expect(source.closed).toBe(true);
    },
  );

  it('treats a snapshot of a finished job as the end too', () => {
    const { outcome } = follow();
    const source = sources.latest(url);

    source.emit(JobEventType.Snapshot, {
      job: aJob({ status: JobStatus.Failed }),
      video: aVideo({ status: VideoStatus.Failed }),
    });

    expect(outcome.completed).toBe(true);
    expect(source.closed).toBe(true);
  });

  it('lets the browser reconnect after a dropped connection', () => {
    const { seen, outcome } = follow();
    const source = sources.latest(url);
    source.open();

    source.fail();
    source.open();
    source.emit(JobEventType.Snapshot, { job: aJob(), video: aVideo() });

    expect(outcome.error).toBeNull();
    expect(source.closed).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it('errors when the browser gives up on the stream', () => {
    const { outcome } = follow();

    sources.latest(url).fail(true);

    expect(outcome.error).toBeInstanceOf(JobStreamClosedError);
  });

  it('closes the connection when the subscriber leaves', () => {
    const { subscription } = follow();
    const source = sources.latest(url);

    subscription.unsubscribe();

    expect(source.closed).toBe(true);
  });

  it('follows all jobs on one stream that does not end on a terminal event', () => {
    const { seen, outcome } = follow(service.all());
    const source = sources.latest(ApiRoutes.jobsStream);
    const done = {
      job: aJob({ status: JobStatus.Succeeded }),
      video: aReadyVideo(),
    };

    source.emit(JobEventType.Succeeded, done);
    source.emit(JobEventType.Snapshot, {
      job: aJob({ id: 'other' }),
      video: aVideo(),
    });

    expect(seen).toHaveLength(2);
    expect(outcome.completed).toBe(false);
    expect(source.closed).toBe(false);
  });

  it('tells when the all-jobs stream is back after a drop, not when it first opens', () => {
    const { seen, outcome } = follow(service.all());
    const source = sources.latest(ApiRoutes.jobsStream);
    const snapshot = { job: aJob(), video: aVideo() };

    source.open();
    source.emit(JobEventType.Snapshot, snapshot);
    expect(seen).toEqual([{ type: JobEventType.Snapshot, data: snapshot }]);

    source.fail();
    source.open();
    source.emit(JobEventType.Snapshot, snapshot);
    source.fail();
    source.open();

    expect(seen.map((m) => m.type)).toEqual([
      JobEventType.Snapshot,
      'reopened',
      JobEventType.Snapshot,
      'reopened',
    ]);
    expect(outcome.error).toBeNull();
    expect(sources.opened).toHaveLength(1);
  });

  describe('when the browser gives up on the all-jobs stream', () => {
    const signedIn = () => httpTesting.expectOne(ApiRoutes.me).flush({ user: aUser() });

    beforeEach(() => {
      jest.useFakeTimers();
      // Each wait lands at three quarters of its step: 3.75 s, 7.5 s, 15 s, ...
      jest.spyOn(Math, 'random').mockReturnValue(0.5);
    });

    /** Gives up on the latest all-jobs stream, as after a 429, 503 or a proxy's 502. */
    function refuse(): void {
      sources.latest(ApiRoutes.jobsStream).fail(true);
      expect(sources.isOpen(ApiRoutes.jobsStream)).toBe(false);
    }

    async function expectReopenedAfter(ms: number): Promise<void> {
      const before = sources.opened.length;
      await jest.advanceTimersByTimeAsync(ms - 1);
      expect(sources.opened).toHaveLength(before);
      await jest.advanceTimersByTimeAsync(1);
      expect(sources.opened).toHaveLength(before + 1);
      expect(sources.isOpen(ApiRoutes.jobsStream)).toBe(true);
    }

    it('asks whether the session holds, then opens again after a wait that grows', async () => {
      const { seen, outcome } = follow(service.all());
      sources.latest(ApiRoutes.jobsStream).open();

      refuse();
      const check = httpTesting.expectOne(ApiRoutes.me);
      expect(check.request.method).toBe('GET');
      check.flush({ user: aUser() });
      await expectReopenedAfter(3750);

      refuse();
      signedIn();
      await expectReopenedAfter(7500);

      // An overloaded or unreachable server says nothing about the session: wait longer still.
      refuse();
      httpTesting
        .expectOne(ApiRoutes.me)
        .flush(errorBody(503, ErrorCode.ServiceUnavailable, 'Busy.'), {
          status: 503,
          statusText: 'Service Unavailable',
        });
      await expectReopenedAfter(15_000);
      refuse();
      httpTesting.expectOne(ApiRoutes.me).error(new ProgressEvent('error'));
      await expectReopenedAfter(30_000);

      expect(seen).toEqual([]);
      sources.latest(ApiRoutes.jobsStream).open();
      expect(seen).toEqual([{ type: 'reopened' }]);
      expect(outcome).toEqual({ completed: false, error: null });
    });

    it('never waits more than a minute', async () => {
      follow(service.all());
      for (const wait of [3750, 7500, 15_000, 30_000, 45_000, 45_000]) {
        refuse();
        signedIn();
        await expectReopenedAfter(wait);
      }
    });

    it('waits the shortest time again once a stream was up', async () => {
      follow(service.all());
      refuse();
      signedIn();
      await expectReopenedAfter(3750);
      refuse();
      signedIn();
      await expectReopenedAfter(7500);

      sources.latest(ApiRoutes.jobsStream).open();
      refuse();
      signedIn();
      await expectReopenedAfter(3750);
    });

    it('counts a refusal before the first open as a gap', async () => {
      const { seen } = follow(service.all());
      refuse();
      signedIn();
      await expectReopenedAfter(3750);

      sources.latest(ApiRoutes.jobsStream).open();

      expect(seen).toEqual([{ type: 'reopened' }]);
    });

    it('sends the person to log in when the session has ended, and tries no more', async () => {
      jest.useRealTimers();
      await RouterTestingHarness.create('/profile');
      jest.useFakeTimers();
      const { outcome } = follow(service.all());
      sources.latest(ApiRoutes.jobsStream).open();

      refuse();
      httpTesting
        .expectOne(ApiRoutes.me)
        .flush(errorBody(401, ErrorCode.Unauthenticated, 'Your session has ended.'), {
          status: 401,
          statusText: 'Unauthorized',
        });
      await jest.advanceTimersByTimeAsync(0);

      expect(TestBed.inject(Router).url).toBe('/login?returnUrl=%2Fprofile');
      expect(outcome).toEqual({ completed: true, error: null });
      await jest.advanceTimersByTimeAsync(10 * 60_000);
      expect(sources.opened).toHaveLength(1);
    });
  });
});

import { HttpTestingController } from '@angular/common/http/testing';
import { Injector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApiRoutes, ErrorCode, JobEventType, JobStatus, VideoStatus } from '@vidgen/contracts';
import { FakeEventSources, provideFakeEventSources } from '../../../testing/fake-event-source';
import { errorBody, testProviders } from '../../../testing/providers';
import { aJob, aVideo, JOB_ID, VIDEO_ID } from '../../../testing/videos';
import { JobTracker } from './job-tracker';

describe('JobTracker', () => {
  let tracker: JobTracker;
  let sources: FakeEventSources;
  let httpTesting: HttpTestingController;
  const stream = ApiRoutes.jobStream(JOB_ID);

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [testProviders(), provideFakeEventSources()],
    });
    const injector = Injector.create({
      providers: [JobTracker],
      parent: TestBed.inject(Injector),
    });
    tracker = injector.get(JobTracker);
    sources = TestBed.inject(FakeEventSources);
    httpTesting = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    tracker.stop();
    httpTesting.verify();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** The browser gives up on the stream; the tracker then finds the job still running. */
  async function refuseWhileRunning(): Promise<void> {
    sources.latest(stream).fail(true);
    httpTesting
      .expectOne(ApiRoutes.job(JOB_ID))
      .flush({ job: aJob({ status: JobStatus.Running, progress: 50 }) });
    await jest.advanceTimersByTimeAsync(0);
    httpTesting
      .expectOne(ApiRoutes.video(VIDEO_ID))
      .flush({ video: aVideo({ status: VideoStatus.Running }) });
    await jest.advanceTimersByTimeAsync(0);
  }

  async function expectListeningAgainAfter(ms: number): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms - 1);
    expect(sources.isOpen(stream)).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(sources.isOpen(stream)).toBe(true);
  }

  it('shows the seed at once, then what the stream says', () => {
    tracker.track(JOB_ID, { job: aJob(), video: aVideo() });
    expect(tracker.job()?.status).toBe(JobStatus.Queued);
    expect(tracker.active()).toBe(true);

    sources.latest(stream).emit(JobEventType.Progress, {
      job: aJob({ status: JobStatus.Running, progress: 30 }),
    });

    expect(tracker.job()?.progress).toBe(30);
    expect(tracker.video()?.id).toBe(VIDEO_ID);
  });

  it('ignores events of another job', () => {
    tracker.track(JOB_ID);
    sources.latest(stream).emit(JobEventType.Progress, {
      job: aJob({ id: 'other', progress: 90 }),
    });

    expect(tracker.job()).toBeNull();
  });

  it('asks over HTTP when the browser gives up, and listens again while the job runs', async () => {
    jest.useFakeTimers();
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    tracker.track(JOB_ID);

    await refuseWhileRunning();
    expect(tracker.job()?.progress).toBe(50);
    expect(sources.isOpen(stream)).toBe(false);

    await expectListeningAgainAfter(3750);
  });

  it('waits longer after each refusal, and the shortest time again once the stream is up', async () => {
    jest.useFakeTimers();
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    tracker.track(JOB_ID);

    await refuseWhileRunning();
    await expectListeningAgainAfter(3750);
    await refuseWhileRunning();
    await expectListeningAgainAfter(7500);

    sources.latest(stream).emit(JobEventType.Snapshot, {
      job: aJob({ status: JobStatus.Running, progress: 60 }),
    });
    await refuseWhileRunning();
    await expectListeningAgainAfter(3750);
  });

  it('sends the person to log in when the session has ended, and stops following', async () => {
    await RouterTestingHarness.create('/create');
    jest.useFakeTimers();
    tracker.track(JOB_ID);

    sources.latest(stream).fail(true);
    httpTesting
      .expectOne(ApiRoutes.job(JOB_ID))
      .flush(errorBody(401, ErrorCode.Unauthenticated, 'Your session has ended.'), {
        status: 401,
        statusText: 'Unauthorized',
      });
    await jest.advanceTimersByTimeAsync(0);

    expect(TestBed.inject(Router).url).toBe('/login?returnUrl=%2Fcreate');
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(sources.opened).toHaveLength(1);
  });

  it('reports a job that is gone', async () => {
    tracker.track(JOB_ID);
    sources.latest(stream).fail(true);

    httpTesting
      .expectOne(ApiRoutes.job(JOB_ID))
      .flush(errorBody(404, ErrorCode.NotFound, 'Job not found.'), {
        status: 404,
        statusText: 'Not Found',
      });
    await new Promise((resolve) => setTimeout(resolve));

    expect(tracker.error()?.code).toBe(ErrorCode.NotFound);
  });
});

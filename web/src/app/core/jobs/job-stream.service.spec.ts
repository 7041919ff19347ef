import { TestBed } from '@angular/core/testing';
import { ApiRoutes, JobEventType, JobStatus, VideoStatus } from '@vidgen/contracts';
import { FakeEventSources, provideFakeEventSources } from '../../../testing/fake-event-source';
import { aJob, aReadyVideo, aVideo, JOB_ID } from '../../../testing/videos';
import { JobEvent, JobStreamClosedError, JobStreamService } from './job-stream.service';

describe('JobStreamService', () => {
  let service: JobStreamService;
  let sources: FakeEventSources;
  const url = ApiRoutes.jobStream(JOB_ID);

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: provideFakeEventSources() });
    service = TestBed.inject(JobStreamService);
    sources = TestBed.inject(FakeEventSources);
  });

  function follow(stream = service.job(JOB_ID)) {
    const seen: JobEvent[] = [];
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

    source.fail();
    source.readyState = 1;
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

  it('reopens the all-jobs stream a while after the browser gives up', () => {
    jest.useFakeTimers();
    try {
      const { outcome } = follow(service.all());
      sources.latest(ApiRoutes.jobsStream).fail(true);
      expect(sources.isOpen(ApiRoutes.jobsStream)).toBe(false);

      jest.advanceTimersByTime(5000);

      expect(outcome.error).toBeNull();
      expect(sources.isOpen(ApiRoutes.jobsStream)).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});

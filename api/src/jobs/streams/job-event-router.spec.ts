import { JobEventData, JobEventType } from '@vidgen/contracts';
import { Subject } from 'rxjs';
import { JobEvent, JobEvents } from '../events/job-events';
import { JobEventListener, JobEventRouter } from './job-event-router';

/** The router reads the job's id and the user's, nothing else of the event. */
const eventOf = (userId: string, jobId: string, progress = 0): JobEvent => ({
  id: `1-${progress}`,
  userId,
  type: JobEventType.Progress,
  data: { job: { id: jobId, progress } } as unknown as JobEventData,
});

class RecordingListener implements JobEventListener {
  readonly received: JobEvent[] = [];
  ended = false;

  receive(event: JobEvent): void {
    this.received.push(event);
  }

  end(): void {
    this.ended = true;
  }
}

describe('JobEventRouter', () => {
  let published: Subject<JobEvent>;
  let subscriptions: number;
  let router: JobEventRouter;

  beforeEach(() => {
    published = new Subject<JobEvent>();
    subscriptions = 0;
    const events = {
      events: () => {
        subscriptions += 1;
        return published.asObservable();
      },
    } as unknown as JobEvents;
    router = new JobEventRouter(events);
  });

  it('subscribes to the events once, however many streams register', () => {
    for (let index = 0; index < 50; index += 1) {
      router.forUser(`user-${index}`, new RecordingListener());
      router.forJob(`job-${index}`, new RecordingListener());
    }

    expect(subscriptions).toBe(1);
  });

  it("hands each event only to its user's streams and its job's streams", () => {
    const [alice, aliceElsewhere, bob, aliceJob, otherJob] = Array.from(
      { length: 5 },
      () => new RecordingListener(),
    );
    router.forUser('alice', alice);
    router.forUser('alice', aliceElsewhere);
    router.forUser('bob', bob);
    router.forJob('job-a', aliceJob);
    router.forJob('job-b', otherJob);

    const event = eventOf('alice', 'job-a');
    published.next(event);

    expect(alice.received).toEqual([event]);
    expect(aliceElsewhere.received).toEqual([event]);
    expect(aliceJob.received).toEqual([event]);
    expect(bob.received).toEqual([]);
    expect(otherJob.received).toEqual([]);
  });

  it('keeps the order in which the events were published, for each stream', () => {
    const ofUser = new RecordingListener();
    const ofJob = new RecordingListener();
    router.forUser('alice', ofUser);
    router.forJob('job-a', ofJob);

    const sent = Array.from({ length: 100 }, (_, index) => eventOf('alice', 'job-a', index));
    sent.forEach((event) => published.next(event));

    expect(ofUser.received).toEqual(sent);
    expect(ofJob.received).toEqual(sent);
  });

  it('stops handing events to a stream once it has unregistered, and forgets its ids', () => {
    const leaving = new RecordingListener();
    const staying = new RecordingListener();
    const unregister = router.forUser('alice', leaving);
    router.forUser('alice', staying);
    const unregisterJob = router.forJob('job-a', leaving);

    unregister();
    unregisterJob();
    published.next(eventOf('alice', 'job-a'));

    expect(leaving.received).toEqual([]);
    expect(staying.received).toHaveLength(1);
    expect(router.size).toBe(1);
  });

  it('lets a stream unregister while an event is handed out, without skipping the others', () => {
    const others = [new RecordingListener(), new RecordingListener()];
    const unregisters: (() => void)[] = [];
    // As a job's stream does at its terminal event.
    const ending: JobEventListener = { receive: () => unregisters[0](), end: () => undefined };
    unregisters.push(router.forJob('job-a', ending));
    others.forEach((listener) => router.forJob('job-a', listener));

    published.next(eventOf('alice', 'job-a'));

    expect(others.map((listener) => listener.received.length)).toEqual([1, 1]);
  });

  it('is empty again after 10,000 streams opened and closed', () => {
    for (let index = 0; index < 10_000; index += 1) {
      const listener = new RecordingListener();
      const unregisters = [
        router.forUser(`user-${index % 100}`, listener),
        router.forJob(`job-${index}`, listener),
      ];
      if (index % 7 === 0) published.next(eventOf(`user-${index % 100}`, `job-${index}`));
      unregisters.forEach((unregister) => unregister());
      // Closing twice (the client left as the stream ended) changes nothing.
      unregisters.forEach((unregister) => unregister());
    }

    expect(router.size).toBe(0);
  });

  it('ends every stream when the events end, and at once those that register later', () => {
    const streams = [new RecordingListener(), new RecordingListener()];
    router.forUser('alice', streams[0]);
    router.forJob('job-a', streams[1]);

    published.complete();
    const late = new RecordingListener();
    router.forUser('alice', late);

    expect([...streams, late].map((listener) => listener.ended)).toEqual([true, true, true]);
    expect(router.size).toBe(0);
  });
});

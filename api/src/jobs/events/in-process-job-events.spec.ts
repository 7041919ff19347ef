import { JobEventData, JobEventType } from '@vidgen/contracts';
import { InProcessJobEvents } from './in-process-job-events';
import { describeJobEventsContract } from './job-events.contract';
import { JobEvent, REPLAY_BUFFER } from './job-events';

const statusEvent = (progress: number) => ({
  userId: 'alice',
  type: JobEventType.Status,
  data: { job: { id: 'job-1', progress } } as unknown as JobEventData,
});

describe('InProcessJobEvents', () => {
  let events: InProcessJobEvents;

  beforeEach(() => {
    events = new InProcessJobEvents();
  });

  afterEach(() => {
    events.beforeApplicationShutdown();
    jest.useRealTimers();
  });

  describeJobEventsContract(async () => events);

  it(`forgets a user's events once they have not been used for ${REPLAY_BUFFER.ttlMs / 60_000} minutes`, async () => {
    jest.useFakeTimers({ now: new Date('2025-06-01T12:00:00Z') });
    // Created on the fake clock, which also paces its sweeps.
    events = new InProcessJobEvents();
    const received: JobEvent[] = [];
    events.events().subscribe((event) => received.push(event));
    const position = await events.position('alice');

    events.publish(statusEvent(1));
    jest.advanceTimersByTime(REPLAY_BUFFER.ttlMs);
    expect(await events.replay('alice', position)).toEqual(received);
    // Each event kept starts the time again.
    events.publish(statusEvent(2));
    jest.advanceTimersByTime(REPLAY_BUFFER.ttlMs);
    expect(await events.replay('alice', position)).toEqual(received);

    jest.advanceTimersByTime(1);
    expect(await events.replay('alice', position)).toBeNull();
    const again = await events.position('alice');
    expect(await events.replay('alice', position)).toBeNull();
    expect(await events.replay('alice', again)).toEqual([]);
  });
});

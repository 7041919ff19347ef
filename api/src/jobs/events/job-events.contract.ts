import { JobEventData, JobEventType } from '@vidgen/contracts';
import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import { compareEventIds } from './event-ids';
import { isReplayed, JobEvent, JobEvents, NewJobEvent, REPLAY_BUFFER } from './job-events';

/** The data travels untouched: a job's id and a number are enough to tell events apart. */
const eventOf = (userId: string, type: JobEventType, index: number): NewJobEvent => ({
  userId,
  type,
  data: { job: { id: `job-of-${userId}`, progress: index } } as unknown as JobEventData,
});

/** Status events with progress between them, as a job sends them. */
const jobEventsOf = (userId: string, count: number): NewJobEvent[] =>
  Array.from({ length: count }, (_, index) =>
    eventOf(userId, index % 2 === 0 ? JobEventType.Status : JobEventType.Progress, index),
  );

const withoutId = ({ userId, type, data }: JobEvent): NewJobEvent => ({ userId, type, data });

/** Publishes `sent` through `from` and returns them as `to` receives them. */
async function publishAndReceive(
  sent: NewJobEvent[],
  from: JobEvents,
  to: JobEvents = from,
): Promise<JobEvent[]> {
  const received = firstValueFrom(to.events().pipe(take(sent.length), toArray(), timeout(10_000)));
  for (const event of sent) from.publish(event);
  return received;
}

function expectInOrder(ids: string[], order: 'increasing' | 'not decreasing'): void {
  for (let index = 1; index < ids.length; index += 1) {
    const comparison = compareEventIds(ids[index - 1], ids[index]);
    if (order === 'increasing') expect(comparison).toBeLessThan(0);
    else expect(comparison).toBeLessThanOrEqual(0);
  }
}

/**
 * What the streams rely on from any JobEvents adapter. `openProcess` gives the adapter as one
 * process of the deployment sees it; every process opened within a test shares the same events
 * (the single instance in process, the same Redis and key prefix in the scaled shape).
 */
export function describeJobEventsContract(openProcess: () => Promise<JobEvents>): void {
  describe('as the JobEvents port', () => {
    it('numbers kept events in increasing order as they are published, never going back', async () => {
      const events = await openProcess();
      const position = await events.position('alice');

      const received = await publishAndReceive(jobEventsOf('alice', 40), events);

      expect(received.map(withoutId)).toEqual(jobEventsOf('alice', 40));
      const kept = received.filter((event) => isReplayed(event.type));
      expectInOrder([position, ...kept.map((event) => event.id)], 'increasing');
      expectInOrder([position, ...received.map((event) => event.id)], 'not decreasing');
    });

    it('gives every process the same events, in the same order, with the same ids', async () => {
      const processes = [await openProcess(), await openProcess()];
      const [fromA, fromB] = [jobEventsOf('alice', 20), jobEventsOf('bob', 20)];
      const receiving = processes.map((process) =>
        firstValueFrom(process.events().pipe(take(40), toArray(), timeout(10_000))),
      );

      fromA.forEach((event, index) => {
        processes[0].publish(event);
        processes[1].publish(fromB[index]);
      });

      const [receivedByA, receivedByB] = await Promise.all(receiving);
      expect(receivedByB).toEqual(receivedByA);
      for (const [userId, sent] of [
        ['alice', fromA],
        ['bob', fromB],
      ] as const) {
        const ofUser = receivedByA.filter((event) => event.userId === userId);
        expect(ofUser.map(withoutId)).toEqual(sent);
        const kept = ofUser.filter((event) => isReplayed(event.type));
        expectInOrder(
          kept.map((event) => event.id),
          'increasing',
        );
      }
    });

    it('replays the status events published after a position, oldest first, without progress', async () => {
      const [a, b] = [await openProcess(), await openProcess()];
      const position = await a.position('alice');

      const received = await publishAndReceive(jobEventsOf('alice', 9), a);

      const kept = received.filter((event) => event.type !== JobEventType.Progress);
      expect(kept).toHaveLength(5);
      expect(await a.replay('alice', position)).toEqual(kept);
      expect(await b.replay('alice', position)).toEqual(kept);
    });

    it('replays after the id of an event only the events that came after it', async () => {
      const events = await openProcess();
      await events.position('alice');
      const received = await publishAndReceive(jobEventsOf('alice', 9), events);
      const kept = received.filter((event) => isReplayed(event.type));

      expect(await events.replay('alice', kept[1].id)).toEqual(kept.slice(2));
      expect(await events.replay('alice', kept[4].id)).toEqual([]);
      // A progress event's id resumes after the status events before it.
      expect(await events.replay('alice', received[3].id)).toEqual(kept.slice(2));
    });

    it("resumes from the id of a user's very first event", async () => {
      const events = await openProcess();

      const received = await publishAndReceive(jobEventsOf('alice', 5), events);

      const kept = received.filter((event) => isReplayed(event.type));
      expect(await events.replay('alice', kept[0].id)).toEqual(kept.slice(1));
    });

    it('does not replay from before what it holds: a user never seen, an older id', async () => {
      const events = await openProcess();
      const anHourAgo = `${Date.now() - 3_600_000}-0`;

      expect(await events.replay('alice', anHourAgo)).toBeNull();
      expect(await events.replay('alice', `${Date.now()}-0`)).toBeNull();
      await events.position('alice');
      await publishAndReceive(jobEventsOf('alice', 3), events);
      expect(await events.replay('alice', anHourAgo)).toBeNull();
    });

    it(`replays a gap of ${REPLAY_BUFFER.events} status events, not one that has lost its start`, async () => {
      const events = await openProcess();
      const position = await events.position('alice');
      const received: JobEvent[] = [];

      for (let index = 0; index < 3 * REPLAY_BUFFER.events; index += 1) {
        const event = eventOf('alice', JobEventType.Status, index);
        received.push(...(await publishAndReceive([event], events)));
        // Checked at every length: an adapter may trim in steps.
        const beforeTheGap = received[received.length - REPLAY_BUFFER.events - 1];
        expect(await events.replay('alice', beforeTheGap?.id ?? position)).toEqual(
          received.slice(-REPLAY_BUFFER.events),
        );
      }

      expect(await events.replay('alice', position)).toBeNull();
    });

    it("keeps each user's events to that user", async () => {
      const events = await openProcess();
      const [alice, bob] = [await events.position('alice'), await events.position('bob')];

      const received = await publishAndReceive(
        [...jobEventsOf('alice', 3), ...jobEventsOf('bob', 3)],
        events,
      );

      const keptOf = (userId: string) =>
        received.filter((event) => event.userId === userId && isReplayed(event.type));
      expect(await events.replay('alice', alice)).toEqual(keptOf('alice'));
      expect(await events.replay('bob', bob)).toEqual(keptOf('bob'));
      expect(await events.replay('carol', alice)).toBeNull();
    });
  });
}

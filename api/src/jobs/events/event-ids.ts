/**
 * Event ids are `<milliseconds>-<sequence>`, the form Redis gives stream entries, so both adapters
 * speak the same ids: ordered by time, then by sequence within a millisecond. The time part also
 * tells how old a position is when the buffer no longer holds it.
 */
const EVENT_ID = /^(\d{1,15})-(\d{1,15})$/;

export interface EventPosition {
  ms: number;
  sequence: number;
}

/** The position an id names, or `null` for anything else a client may send. */
export function parseEventId(id: string | undefined): EventPosition | null {
  const match = id === undefined ? null : EVENT_ID.exec(id.trim());
  return match ? { ms: Number(match[1]), sequence: Number(match[2]) } : null;
}

/** Negative when `a` comes before `b`, 0 when equal, positive after; both must be event ids. */
export function compareEventIds(a: string, b: string): number {
  const [x, y] = [parseEventId(a), parseEventId(b)];
  if (!x || !y) throw new Error(`Not event ids: ${a}, ${b}`);
  return x.ms - y.ms || x.sequence - y.sequence;
}

/** Ids in increasing order, from this process's clock; never repeats, even if the clock goes back. */
export class EventIdSequence {
  private last: EventPosition = { ms: 0, sequence: 0 };

  next(now = Date.now()): string {
    this.last =
      now > this.last.ms
        ? { ms: now, sequence: 0 }
        : { ...this.last, sequence: this.last.sequence + 1 };
    return `${this.last.ms}-${this.last.sequence}`;
  }
}

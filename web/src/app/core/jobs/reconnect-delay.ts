const FIRST_DELAY_MS = 5_000;
const LONGEST_DELAY_MS = 60_000;

/**
 * How long to wait before opening a stream again after the server refused one (too many streams,
 * a busy process, a proxy's 502 during a deploy, the server away): 5 s, doubling up to a minute.
 * Each wait is spread at random over the upper half of its step, so that the pages a deploy cut
 * off all at once do not all come back at the same moment. Reset once a stream is up again.
 */
export class ReconnectDelay {
  private refusals = 0;

  /** The wait before the next attempt, in milliseconds; each call counts one more refusal. */
  next(): number {
    const step = Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** this.refusals);
    this.refusals++;
    return Math.round(step * (0.5 + Math.random() / 2));
  }

  reset(): void {
    this.refusals = 0;
  }
}

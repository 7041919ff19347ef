import { loadConfig } from '../config/app-config';
import { DISABLE_AFTER_MS, disabledReason, failedTooLong, nextTryAt } from './delivery-schedule';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('the retries of a delivery', () => {
  const { retryDelaysMs } = loadConfig({}).webhooks;
  const failedAt = new Date('2025-12-05T10:00:00.000Z');
  const waitAfter = (triesMade: number) =>
    (nextTryAt(triesMade, failedAt, retryDelaysMs)?.getTime() ?? NaN) - failedAt.getTime();

  it('wait 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after each failed try', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(waitAfter)).toEqual([
      5 * SECOND,
      5 * MINUTE,
      30 * MINUTE,
      2 * HOUR,
      5 * HOUR,
      10 * HOUR,
      10 * HOUR,
    ]);
  });

  it('end after the eighth try, about a day after the first', () => {
    expect(nextTryAt(8, failedAt, retryDelaysMs)).toBeNull();
    expect(nextTryAt(9, failedAt, retryDelaysMs)).toBeNull();
    const span = retryDelaysMs.reduce((sum, delay) => sum + delay, 0);
    expect(span).toBeGreaterThan(DAY);
    expect(span).toBeLessThan(1.2 * DAY);
  });

  it('follow a schedule given instead', () => {
    expect(nextTryAt(1, failedAt, [200])).toEqual(new Date(failedAt.getTime() + 200));
    expect(nextTryAt(2, failedAt, [200])).toBeNull();
    expect(nextTryAt(1, failedAt, [])).toBeNull();
  });
});

describe('disabling an endpoint that keeps failing', () => {
  const since = new Date('2025-12-01T08:30:00.000Z');
  const after = (ms: number) => new Date(since.getTime() + ms);

  it('happens once its tries have failed for 5 days, with no success in between', () => {
    expect(DISABLE_AFTER_MS).toBe(5 * DAY);
    expect(failedTooLong(since, after(5 * DAY - 1))).toBe(false);
    expect(failedTooLong(since, after(5 * DAY))).toBe(true);
    expect(failedTooLong(since, after(30 * DAY))).toBe(true);
  });

  it('never happens to an endpoint whose last try succeeded', () => {
    expect(failedTooLong(null, after(30 * DAY))).toBe(false);
  });

  it('tells the owner since when it failed, how, and what to do', () => {
    expect(disabledReason(since, after(5 * DAY), 'The endpoint answered HTTP 500.')).toBe(
      'Disabled on 2025-12-06 08:30 UTC: every delivery since 2025-12-01 08:30 UTC failed ' +
        '(the last one: The endpoint answered HTTP 500). Fix the endpoint, then enable it again.',
    );
  });
});

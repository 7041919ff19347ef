/**
 * When a failed delivery is tried again, and when an endpoint that keeps failing is disabled.
 * The retry delays are the platform's (see WebhookConfig): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 10 h, eight tries over about a day.
 */

/** An endpoint whose tries all failed for this long, none succeeding in between, is disabled. */
export const DISABLE_AFTER_MS = 5 * 24 * 3600 * 1000;

/**
 * When to try a delivery again after its `triesMade`-th try failed at `failedAt`; null once it
 * has had its last try.
 */
export function nextTryAt(
  triesMade: number,
  failedAt: Date,
  retryDelaysMs: readonly number[],
): Date | null {
  const delay = retryDelaysMs[triesMade - 1];
  return delay === undefined ? null : new Date(failedAt.getTime() + delay);
}

/**
 * Whether an endpoint failing since `failingSince` (its first failed try after its last success,
 * null while it succeeds) has failed long enough at `now` to be disabled.
 */
export function failedTooLong(failingSince: Date | null, now: Date): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS;
}

/** What the owner of an endpoint the platform disabled reads about it. */
export function disabledReason(failingSince: Date, now: Date, lastError: string): string {
  return (
    `Disabled on ${day(now)}: every delivery since ${day(failingSince)} failed ` +
    `(the last one: ${lastError.replace(/\.$/, '')}). Fix the endpoint, then enable it again.`
  );
}

/** e.g. `2025-12-05 14:03 UTC` */
function day(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

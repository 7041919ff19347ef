/**
 * Runs `assertion` until it passes or `timeoutMs` is over, then throws its last failure: for
 * what finishes in the background after an answer (a work folder removed, an event through
 * Redis, a delivery of BullMQ).
 */
export async function eventually<T>(
  assertion: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

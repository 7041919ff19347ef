import { signal } from '@angular/core';
import { toApiError } from '../http/api-error';

/**
 * One button's trip to the API outside a form (cancel, retry, delete...): `busy` while it runs,
 * to disable the buttons, and the reason in words when it fails, for the page's alert area.
 */
export class PendingAction {
  private readonly running = signal(false);
  private readonly failure = signal<string | null>(null);

  readonly busy = this.running.asReadonly();
  readonly error = this.failure.asReadonly();

  async run(action: () => Promise<unknown>): Promise<void> {
    this.running.set(true);
    this.failure.set(null);
    try {
      await action();
    } catch (error) {
      this.failure.set(toApiError(error).displayMessage);
    } finally {
      this.running.set(false);
    }
  }
}

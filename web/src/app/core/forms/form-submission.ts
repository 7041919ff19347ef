import { signal } from '@angular/core';
import { FormGroup } from '@angular/forms';
import { CodeFields, showServerErrors } from './server-errors';

/**
 * One form's trip to the API: a `pending` flag for the progress bar and the submit button, and the
 * `error` for its alert area. Field errors from the server go under their fields instead.
 */
export class FormSubmission {
  private readonly busy = signal(false);
  private readonly alert = signal<string | null>(null);

  readonly pending = this.busy.asReadonly();
  readonly error = this.alert.asReadonly();

  constructor(
    private readonly form: FormGroup,
    /** Which field an error code belongs to when the API sends no details for it. */
    private readonly codeFields: CodeFields = {},
  ) {}

  /**
   * Clears the last alert, then shows what is missing and sends nothing when the form is invalid,
   * or runs `action` and shows why it failed.
   */
  async run(action: () => Promise<unknown>): Promise<void> {
    this.alert.set(null);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    try {
      await action();
    } catch (error) {
      this.alert.set(showServerErrors(this.form, error, this.codeFields));
    } finally {
      this.busy.set(false);
    }
  }

  clearError(): void {
    this.alert.set(null);
  }
}

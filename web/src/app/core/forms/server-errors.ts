import { AbstractControl, FormGroup, ValidationErrors, ValidatorFn } from '@angular/forms';
import { ErrorCode } from '@vidgen/contracts';
import { toApiError } from '../http/api-error';

/** Which field an error code belongs to when the API sends no details for it. */
export type CodeFields = Partial<Record<ErrorCode, string>>;

/**
 * Puts the server's field errors under their fields (as a `server` error, which the next edit
 * clears) and returns the message for the form's alert area, or null when every error found
 * its field.
 */
export function showServerErrors(
  form: FormGroup,
  error: unknown,
  codeFields: CodeFields = {},
): string | null {
  const apiError = toApiError(error);

  if (apiError.details.length > 0) {
    let unplaced = false;
    for (const detail of apiError.details) {
      const control = form.get(detail.field);
      if (control) setServerError(control, detail.message);
      else unplaced = true;
    }
    return unplaced ? apiError.displayMessage : null;
  }

  const field = apiError.code ? codeFields[apiError.code] : undefined;
  const control = field ? form.get(field) : null;
  if (control) {
    setServerError(control, apiError.message);
    return null;
  }
  return apiError.displayMessage;
}

function setServerError(control: AbstractControl, message: string): void {
  control.setErrors({ ...control.errors, server: message });
  control.markAsTouched();
}

/** Like Validators.required, but whitespace alone does not count as a value. */
export const requiredNonBlank: ValidatorFn = (control): ValidationErrors | null =>
  typeof control.value === 'string' && control.value.trim() === '' ? { required: true } : null;

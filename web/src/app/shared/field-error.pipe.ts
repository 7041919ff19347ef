import { Pipe, PipeTransform } from '@angular/core';
import { ValidationErrors } from '@angular/forms';

/** The words under a field for its first error: `{{ control.errors | fieldError: 'Email' }}`. */
@Pipe({ name: 'fieldError' })
export class FieldErrorPipe implements PipeTransform {
  transform(errors: ValidationErrors | null | undefined, label: string): string {
    if (!errors) return '';
    if (typeof errors['server'] === 'string') return errors['server'];
    if (errors['required']) return `${label} is required.`;
    if (errors['email']) return 'Enter a valid email address, like name@example.com.';
    if (errors['minlength']) {
      return `Use at least ${errors['minlength'].requiredLength} characters.`;
    }
    if (errors['maxlength']) {
      return `Use at most ${errors['maxlength'].requiredLength} characters.`;
    }
    return `Check the ${label.toLowerCase()}.`;
  }
}

import { FormControl, FormGroup, Validators } from '@angular/forms';
import { ErrorCode } from '@vidgen/contracts';
import { ApiError } from '../http/api-error';
import { requiredNonBlank, showServerErrors } from './server-errors';

describe('showServerErrors', () => {
  function form() {
    return new FormGroup({
      email: new FormControl('ada@example.com', { nonNullable: true }),
      password: new FormControl('secret', {
        nonNullable: true,
        validators: Validators.required,
      }),
    });
  }

  it('puts field details on their controls and leaves the alert empty', () => {
    const group = form();
    const alert = showServerErrors(
      group,
      new ApiError(400, 'Check the form.', ErrorCode.ValidationFailed, [
        { field: 'email', message: 'Email looks wrong.' },
      ]),
    );

    expect(alert).toBeNull();
    expect(group.controls.email.errors).toEqual({
      server: 'Email looks wrong.',
    });
    expect(group.controls.email.touched).toBe(true);
  });

  it('uses the alert when a detail names a field the form does not have', () => {
    const alert = showServerErrors(
      form(),
      new ApiError(400, 'Check the form.', ErrorCode.ValidationFailed, [
        { field: 'age', message: 'Too young.' },
      ]),
    );

    expect(alert).toBe('Check the form.');
  });

  it('places an error code on its field when there are no details', () => {
    const group = form();
    const alert = showServerErrors(group, new ApiError(409, 'Taken.', ErrorCode.EmailTaken), {
      [ErrorCode.EmailTaken]: 'email',
    });

    expect(alert).toBeNull();
    expect(group.controls.email.getError('server')).toBe('Taken.');
  });

  it('drops the server error when the value changes', () => {
    const group = form();
    showServerErrors(group, new ApiError(409, 'Taken.', ErrorCode.EmailTaken), {
      [ErrorCode.EmailTaken]: 'email',
    });

    group.controls.email.setValue('grace@example.com');

    expect(group.controls.email.errors).toBeNull();
  });
});

describe('requiredNonBlank', () => {
  it('treats whitespace as empty', () => {
    expect(requiredNonBlank(new FormControl('  '))).toEqual({ required: true });
    expect(requiredNonBlank(new FormControl(' Ada '))).toBeNull();
  });
});

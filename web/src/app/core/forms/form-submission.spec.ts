import { FormControl, FormGroup, Validators } from '@angular/forms';
import { ErrorCode } from '@vidgen/contracts';
import { ApiError } from '../http/api-error';
import { FormSubmission } from './form-submission';

describe('FormSubmission', () => {
  function form() {
    return new FormGroup({
      email: new FormControl('ada@example.com', {
        nonNullable: true,
        validators: Validators.required,
      }),
      password: new FormControl('secret', { nonNullable: true }),
    });
  }

  it('shows what is missing and sends nothing when the form is invalid', async () => {
    const group = form();
    group.controls.email.setValue('');
    const submission = new FormSubmission(group);
    const action = jest.fn();

    await submission.run(action);

    expect(action).not.toHaveBeenCalled();
    expect(group.controls.email.touched).toBe(true);
    expect(submission.pending()).toBe(false);
  });

  it('is pending while the action runs, and only then', async () => {
    const submission = new FormSubmission(form());
    let finish!: () => void;
    const seen: boolean[] = [];

    const running = submission.run(() => {
      seen.push(submission.pending());
      return new Promise<void>((resolve) => (finish = resolve));
    });
    expect(submission.pending()).toBe(true);
    finish();
    await running;

    expect(seen).toEqual([true]);
    expect(submission.pending()).toBe(false);
    expect(submission.error()).toBeNull();
  });

  it('puts a failure in the alert and clears it on the next attempt', async () => {
    const submission = new FormSubmission(form());

    await submission.run(() => Promise.reject(new ApiError(0, 'Server down.')));
    expect(submission.error()).toBe('Server down.');
    expect(submission.pending()).toBe(false);

    await submission.run(() => Promise.resolve());
    expect(submission.error()).toBeNull();
  });

  it('places coded errors on their fields instead of the alert', async () => {
    const group = form();
    const submission = new FormSubmission(group, {
      [ErrorCode.WrongPassword]: 'password',
    });

    await submission.run(() =>
      Promise.reject(new ApiError(403, 'Wrong password.', ErrorCode.WrongPassword)),
    );

    expect(submission.error()).toBeNull();
    expect(group.controls.password.getError('server')).toBe('Wrong password.');
  });

  it('clears a stale alert when an invalid form is submitted again', async () => {
    const group = form();
    const submission = new FormSubmission(group);
    await submission.run(() => Promise.reject(new ApiError(0, 'Server down.')));

    group.controls.email.setValue('');
    await submission.run(jest.fn());

    expect(submission.error()).toBeNull();
  });

  it('clears the alert on request', async () => {
    const submission = new FormSubmission(form());
    await submission.run(() => Promise.reject(new ApiError(0, 'Server down.')));

    submission.clearError();

    expect(submission.error()).toBeNull();
  });
});

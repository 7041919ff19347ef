import { ChangeDetectionStrategy, Component, inject, viewChild } from '@angular/core';
import {
  FormGroupDirective,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ErrorCode, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@vidgen/contracts';
import { UsersApi } from '../../core/api/users-api';
import { FormSubmission } from '../../core/forms/form-submission';
import { FieldErrorPipe } from '../../shared/field-error.pipe';
import { FormAlert } from '../../shared/form-alert';

@Component({
  selector: 'app-change-password-form',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    FieldErrorPipe,
    FormAlert,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-form-field>
        <mat-label>Current password</mat-label>
        <input
          matInput
          type="password"
          formControlName="currentPassword"
          autocomplete="current-password"
        />
        <mat-error>{{
          form.controls.currentPassword.errors | fieldError: 'Current password'
        }}</mat-error>
      </mat-form-field>
      <mat-form-field>
        <mat-label>New password</mat-label>
        <input matInput type="password" formControlName="newPassword" autocomplete="new-password" />
        <mat-hint>At least {{ minLength }} characters.</mat-hint>
        <mat-error>{{ form.controls.newPassword.errors | fieldError: 'New password' }}</mat-error>
      </mat-form-field>
      <app-form-alert [message]="submission.error()" />
      @if (submission.pending()) {
        <mat-progress-bar mode="indeterminate" aria-label="Changing password" />
      }
      <div class="actions">
        <button matButton="filled" type="submit" [disabled]="submission.pending()">
          Change password
        </button>
      </div>
    </form>
  `,
  styles: `
    form {
      display: flex;
      flex-direction: column;
      max-width: 480px;
    }
    .actions {
      display: flex;
      justify-content: flex-end;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChangePasswordForm {
  private readonly usersApi = inject(UsersApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly formDirective = viewChild.required(FormGroupDirective);

  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly form = inject(NonNullableFormBuilder).group({
    currentPassword: ['', [Validators.required, Validators.maxLength(PASSWORD_MAX_LENGTH)]],
    newPassword: [
      '',
      [
        Validators.required,
        Validators.minLength(PASSWORD_MIN_LENGTH),
        Validators.maxLength(PASSWORD_MAX_LENGTH),
      ],
    ],
  });
  protected readonly submission = new FormSubmission(this.form, {
    [ErrorCode.WrongPassword]: 'currentPassword',
  });

  protected submit(): Promise<void> {
    return this.submission.run(async () => {
      await this.usersApi.changePassword(this.form.getRawValue());
      // resetForm also clears "submitted", so the emptied fields don't show as errors.
      this.formDirective().resetForm();
      this.snackBar.open('Password changed', undefined, { duration: 4000 });
    });
  }
}

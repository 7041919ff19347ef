import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ErrorCode, PASSWORD_MAX_LENGTH } from '@vidgen/contracts';
import { UsersApi } from '../../core/api/users-api';
import { FormSubmission } from '../../core/forms/form-submission';
import { FieldErrorPipe } from '../../shared/field-error.pipe';
import { FormAlert } from '../../shared/form-alert';

/** Asks for the password and deletes the account; closes with `true` once it is gone. */
@Component({
  selector: 'app-delete-account-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    FieldErrorPipe,
    FormAlert,
  ],
  template: `
    <h2 mat-dialog-title>Delete your account?</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content>
        <p>
          This permanently removes your account, your videos and their files. Enter your password to
          confirm.
        </p>
        <mat-form-field>
          <mat-label>Password</mat-label>
          <input
            matInput
            type="password"
            formControlName="password"
            autocomplete="current-password"
          />
          <mat-error>{{ form.controls.password.errors | fieldError: 'Password' }}</mat-error>
        </mat-form-field>
        <app-form-alert [message]="submission.error()" />
        @if (submission.pending()) {
          <mat-progress-bar mode="indeterminate" aria-label="Deleting your account" />
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button matButton type="button" mat-dialog-close [disabled]="submission.pending()">
          Cancel
        </button>
        <button matButton="filled" class="danger" type="submit" [disabled]="submission.pending()">
          Delete my account
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    form {
      display: contents;
    }
    mat-form-field {
      width: 100%;
    }
    .danger {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeleteAccountDialog {
  private readonly usersApi = inject(UsersApi);
  private readonly dialogRef = inject<MatDialogRef<DeleteAccountDialog, boolean>>(MatDialogRef);

  protected readonly form = inject(NonNullableFormBuilder).group({
    password: ['', [Validators.required, Validators.maxLength(PASSWORD_MAX_LENGTH)]],
  });
  protected readonly submission = new FormSubmission(this.form, {
    [ErrorCode.WrongPassword]: 'password',
  });

  protected submit(): Promise<void> {
    return this.submission.run(async () => {
      // Closing half-way would leave the person unsure whether the account still exists.
      this.dialogRef.disableClose = true;
      try {
        await this.usersApi.deleteAccount(this.form.getRawValue());
        this.dialogRef.close(true);
      } finally {
        this.dialogRef.disableClose = false;
      }
    });
  }
}

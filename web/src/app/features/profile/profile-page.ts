import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { DISPLAY_NAME_MAX_LENGTH, ProfileStats } from '@vidgen/contracts';
import { firstValueFrom } from 'rxjs';
import { UsersApi } from '../../core/api/users-api';
import { AuthService } from '../../core/auth/auth.service';
import { FormSubmission } from '../../core/forms/form-submission';
import { requiredNonBlank } from '../../core/forms/server-errors';
import { toApiError } from '../../core/http/api-error';
import { BytesPipe } from '../../shared/bytes.pipe';
import { FieldErrorPipe } from '../../shared/field-error.pipe';
import { FormAlert } from '../../shared/form-alert';
import { ApiKeysSection } from './api-keys-section';
import { ChangePasswordForm } from './change-password-form';
import { DeleteAccountDialog } from './delete-account-dialog';

@Component({
  selector: 'app-profile-page',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    BytesPipe,
    FieldErrorPipe,
    FormAlert,
    ChangePasswordForm,
    ApiKeysSection,
  ],
  templateUrl: './profile-page.html',
  styleUrl: './profile-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProfilePage implements OnInit {
  private readonly auth = inject(AuthService);
  private readonly usersApi = inject(UsersApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);

  protected readonly user = this.auth.user;
  protected readonly stats = signal<ProfileStats | null>(null);
  protected readonly loading = signal(false);
  protected readonly loadError = signal<string | null>(null);

  protected readonly nameForm = inject(NonNullableFormBuilder).group({
    displayName: [
      this.auth.user()?.displayName ?? '',
      [requiredNonBlank, Validators.maxLength(DISPLAY_NAME_MAX_LENGTH)],
    ],
  });
  protected readonly nameSubmission = new FormSubmission(this.nameForm);

  ngOnInit(): void {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      const profile = await this.usersApi.getProfile();
      this.auth.setUser(profile.user);
      this.stats.set(profile.stats);
      if (this.nameForm.pristine) {
        this.nameForm.reset({ displayName: profile.user.displayName });
      }
    } catch (error) {
      this.loadError.set(toApiError(error).displayMessage);
    } finally {
      this.loading.set(false);
    }
  }

  protected saveName(): Promise<void> {
    return this.nameSubmission.run(async () => {
      const displayName = this.nameForm.getRawValue().displayName.trim();
      const user = await this.usersApi.updateProfile({ displayName });
      this.auth.setUser(user);
      this.nameForm.reset({ displayName: user.displayName });
      this.snackBar.open('Display name saved', undefined, { duration: 4000 });
    });
  }

  protected logout(): void {
    void this.auth.logout();
  }

  protected async deleteAccount(): Promise<void> {
    const ref = this.dialog.open<DeleteAccountDialog, void, boolean>(DeleteAccountDialog, {
      width: '480px',
      maxWidth: 'calc(100vw - 32px)',
    });
    const deleted = await firstValueFrom(ref.afterClosed());
    if (!deleted) return;
    this.auth.clearSession();
    await this.router.navigateByUrl('/register');
    this.snackBar.open('Your account has been deleted.', undefined, {
      duration: 6000,
    });
  }
}

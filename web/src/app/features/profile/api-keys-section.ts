import { DatePipe } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  Injector,
  OnInit,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import {
  FormGroupDirective,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import {
  API_KEY_NAME_MAX_LENGTH,
  ApiKey,
  CreatedApiKeyResponse,
  ErrorCode,
} from '@vidgen/contracts';
import { ApiKeysApi } from '../../core/api/api-keys-api';
import { FormSubmission } from '../../core/forms/form-submission';
import { PendingAction } from '../../core/forms/pending-action';
import { requiredNonBlank } from '../../core/forms/server-errors';
import { toApiError } from '../../core/http/api-error';
import { confirm } from '../../shared/confirm-dialog';
import { FieldErrorPipe } from '../../shared/field-error.pipe';
import { FormAlert } from '../../shared/form-alert';
import { OneTimeSecret } from '../../shared/one-time-secret';
import {
  expiresAt,
  isExpired,
  KEY_EXPIRIES,
  KeyExpiry,
  localDay,
  notInThePast,
} from './api-key-expiry';

/** The person's API keys: create one (its secret shown once), see them, revoke them. */
@Component({
  selector: 'app-api-keys-section',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    FieldErrorPipe,
    FormAlert,
    OneTimeSecret,
  ],
  templateUrl: './api-keys-section.html',
  styleUrl: './api-keys-section.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiKeysSection implements OnInit {
  private readonly apiKeysApi = inject(ApiKeysApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly injector = inject(Injector);
  private readonly formDirective = viewChild.required(FormGroupDirective);
  private readonly nameInput = viewChild<ElementRef<HTMLInputElement>>('nameInput');

  protected readonly nameMaxLength = API_KEY_NAME_MAX_LENGTH;
  protected readonly expiries = KEY_EXPIRIES;
  protected readonly today = localDay();

  protected readonly keys = signal<ApiKey[] | null>(null);
  protected readonly loading = signal(false);
  protected readonly loadError = signal<string | null>(null);
  /** The key just created, with the secret that is never shown again once this is cleared. */
  protected readonly created = signal<CreatedApiKeyResponse | null>(null);
  protected readonly revocation = new PendingAction();

  protected readonly rows = computed(() => {
    const now = Date.now();
    return this.keys()?.map((key) => ({ key, expired: isExpired(key, now) })) ?? null;
  });

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [requiredNonBlank, Validators.maxLength(API_KEY_NAME_MAX_LENGTH)]],
    // Named after the request field it decides, so the API's errors about it show under it.
    expiresAt: ['never' as KeyExpiry],
    // Enabled only while "On a date" is chosen: a disabled control is neither validated nor sent.
    expiryDay: [{ value: '', disabled: true }, [Validators.required, notInThePast]],
  });
  protected readonly submission = new FormSubmission(this.form);
  protected readonly expiry = toSignal(this.form.controls.expiresAt.valueChanges, {
    initialValue: this.form.controls.expiresAt.value,
  });

  constructor() {
    this.form.controls.expiresAt.valueChanges.pipe(takeUntilDestroyed()).subscribe((expiry) => {
      const day = this.form.controls.expiryDay;
      if (expiry === 'date') day.enable();
      else day.disable();
    });
  }

  ngOnInit(): void {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      this.keys.set(await this.apiKeysApi.list());
    } catch (error) {
      this.loadError.set(toApiError(error).displayMessage);
    } finally {
      this.loading.set(false);
    }
  }

  protected create(): Promise<void> {
    return this.submission.run(async () => {
      const { name, expiresAt: expiry, expiryDay } = this.form.getRawValue();
      const response = await this.apiKeysApi.create({
        name: name.trim(),
        expiresAt: expiresAt(expiry, expiryDay),
      });
      // resetForm also clears "submitted", so the emptied name does not show as an error.
      this.formDirective().resetForm({ name: '', expiresAt: 'never', expiryDay: '' });
      this.keys.update((keys) => [response.apiKey, ...(keys ?? [])]);
      // The secret takes the form's place, and the focus with it.
      this.created.set(response);
    });
  }

  protected dismissSecret(): void {
    this.created.set(null);
    afterNextRender(() => this.nameInput()?.nativeElement.focus(), { injector: this.injector });
  }

  protected async revoke(key: ApiKey): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: 'Revoke API key?',
      message: [
        `Programs using “${key.name}” (`,
        { code: `${key.prefix}…` },
        ') will be refused from now on. This cannot be undone.',
      ],
      confirmLabel: 'Revoke key',
    });
    if (!confirmed) return;
    await this.revocation.run(async () => {
      try {
        await this.apiKeysApi.revoke(key.id);
      } catch (error) {
        // Revoked already, from another tab or device: what was asked for is done.
        if (toApiError(error).code !== ErrorCode.NotFound) throw error;
      }
      this.keys.update((keys) => keys?.filter((k) => k.id !== key.id) ?? null);
      if (this.created()?.apiKey.id === key.id) this.created.set(null);
      this.snackBar.open(`API key “${key.name}” revoked`, undefined, { duration: 4000 });
    });
  }
}

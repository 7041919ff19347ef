import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { UpdateWebhookRequest, Webhook, WebhookEventType } from '@vidgen/contracts';
import { WebhooksApi } from '../../core/api/webhooks-api';
import { FormSubmission } from '../../core/forms/form-submission';
import { FormAlert } from '../../shared/form-alert';
import { chosenEvents, WebhookFields, webhookFieldControls } from './webhook-fields';

/** Changes an endpoint's URL, events or whether it is on; closes with the endpoint as saved. */
@Component({
  selector: 'app-edit-webhook-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatProgressBarModule,
    MatSlideToggleModule,
    FormAlert,
    WebhookFields,
  ],
  template: `
    <h2 mat-dialog-title>Edit endpoint</h2>
    <form [formGroup]="form" (ngSubmit)="save()" novalidate>
      <mat-dialog-content>
        <app-webhook-fields [form]="form" />
        <mat-slide-toggle formControlName="enabled" [aria-describedby]="enabledHintId">
          Enabled
        </mat-slide-toggle>
        <p class="hint" [id]="enabledHintId">Events are sent only while it is enabled.</p>
        <app-form-alert [message]="submission.error()" />
        @if (submission.pending()) {
          <mat-progress-bar mode="indeterminate" aria-label="Saving the endpoint" />
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button matButton type="button" mat-dialog-close [disabled]="submission.pending()">
          Cancel
        </button>
        <button matButton="filled" type="submit" [disabled]="submission.pending()">Save</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    form {
      display: contents;
    }
    .hint {
      margin: 4px 0 8px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EditWebhookDialog {
  private readonly webhooksApi = inject(WebhooksApi);
  private readonly dialogRef = inject<MatDialogRef<EditWebhookDialog, Webhook>>(MatDialogRef);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly webhook = inject<Webhook>(MAT_DIALOG_DATA);
  protected readonly enabledHintId = `edit-webhook-enabled-${this.webhook.id}`;
  protected readonly form = this.fb.group({
    ...webhookFieldControls(this.fb, this.webhook),
    enabled: this.fb.control(this.webhook.enabled),
  });
  protected readonly submission = new FormSubmission(this.form);

  protected save(): Promise<void> {
    return this.submission.run(async () => {
      const changes = this.changes();
      const saved =
        Object.keys(changes).length > 0
          ? await this.webhooksApi.update(this.webhook.id, changes)
          : this.webhook;
      this.dialogRef.close(saved);
    });
  }

  /** Only what was changed, so an untouched URL is not checked again. */
  private changes(): UpdateWebhookRequest {
    const { controls } = this.form;
    const url = controls.url.value.trim();
    const events = chosenEvents(controls.events);
    const enabled = controls.enabled.value;
    return {
      ...(url !== this.webhook.url ? { url } : {}),
      ...(sameEvents(events, this.webhook.events) ? {} : { events }),
      ...(enabled !== this.webhook.enabled ? { enabled } : {}),
    };
  }
}

function sameEvents(a: readonly WebhookEventType[], b: readonly WebhookEventType[]): boolean {
  return a.length === b.length && a.every((type) => b.includes(type));
}

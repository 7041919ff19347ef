import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { Webhook } from '@vidgen/contracts';

/** Asks before deleting an endpoint; closes with `true` to go ahead. */
@Component({
  selector: 'app-delete-webhook-dialog',
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>Delete endpoint?</h2>
    <mat-dialog-content>
      <p>
        No more events will be sent to <code>{{ webhook.url }}</code
        >, and its delivery log goes with it. This cannot be undone.
      </p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button matButton type="button" [mat-dialog-close]="false">Cancel</button>
      <button matButton="filled" class="danger" type="button" [mat-dialog-close]="true">
        Delete endpoint
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    p {
      overflow-wrap: anywhere;
    }
    .danger {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeleteWebhookDialog {
  protected readonly webhook = inject<Webhook>(MAT_DIALOG_DATA);
}

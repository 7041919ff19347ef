import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { ApiKey } from '@vidgen/contracts';

/** Asks before revoking a key; closes with `true` to go ahead. */
@Component({
  selector: 'app-revoke-api-key-dialog',
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>Revoke API key?</h2>
    <mat-dialog-content>
      <p>
        Programs using “{{ key.name }}” (<code>{{ key.prefix }}…</code>) will be refused from now
        on. This cannot be undone.
      </p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button matButton type="button" [mat-dialog-close]="false">Cancel</button>
      <button matButton="filled" class="danger" type="button" [mat-dialog-close]="true">
        Revoke key
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
export class RevokeApiKeyDialog {
  protected readonly key = inject<ApiKey>(MAT_DIALOG_DATA);
}

import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';

/** Asks before deleting; closes with `true` to go ahead. */
@Component({
  selector: 'app-delete-video-dialog',
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>Delete video?</h2>
    <mat-dialog-content>
      <p>“{{ title }}” and its file will be removed for good. This cannot be undone.</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button matButton type="button" [mat-dialog-close]="false">Cancel</button>
      <button matButton="filled" class="danger" type="button" [mat-dialog-close]="true">
        Delete
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
export class DeleteVideoDialog {
  protected readonly title = inject<{ title: string }>(MAT_DIALOG_DATA).title;
}

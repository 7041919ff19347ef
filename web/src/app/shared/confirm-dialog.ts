import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';

/** Plain text, or a name set apart as code (a URL, a key's prefix). */
export type MessagePart = string | { code: string };

export interface ConfirmDialogData {
  title: string;
  /** One sentence in parts, so callers can set a name apart without writing HTML. */
  message: readonly MessagePart[];
  confirmLabel: string;
}

/** Asks before something that cannot be undone; closes with `true` to go ahead. */
@Component({
  selector: 'app-confirm-dialog',
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <p>
        @for (part of data.message; track $index) {
          @if (typeof part === 'string') {
            <!-- Bare, the text would gain a space from the line breaks around it, even before a comma. -->
            <ng-container>{{ part }}</ng-container>
          } @else {
            <code>{{ part.code }}</code>
          }
        }
      </p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button matButton type="button" [mat-dialog-close]="false">Cancel</button>
      <button matButton="filled" class="danger" type="button" [mat-dialog-close]="true">
        {{ data.confirmLabel }}
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
export class ConfirmDialog {
  protected readonly data = inject<ConfirmDialogData>(MAT_DIALOG_DATA);
}

/** Opens the dialog; resolves `true` only when the person confirmed, not on Cancel or Escape. */
export async function confirm(dialog: MatDialog, data: ConfirmDialogData): Promise<boolean> {
  const confirmed = await firstValueFrom(
    dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, {
        data,
        width: '440px',
        maxWidth: 'calc(100vw - 32px)',
      })
      .afterClosed(),
  );
  return confirmed === true;
}

import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

/**
 * The alert area above a form's submit button. The live region stays in the page so screen
 * readers announce a message the moment it appears.
 */
@Component({
  selector: 'app-form-alert',
  imports: [MatIconModule],
  template: `
    <div role="alert" class="form-alert" [class.visible]="!!message()">
      @if (message(); as text) {
        <mat-icon svgIcon="error" aria-hidden="true" />
        <span>{{ text }}</span>
      }
    </div>
  `,
  styles: `
    .form-alert.visible {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      margin-block: 8px 16px;
      padding: 12px 16px;
      border-radius: var(--mat-sys-corner-small);
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
      font: var(--mat-sys-body-medium);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FormAlert {
  readonly message = input<string | null>(null);
}

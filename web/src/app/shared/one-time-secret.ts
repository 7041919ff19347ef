import { Clipboard } from '@angular/cdk/clipboard';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  input,
  output,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';

let nextId = 0;

/**
 * A secret the API answers once (an API key, a webhook's signing secret), with a warning and a
 * copy button. It takes the focus when it appears, so screen readers read it out at once; `done`
 * is when the person has kept it, after which the host shows it no more.
 */
@Component({
  selector: 'app-one-time-secret',
  imports: [MatButtonModule, MatIconModule],
  template: `
    <div
      #box
      class="secret-box"
      role="region"
      [attr.aria-labelledby]="id + '-title'"
      [attr.aria-describedby]="id + '-warning'"
      tabindex="-1"
    >
      <h3 [id]="id + '-title'">
        <mat-icon svgIcon="info" aria-hidden="true" />
        {{ heading() }}
      </h3>
      <p [id]="id + '-warning'">
        Copy it now and keep it somewhere safe. It will not be shown again.
        <ng-content />
      </p>
      <code class="secret">{{ secret() }}</code>
      <div class="actions">
        <button matButton type="button" (click)="done.emit()">Done</button>
        <button matButton="filled" type="button" (click)="copy()">Copy {{ noun() }}</button>
      </div>
    </div>
  `,
  styles: `
    .secret-box {
      display: flex;
      flex-direction: column;
      max-width: 640px;
      margin-bottom: 16px;
      padding: 16px;
      border-radius: var(--mat-sys-corner-medium);
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    h3 {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 0 0 8px;
      font: var(--mat-sys-title-medium);
      overflow-wrap: anywhere;
    }
    p {
      margin: 0 0 12px;
      font: var(--mat-sys-body-medium);
    }
    .secret {
      margin-bottom: 16px;
      padding: 12px 16px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: var(--mat-sys-corner-small);
      background: var(--mat-sys-surface);
      color: var(--mat-sys-on-surface);
      font-family: ui-monospace, Menlo, Consolas, monospace;
      font-size: 15px;
      line-height: 1.5;
      overflow-wrap: anywhere;
      /* One click selects all of it, for copying by hand where the clipboard is not allowed. */
      user-select: all;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OneTimeSecret {
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);
  private readonly box = viewChild.required<ElementRef<HTMLElement>>('box');

  /** The box's heading, like “Your new key “CI””. */
  readonly heading = input.required<string>();
  readonly secret = input.required<string>();
  /** What the secret is called on the copy button and in its confirmation: "key", "secret". */
  readonly noun = input.required<string>();
  readonly done = output();

  protected readonly id = `app-one-time-secret-${nextId++}`;

  constructor() {
    afterNextRender(() => this.box().nativeElement.focus());
  }

  protected copy(): void {
    const copied = this.clipboard.copy(this.secret());
    const noun = this.noun();
    this.snackBar.open(
      copied
        ? `${noun[0].toUpperCase()}${noun.slice(1)} copied`
        : `Couldn't copy. Select the ${noun} and copy it yourself.`,
      undefined,
      { duration: 4000 },
    );
  }
}

import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'app-not-found-page',
  imports: [RouterLink, MatButtonModule],
  template: `
    <h1>Page not found</h1>
    <p>There is nothing at this address. It may have moved, or the link may be mistyped.</p>
    <a matButton="filled" routerLink="/">Go to the start page</a>
  `,
  styles: `
    :host {
      display: block;
      text-align: center;
      padding-block: 48px;
    }
    h1 {
      font: var(--mat-sys-headline-medium);
    }
    p {
      font: var(--mat-sys-body-large);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotFoundPage {}

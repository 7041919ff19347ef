import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { Orientation } from '@vidgen/contracts';

/** A small drawing of the frame: a 9:16 or 16:9 rectangle. Decorative; say the words beside it. */
@Component({
  selector: 'app-orientation-shape',
  template: '',
  host: {
    'aria-hidden': 'true',
    '[class.landscape]': 'orientation() === "landscape"',
    '[style.--shape-long]': 'size() + "px"',
  },
  styles: `
    :host {
      --shape-long: 24px;
      display: inline-block;
      box-sizing: border-box;
      flex: none;
      width: calc(var(--shape-long) * 9 / 16);
      height: var(--shape-long);
      border: 2px solid currentColor;
      border-radius: 3px;
    }
    :host(.landscape) {
      width: var(--shape-long);
      height: calc(var(--shape-long) * 9 / 16);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrientationShape {
  readonly orientation = input.required<Orientation>();
  /** Length of the long side in pixels. */
  readonly size = input(24);
}

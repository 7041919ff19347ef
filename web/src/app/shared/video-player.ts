import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { Orientation } from '@vidgen/contracts';

/** The browser's own player, framed by the video's orientation so the page does not jump. */
@Component({
  selector: 'app-video-player',
  template: `
    <video
      controls
      playsinline
      preload="metadata"
      [src]="src()"
      [attr.aria-label]="label()"
      [class.landscape]="orientation() === 'landscape'"
    ></video>
  `,
  styles: `
    :host {
      display: flex;
      justify-content: center;
    }
    video {
      display: block;
      aspect-ratio: 9 / 16;
      width: min(100%, calc(min(70dvh, 720px) * 9 / 16));
      border-radius: var(--mat-sys-corner-medium);
      background: var(--mat-sys-scrim);
    }
    video.landscape {
      aspect-ratio: 16 / 9;
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class VideoPlayer {
  readonly src = input.required<string>();
  readonly orientation = input.required<Orientation>();
  readonly label = input.required<string>();
}

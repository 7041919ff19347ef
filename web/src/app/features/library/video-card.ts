import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { Video, VideoJob, VideoStatus } from '@vidgen/contracts';
import { IconName } from '../../core/icons/icons';
import { OrientationShape } from '../../shared/orientation-shape';
import { isInProgress, OrientationLabelPipe, StatusLabelPipe } from '../../shared/video-labels';

const PLACEHOLDER_ICONS: Partial<Record<VideoStatus, IconName>> = {
  [VideoStatus.Queued]: 'hourglass_top',
  [VideoStatus.Running]: 'movie_edit',
  [VideoStatus.Failed]: 'error',
  [VideoStatus.Cancelled]: 'block',
};

/** One video in the Library grid; the whole card opens the Video page. */
@Component({
  selector: 'app-video-card',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    OrientationShape,
    OrientationLabelPipe,
    StatusLabelPipe,
  ],
  templateUrl: './video-card.html',
  styleUrl: './video-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class VideoCard {
  readonly video = input.required<Video>();
  /** The latest live state of the video's job, when one is known. */
  readonly job = input<VideoJob>();
  readonly favoriteChange = output<boolean>();

  protected readonly title = computed(() => this.video().title || this.video().prompt);
  protected readonly inProgress = computed(() => isInProgress(this.video().status));
  protected readonly progress = computed(() => {
    const job = this.job();
    return job && job.videoId === this.video().id ? Math.round(job.progress) : 0;
  });
  protected readonly stage = computed(() => {
    const job = this.job();
    if (job?.stage) return job.stage;
    return this.video().status === VideoStatus.Queued ? 'Waiting to start' : 'Working';
  });
  protected readonly placeholderIcon = computed(
    () => PLACEHOLDER_ICONS[this.video().status] ?? 'movie',
  );
  protected readonly duration = computed(() => Math.round(this.video().durationSeconds));
}

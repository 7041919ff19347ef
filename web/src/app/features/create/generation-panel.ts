import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  output,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { ErrorCode, JobStatus, VideoStatus } from '@vidgen/contracts';
import { JobsApi } from '../../core/api/jobs-api';
import { PendingAction } from '../../core/forms/pending-action';
import { JobTracker } from '../../core/jobs/job-tracker';
import { ActiveProvider } from '../../core/providers/active-provider';
import { FormAlert } from '../../shared/form-alert';
import { JobProgress } from '../../shared/job-progress';
import { ProviderLabelPipe } from '../../shared/video-labels';
import { VideoPlayer } from '../../shared/video-player';
import { failureMessage } from '../../shared/video-failure';

type Phase = 'connecting' | 'active' | 'ready' | 'failed' | 'cancelled' | 'lost';

const HEADINGS: Record<Phase, string> = {
  connecting: 'Generating your video',
  active: 'Generating your video',
  ready: 'Your video is ready',
  failed: 'Generation failed',
  cancelled: 'Generation cancelled',
  lost: 'Generation not found',
};

/** The watched generation on the Create page: live progress, then the player or what went wrong. */
@Component({
  selector: 'app-generation-panel',
  imports: [
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatProgressBarModule,
    FormAlert,
    JobProgress,
    ProviderLabelPipe,
    VideoPlayer,
  ],
  template: `
    <mat-card appearance="outlined" class="panel">
      <h2>{{ heading() }}</h2>
      @let job = tracker.job();
      @let video = tracker.video();
      @switch (phase()) {
        @case ('connecting') {
          <mat-progress-bar mode="indeterminate" aria-label="Connecting" />
        }
        @case ('active') {
          @if (job) {
            <app-job-progress [job]="job" [cancelling]="action.busy()" (cancelJob)="cancel()" />
          }
        }
        @case ('ready') {
          @if (video?.contentUrl; as src) {
            <app-video-player
              [src]="src"
              [orientation]="video!.orientation"
              [label]="video!.title || 'Generated video'"
            />
            <p class="provider">Made by {{ video!.provider | providerLabel: activeProvider() }}</p>
            <div class="actions">
              <a matButton="filled" [routerLink]="['/videos', video!.id]"> Open in library </a>
              <button matButton="outlined" type="button" (click)="another.emit()">
                Generate another
              </button>
            </div>
          }
        }
        @default {
          <p class="problem" role="alert">{{ problem() }}</p>
          <div class="actions">
            @if (phase() !== 'lost') {
              <button matButton="filled" type="button" [disabled]="action.busy()" (click)="retry()">
                Try again
              </button>
            }
            <button matButton="outlined" type="button" (click)="another.emit()">
              Generate another
            </button>
          </div>
        }
      }
      <app-form-alert [message]="action.error()" />
    </mat-card>
  `,
  styles: `
    .panel {
      display: flex;
      flex-direction: column;
      gap: 16px;
      padding: 24px;
    }
    h2 {
      margin: 0;
      font: var(--mat-sys-title-large);
    }
    .provider,
    .problem {
      margin: 0;
      font: var(--mat-sys-body-medium);
    }
    .provider {
      color: var(--mat-sys-on-surface-variant);
    }
    .problem {
      color: var(--mat-sys-error);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: 8px;
    }
    @media (max-width: 599.98px) {
      .panel {
        padding: 16px;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GenerationPanel {
  private readonly jobsApi = inject(JobsApi);
  protected readonly tracker = inject(JobTracker);
  /** The Create page loads it. */
  protected readonly activeProvider = inject(ActiveProvider).info;

  /** "Generate another": the page clears the form and the URL. */
  readonly another = output<void>();
  /** A retry made a new job, which the page puts in the URL. */
  readonly retried = output<string>();

  protected readonly action = new PendingAction();

  constructor() {
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    // The panel opens below the form, often below the fold on laptops and phones.
    afterNextRender(() => host.scrollIntoView?.({ behavior: 'smooth', block: 'nearest' }));
  }

  protected readonly phase = computed<Phase>(() => {
    const error = this.tracker.error();
    if (error) return 'lost';
    const job = this.tracker.job();
    const video = this.tracker.video();
    if (!job) return 'connecting';
    if (this.tracker.active()) return 'active';
    if (job.status === JobStatus.Failed) return 'failed';
    if (job.status === JobStatus.Cancelled) return 'cancelled';
    return video?.status === VideoStatus.Ready ? 'ready' : 'connecting';
  });
  protected readonly heading = computed(() => HEADINGS[this.phase()]);
  protected readonly problem = computed(() => {
    const error = this.tracker.error();
    if (error) {
      return error.code === ErrorCode.NotFound
        ? 'This generation no longer exists. It may have been deleted.'
        : error.displayMessage;
    }
    return failureMessage(this.tracker.job(), this.tracker.video());
  });

  protected async cancel(): Promise<void> {
    const job = this.tracker.job();
    if (!job) return;
    await this.action.run(async () => {
      this.tracker.apply({ job: await this.jobsApi.cancel(job.id) });
    });
  }

  protected async retry(): Promise<void> {
    const job = this.tracker.job();
    if (!job) return;
    await this.action.run(async () => {
      const attempt = await this.jobsApi.retry(job.id);
      this.tracker.track(attempt.job.id, attempt);
      this.retried.emit(attempt.job.id);
    });
  }
}

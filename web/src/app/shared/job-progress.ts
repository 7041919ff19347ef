import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { JobStatus, VideoJob } from '@vidgen/contracts';
import { formatElapsed, jobElapsedMs } from './video-labels';

/** A running or queued job: bar, stage, percent, elapsed time, queue position, Cancel. */
@Component({
  selector: 'app-job-progress',
  imports: [MatButtonModule, MatProgressBarModule],
  template: `
    @let current = job();
    <div class="line">
      <span class="stage" aria-live="polite">{{ stage() }}</span>
      <span class="percent">{{ percent() }}%</span>
    </div>
    <mat-progress-bar mode="determinate" [value]="percent()" [attr.aria-label]="label()" />
    <div class="line meta">
      <span
        >Elapsed <span class="elapsed">{{ elapsed() }}</span></span
      >
      @if (current.status === 'queued' && current.queuePosition) {
        <span class="queue">Position {{ current.queuePosition }} in the queue</span>
      }
      <span class="spacer"></span>
      <button
        matButton="outlined"
        type="button"
        [disabled]="cancelling()"
        (click)="cancelJob.emit()"
      >
        Cancel
      </button>
    </div>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .line {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 16px;
    }
    .stage {
      flex: 1 1 auto;
      font: var(--mat-sys-title-small);
    }
    .percent {
      font: var(--mat-sys-title-small);
      font-variant-numeric: tabular-nums;
    }
    .meta {
      font: var(--mat-sys-body-medium);
      color: var(--mat-sys-on-surface-variant);
    }
    .elapsed {
      font-variant-numeric: tabular-nums;
    }
    .spacer {
      flex: 1 1 auto;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class JobProgress {
  readonly job = input.required<VideoJob>();
  readonly label = input('Generation progress');
  readonly cancelling = input(false);
  readonly cancelJob = output<void>();

  private readonly now = signal(Date.now());

  protected readonly percent = computed(() =>
    Math.max(0, Math.min(100, Math.round(this.job().progress))),
  );
  protected readonly stage = computed(() => {
    const job = this.job();
    if (job.stage) return job.stage;
    return job.status === JobStatus.Queued ? 'Waiting to start' : 'Working';
  });
  protected readonly elapsed = computed(() => formatElapsed(jobElapsedMs(this.job(), this.now())));

  constructor() {
    const tick = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(tick));
  }
}

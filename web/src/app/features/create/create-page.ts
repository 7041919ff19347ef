import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, Router } from '@angular/router';
import { DEFAULT_DURATION_SECONDS, Orientation, PROMPT_MAX_LENGTH, Video } from '@vidgen/contracts';
import { map } from 'rxjs';
import { VideosApi } from '../../core/api/videos-api';
import { requiredNonBlank, showServerErrors } from '../../core/forms/server-errors';
import { JobTracker } from '../../core/jobs/job-tracker';
import { FieldErrorPipe } from '../../shared/field-error.pipe';
import { FormAlert } from '../../shared/form-alert';
import { OrientationShape } from '../../shared/orientation-shape';
import { LOCAL_PROVIDER_LABEL } from '../../shared/video-labels';
import { GenerationPanel } from './generation-panel';

export const DURATION_CHOICES = [5, 10, 15] as const;

@Component({
  selector: 'app-create-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    FieldErrorPipe,
    FormAlert,
    OrientationShape,
    GenerationPanel,
  ],
  providers: [JobTracker],
  templateUrl: './create-page.html',
  styleUrl: './create-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreatePage {
  private readonly videosApi = inject(VideosApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  protected readonly tracker = inject(JobTracker);
  private readonly promptBox = viewChild.required<ElementRef<HTMLTextAreaElement>>('promptBox');

  /** `?job=<id>`: the generation being watched, kept in the URL so a reload resumes it. */
  readonly job = input<string>();

  protected readonly orientations = Orientation;
  protected readonly promptMax = PROMPT_MAX_LENGTH;
  protected readonly durations = DURATION_CHOICES;
  protected readonly localProviderLabel = LOCAL_PROVIDER_LABEL;
  protected readonly form = inject(NonNullableFormBuilder).group({
    prompt: ['', [Validators.required, requiredNonBlank, Validators.maxLength(PROMPT_MAX_LENGTH)]],
    orientation: [Orientation.Portrait],
    durationSeconds: [DEFAULT_DURATION_SECONDS as number],
  });
  protected readonly promptLength = toSignal(
    this.form.controls.prompt.valueChanges.pipe(map((v) => v.length)),
    { initialValue: 0 },
  );
  protected readonly overLimit = computed(() => this.promptLength() > PROMPT_MAX_LENGTH);
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    effect(() => {
      const jobId = this.job();
      untracked(() => {
        if (jobId) this.tracker.track(jobId);
        else this.tracker.stop();
      });
    });
    // After a reload or a re-run the prompt box shows what is being generated.
    effect(() => {
      const video = this.tracker.video();
      if (video) untracked(() => this.prefill(video));
    });
  }

  protected async generate(): Promise<void> {
    this.error.set(null);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    try {
      const { prompt, orientation, durationSeconds } = this.form.getRawValue();
      const created = await this.videosApi.create({
        prompt: prompt.trim(),
        orientation,
        durationSeconds,
      });
      this.tracker.track(created.job.id, created);
      await this.showJob(created.job.id);
    } catch (error) {
      this.error.set(showServerErrors(this.form, error));
    } finally {
      this.submitting.set(false);
    }
  }

  protected async generateAnother(): Promise<void> {
    this.error.set(null);
    this.form.reset();
    await this.router.navigate([], { relativeTo: this.route, queryParams: {} });
    this.promptBox().nativeElement.focus();
  }

  protected showJob(jobId: string): Promise<boolean> {
    return this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { job: jobId },
    });
  }

  private prefill(video: Video): void {
    if (this.form.dirty || this.form.controls.prompt.value) return;
    this.form.reset({
      prompt: video.prompt,
      orientation: video.orientation,
      durationSeconds: nearestDuration(video.durationSeconds),
    });
  }
}

function nearestDuration(seconds: number): number {
  return DURATION_CHOICES.reduce((best, choice) =>
    Math.abs(choice - seconds) < Math.abs(best - seconds) ? choice : best,
  );
}

import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  input,
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
import { CreateVideoRequest, Orientation, PROMPT_MAX_LENGTH, Video } from '@vidgen/contracts';
import { map } from 'rxjs';
import { VideosApi } from '../../core/api/videos-api';
import { FormSubmission } from '../../core/forms/form-submission';
import { requiredNonBlank } from '../../core/forms/server-errors';
import { JobTracker } from '../../core/jobs/job-tracker';
import { ActiveProvider } from '../../core/providers/active-provider';
import { FieldErrorPipe } from '../../shared/field-error.pipe';
import { FormAlert } from '../../shared/form-alert';
import { OrientationShape } from '../../shared/orientation-shape';
import { LOCAL_PROVIDER_LABEL } from '../../shared/video-labels';
import { GenerationPanel } from './generation-panel';

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
  protected readonly providers = inject(ActiveProvider);
  private readonly promptBox = viewChild.required<ElementRef<HTMLTextAreaElement>>('promptBox');

  /** `?job=<id>`: the generation being watched, kept in the URL so a reload resumes it. */
  readonly job = input<string>();

  protected readonly orientations = Orientation;
  protected readonly promptMax = PROMPT_MAX_LENGTH;
  protected readonly localProviderLabel = LOCAL_PROVIDER_LABEL;
  /** The provider's lengths; the field stays off until they have loaded. */
  protected readonly durations = computed(() => this.providers.info()?.durationOptions ?? []);
  protected readonly form = inject(NonNullableFormBuilder).group({
    prompt: ['', [Validators.required, requiredNonBlank, Validators.maxLength(PROMPT_MAX_LENGTH)]],
    orientation: [Orientation.Portrait],
    durationSeconds: [{ value: null as number | null, disabled: true }],
  });
  protected readonly promptLength = toSignal(
    this.form.controls.prompt.valueChanges.pipe(map((v) => v.length)),
    { initialValue: 0 },
  );
  protected readonly overLimit = computed(() => this.promptLength() > PROMPT_MAX_LENGTH);
  protected readonly submission = new FormSubmission(this.form);
  protected readonly providerProblem = computed(() => {
    const error = this.providers.error();
    return (
      error && `Couldn't load the video settings, so the server will pick the length. ${error}`
    );
  });

  constructor() {
    void this.providers.load();
    effect(() => {
      const options = this.durations();
      untracked(() => this.offerDurations(options));
    });
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

  protected generate(): Promise<void> {
    return this.submission.run(async () => {
      const created = await this.videosApi.create(this.request());
      this.tracker.track(created.job.id, created);
      await this.showJob(created.job.id);
    });
  }

  protected async generateAnother(): Promise<void> {
    this.submission.clearError();
    this.form.reset({ durationSeconds: this.durations()[0] ?? null });
    await this.router.navigate([], { relativeTo: this.route, queryParams: {} });
    this.promptBox().nativeElement.focus();
  }

  protected showJob(jobId: string): Promise<boolean> {
    return this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { job: jobId },
    });
  }

  private request(): CreateVideoRequest {
    const { prompt, orientation, durationSeconds } = this.form.getRawValue();
    const request: CreateVideoRequest = { prompt: prompt.trim(), orientation };
    // Without the provider's lengths the field is off, and the server picks its default.
    return this.form.controls.durationSeconds.enabled && durationSeconds !== null
      ? { ...request, durationSeconds }
      : request;
  }

  private prefill(video: Video): void {
    if (this.form.dirty || this.form.controls.prompt.value) return;
    this.form.reset({
      prompt: video.prompt,
      orientation: video.orientation,
      durationSeconds: nearestDuration(video.durationSeconds, this.durations()),
    });
  }

  /** Turns the field on with the provider's first length, or the one nearest a prefilled video's. */
  private offerDurations(options: readonly number[]): void {
    const control = this.form.controls.durationSeconds;
    if (options.length === 0) return;
    const current = control.value;
    control.setValue(current === null ? options[0] : nearestDuration(current, options));
    control.enable();
  }
}

/** A ready video reports its measured length (4.97 s): the nearest option, or whole seconds. */
function nearestDuration(seconds: number, options: readonly number[]): number {
  return options.reduce(
    (best, choice) => (Math.abs(choice - seconds) < Math.abs(best - seconds) ? choice : best),
    options[0] ?? Math.round(seconds),
  );
}

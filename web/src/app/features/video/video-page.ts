import { DatePipe, DecimalPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Title } from '@angular/platform-browser';
import { Router, RouterLink } from '@angular/router';
import { TITLE_MAX_LENGTH, Video } from '@vidgen/contracts';
import { JobsApi } from '../../core/api/jobs-api';
import { VideosApi } from '../../core/api/videos-api';
import { FormSubmission } from '../../core/forms/form-submission';
import { requiredNonBlank } from '../../core/forms/server-errors';
import { PendingAction } from '../../core/forms/pending-action';
import { toApiError } from '../../core/http/api-error';
import { JobTracker } from '../../core/jobs/job-tracker';
import { PRODUCT_NAME } from '../../core/page-title.strategy';
import { ActiveProvider } from '../../core/providers/active-provider';
import { BytesPipe } from '../../shared/bytes.pipe';
import { confirm } from '../../shared/confirm-dialog';
import { FieldErrorPipe } from '../../shared/field-error.pipe';
import { FormAlert } from '../../shared/form-alert';
import { JobProgress } from '../../shared/job-progress';
import { failureMessage } from '../../shared/video-failure';
import {
  isInProgress,
  OrientationLabelPipe,
  ProviderLabelPipe,
  StatusLabelPipe,
} from '../../shared/video-labels';
import { VideoPlayer } from '../../shared/video-player';
import { requestDifferences } from './request-differences';

@Component({
  selector: 'app-video-page',
  imports: [
    DatePipe,
    DecimalPipe,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    BytesPipe,
    FieldErrorPipe,
    FormAlert,
    JobProgress,
    OrientationLabelPipe,
    ProviderLabelPipe,
    StatusLabelPipe,
    VideoPlayer,
  ],
  providers: [JobTracker],
  templateUrl: './video-page.html',
  styleUrl: './video-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class VideoPage {
  private readonly videosApi = inject(VideosApi);
  private readonly jobsApi = inject(JobsApi);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly pageTitle = inject(Title);
  protected readonly tracker = inject(JobTracker);
  private readonly providers = inject(ActiveProvider);
  /** Puts the provider's own label on videos it made. */
  protected readonly activeProvider = this.providers.info;

  readonly id = input.required<string>();

  protected readonly video = signal<Video | null>(null);
  protected readonly loading = signal(false);
  protected readonly notFound = signal(false);
  protected readonly loadError = signal<string | null>(null);
  protected readonly action = new PendingAction();
  protected readonly inProgress = isInProgress;
  protected readonly failureMessage = failureMessage;
  protected readonly differences = computed(() => {
    const video = this.video();
    return video ? requestDifferences(video) : [];
  });

  protected readonly titleForm = inject(NonNullableFormBuilder).group({
    title: ['', [requiredNonBlank, Validators.maxLength(TITLE_MAX_LENGTH)]],
  });
  protected readonly titleSubmission = new FormSubmission(this.titleForm);

  constructor() {
    void this.providers.load();
    effect(() => {
      const id = this.id();
      untracked(() => void this.load(id));
    });
    effect(() => {
      const live = this.tracker.video();
      if (live) untracked(() => live.id === this.id() && this.show(live));
    });
  }

  protected async load(id = this.id()): Promise<void> {
    if (this.video()?.id !== id) {
      this.video.set(null);
      this.titleForm.reset({ title: '' });
      this.tracker.stop();
    }
    this.loading.set(true);
    this.notFound.set(false);
    this.loadError.set(null);
    try {
      const video = await this.videosApi.get(id);
      if (id === this.id()) this.show(video);
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.status === 404) {
        this.video.set(null);
        this.notFound.set(true);
        this.pageTitle.setTitle(`Video not found · ${PRODUCT_NAME}`);
      } else {
        this.loadError.set(apiError.displayMessage);
      }
    } finally {
      this.loading.set(false);
    }
  }

  protected async saveTitle(): Promise<void> {
    const video = this.video();
    if (!video) return;
    await this.titleSubmission.run(async () => {
      const title = this.titleForm.getRawValue().title.trim();
      const saved = await this.videosApi.update(video.id, { title });
      this.titleForm.reset({ title: saved.title });
      this.show(saved);
      this.snackBar.open('Title saved', undefined, { duration: 4000 });
    });
  }

  protected toggleFavorite(video: Video): Promise<void> {
    return this.action.run(async () => {
      this.show(await this.videosApi.update(video.id, { favorite: !video.favorite }));
    });
  }

  /** The same request as a new video, watched on the Create page. */
  protected rerun(video: Video): Promise<void> {
    return this.action.run(async () => {
      const created = await this.videosApi.create({
        prompt: video.prompt,
        orientation: video.requestedOrientation,
        durationSeconds: video.requestedDurationSeconds,
      });
      await this.router.navigate(['/create'], {
        queryParams: { job: created.job.id },
      });
    });
  }

  protected cancel(jobId: string): Promise<void> {
    return this.action.run(async () => {
      this.tracker.apply({ job: await this.jobsApi.cancel(jobId) });
    });
  }

  protected retry(video: Video): Promise<void> {
    return this.action.run(async () => {
      const attempt = await this.jobsApi.retry(video.jobId);
      this.show(attempt.video);
      this.tracker.track(attempt.job.id, attempt);
    });
  }

  protected async delete(video: Video): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: 'Delete video?',
      message: [
        `“${video.title || video.prompt}” and its file will be removed for good. This cannot be undone.`,
      ],
      confirmLabel: 'Delete',
    });
    if (!confirmed) return;
    await this.action.run(async () => {
      await this.videosApi.delete(video.id);
      await this.router.navigateByUrl('/library');
      this.snackBar.open('Video deleted', undefined, { duration: 4000 });
    });
  }

  private show(video: Video): void {
    this.video.set(video);
    this.pageTitle.setTitle(`${video.title || 'Video'} · ${PRODUCT_NAME}`);
    if (this.titleForm.pristine) this.titleForm.reset({ title: video.title });
    if (isInProgress(video.status)) this.tracker.track(video.jobId);
    else this.tracker.stop();
  }
}

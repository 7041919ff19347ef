import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  OnInit,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { Video, VIDEO_PAGE_SIZE_DEFAULT, VIDEO_PAGE_SIZE_MAX, VideoJob } from '@vidgen/contracts';
import { debounceTime, distinctUntilChanged, map, merge } from 'rxjs';
import { JobsApi } from '../../core/api/jobs-api';
import { VideosApi } from '../../core/api/videos-api';
import { toApiError } from '../../core/http/api-error';
import { JobEvent, JobStreamService } from '../../core/jobs/job-stream.service';
import { FormAlert } from '../../shared/form-alert';
import { InViewDirective } from '../../shared/in-view.directive';
import {
  fitsFilters,
  LibraryFilters,
  ORIENTATION_FILTERS,
  STATUS_FILTERS,
  toListFilters,
} from './library-filters';
import { VideoCard } from './video-card';

const SEARCH_DEBOUNCE_MS = 300;

@Component({
  selector: 'app-library-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    FormAlert,
    InViewDirective,
    VideoCard,
  ],
  templateUrl: './library-page.html',
  styleUrl: './library-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LibraryPage implements OnInit {
  private readonly videosApi = inject(VideosApi);
  private readonly jobsApi = inject(JobsApi);
  private readonly streams = inject(JobStreamService);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly statusFilters = STATUS_FILTERS;
  protected readonly orientationFilters = ORIENTATION_FILTERS;
  protected readonly filters = inject(NonNullableFormBuilder).group({
    status: ['all' as LibraryFilters['status']],
    orientation: ['all' as LibraryFilters['orientation']],
    favorites: [false],
    q: [''],
  });

  protected readonly videos = signal<Video[]>([]);
  /** Latest job state per video id, from the live stream. */
  protected readonly jobs = signal<Record<string, VideoJob>>({});
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly loaded = signal(false);
  protected readonly loadingMore = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly moreError = signal<string | null>(null);
  protected readonly filtered = signal(false);
  protected readonly empty = computed(
    () => this.loaded() && !this.error() && this.videos().length === 0,
  );

  /** Answers to superseded queries (filters changed meanwhile) are dropped. */
  private generation = 0;
  /** Videos whose job the stream told about since the active jobs were last asked for. */
  private readonly heardFromStream = new Set<string>();

  constructor() {
    const { status, orientation, favorites, q } = this.filters.controls;
    merge(
      status.valueChanges,
      orientation.valueChanges,
      favorites.valueChanges,
      q.valueChanges.pipe(
        debounceTime(SEARCH_DEBOUNCE_MS),
        map((value) => value.trim()),
        distinctUntilChanged(),
      ),
    )
      .pipe(takeUntilDestroyed())
      .subscribe(() => void this.reload());

    this.streams
      .all()
      .pipe(takeUntilDestroyed())
      .subscribe((message) =>
        message.type === 'reopened' ? void this.refresh() : this.onJobEvent(message),
      );
  }

  ngOnInit(): void {
    void this.reload();
    void this.loadActiveJobs();
  }

  /** The first page, or as many videos as `limit` says (up to the API's largest page). */
  protected async reload(limit?: number): Promise<void> {
    const generation = ++this.generation;
    const filters = this.filters.getRawValue();
    this.loading.set(true);
    this.error.set(null);
    this.moreError.set(null);
    try {
      const page = await this.videosApi.list({
        ...toListFilters(filters),
        ...(limit ? { limit } : {}),
      });
      if (generation !== this.generation) return;
      this.videos.set(page.items);
      this.nextCursor.set(page.nextCursor);
      this.filtered.set(Object.keys(toListFilters(filters)).length > 0);
      this.loaded.set(true);
    } catch (error) {
      if (generation === this.generation) this.error.set(toApiError(error).displayMessage);
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  protected async loadMore(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor || this.loading() || this.loadingMore()) return;
    const generation = this.generation;
    this.loadingMore.set(true);
    this.moreError.set(null);
    try {
      const page = await this.videosApi.list({
        ...toListFilters(this.filters.getRawValue()),
        cursor,
      });
      if (generation !== this.generation) return;
      const known = new Set(this.videos().map((v) => v.id));
      this.videos.update((list) => [...list, ...page.items.filter((v) => !known.has(v.id))]);
      this.nextCursor.set(page.nextCursor);
    } catch (error) {
      if (generation === this.generation) this.moreError.set(toApiError(error).displayMessage);
    } finally {
      this.loadingMore.set(false);
    }
  }

  protected async setFavorite(video: Video, favorite: boolean): Promise<void> {
    this.replace({ ...video, favorite });
    try {
      this.replace(await this.videosApi.update(video.id, { favorite }));
    } catch (error) {
      this.replace(video);
      this.snackBar.open(toApiError(error).displayMessage, undefined, {
        duration: 6000,
      });
    }
  }

  /**
   * The stream is back after a gap, whose events are lost: a job that ended meanwhile would stay
   * "Generating" on its card. Fetches the list again, as far as it was loaded (so nobody loses
   * their place), then the active jobs.
   */
  private async refresh(): Promise<void> {
    const shown = this.videos().length;
    await this.reload(
      shown > VIDEO_PAGE_SIZE_DEFAULT ? Math.min(shown, VIDEO_PAGE_SIZE_MAX) : undefined,
    );
    await this.loadActiveJobs();
  }

  /**
   * Replaces what is known of the jobs with the active ones, but for what the stream said
   * meanwhile, which is as new. A job no longer active drops out: its card goes by its video.
   */
  private async loadActiveJobs(): Promise<void> {
    this.heardFromStream.clear();
    try {
      const active = await this.jobsApi.listActive();
      this.jobs.update((jobs) => {
        const known: Record<string, VideoJob> = {};
        for (const job of active) known[job.videoId] = job;
        for (const videoId of this.heardFromStream) known[videoId] = jobs[videoId];
        return known;
      });
    } catch {
      // Only a head start: the live stream fills in progress as it comes.
    }
  }

  private onJobEvent({ data }: JobEvent): void {
    const { job, video } = data;
    this.heardFromStream.add(job.videoId);
    this.jobs.update((jobs) => ({ ...jobs, [job.videoId]: job }));
    if (!video) return;
    if (this.videos().some((v) => v.id === video.id)) {
      this.replace(video);
    } else if (this.isNewest(video)) {
      this.videos.update((list) => [video, ...list]);
    }
  }

  /** A video made elsewhere (another tab, the API) joins the top of the list. */
  private isNewest(video: Video): boolean {
    if (!this.loaded() || !fitsFilters(video, this.filters.getRawValue())) return false;
    const first = this.videos()[0];
    return !first || video.createdAt >= first.createdAt;
  }

  private replace(video: Video): void {
    this.videos.update((list) => list.map((v) => (v.id === video.id ? video : v)));
  }
}

import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Title } from '@angular/platform-browser';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import {
  ApiRoutes,
  ErrorCode,
  JobEventType,
  JobStatus,
  Orientation,
  ProviderInfo,
  Video,
  VideoStatus,
} from '@vidgen/contracts';
import {
  accessibleText,
  alertText,
  getButton,
  getByRole,
  getElement,
  getField,
  getLink,
  heading,
  queryButton,
  settle,
  textOf,
  typeInto,
} from '../../../testing/dom';
import { FakeEventSources, provideFakeEventSources } from '../../../testing/fake-event-source';
import { errorBody, StubPage, stubRoutes, testProviders } from '../../../testing/providers';
import {
  aJob,
  aLocalProvider,
  anAiProvider,
  aReadyVideo,
  aVideo,
  JOB_ID,
  VIDEO_ID,
} from '../../../testing/videos';
import { VideoPage } from './video-page';

describe('VideoPage', () => {
  let harness: RouterTestingHarness;
  let page: HTMLElement;
  let httpTesting: HttpTestingController;
  let sources: FakeEventSources;
  const ready = aReadyVideo();

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        testProviders([
          { path: 'videos/:id', component: VideoPage },
          { path: 'library', component: StubPage },
          { path: 'create', component: StubPage },
          ...stubRoutes,
        ]),
        provideFakeEventSources(),
      ],
    });
    httpTesting = TestBed.inject(HttpTestingController);
    sources = TestBed.inject(FakeEventSources);
    harness = await RouterTestingHarness.create();
  });

  afterEach(() => httpTesting.verify());

  /** Navigates to the page; it asks which provider is active first. */
  async function visit(provider: ProviderInfo = aLocalProvider()) {
    await harness.navigateByUrl(`/videos/${VIDEO_ID}`, VideoPage);
    page = harness.routeNativeElement as HTMLElement;
    httpTesting.expectOne(ApiRoutes.providers).flush({ active: provider });
  }

  async function open(video: Video = ready, provider?: ProviderInfo) {
    await visit(provider);
    httpTesting.expectOne(ApiRoutes.video(VIDEO_ID)).flush({ video });
    await settle(harness.fixture);
  }

  function fact(term: string): string {
    const dt = [...page.querySelectorAll('dt')].find((d) => accessibleText(d) === term);
    return dt?.nextElementSibling ? accessibleText(dt.nextElementSibling) : '';
  }

  it('plays the video and lists its details', async () => {
    await open();

    expect(heading(page)).toBe('Paper boat');
    expect(TestBed.inject(Title).getTitle()).toBe('Paper boat · VidGen');
    const player = page.querySelector('video') as HTMLVideoElement;
    expect(player.getAttribute('src')).toBe(ready.contentUrl);
    expect(player.controls).toBe(true);
    expect(page.textContent).toContain(ready.prompt);
    expect(fact('Status')).toBe('Ready');
    expect(fact('Provider')).toBe('Local preview (not AI)');
    expect(fact('Model')).toBe('ffmpeg-lavfi');
    expect(fact('Resolution')).toBe('720 × 1280');
    expect(fact('Duration')).toBe('5 s');
    expect(fact('Size')).toBe('1.2 MB');
    expect(fact('Created')).toContain('2026');
    expect(fact('Completed')).toContain('2026');
    expect(getLink(page, 'Download').getAttribute('href')).toBe(
      `/api/videos/${VIDEO_ID}/content?download=1`,
    );
  });

  it("names the provider by the active provider's label when that one made the video", async () => {
    await open(aReadyVideo({ provider: 'chat-stream' }), anAiProvider());

    expect(fact('Provider')).toBe('Sora (chat-stream gateway)');
  });

  it('keeps the stored name of a provider that is no longer active', async () => {
    await open(aReadyVideo({ provider: 'openai-videos' }), anAiProvider());

    expect(fact('Provider')).toBe('openai-videos');
  });

  it('renames the video', async () => {
    await open();

    typeInto(getField(page, 'Title'), '  Boat at dusk ');
    getButton(page, 'Save').click();
    const req = httpTesting.expectOne(ApiRoutes.video(VIDEO_ID));
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ title: 'Boat at dusk' });
    req.flush({ video: { ...ready, title: 'Boat at dusk' } });
    await settle(harness.fixture);

    expect(heading(page)).toBe('Boat at dusk');
    expect(TestBed.inject(Title).getTitle()).toBe('Boat at dusk · VidGen');
  });

  it('toggles the favorite', async () => {
    await open();

    getButton(page, 'Add to favorites').click();
    const req = httpTesting.expectOne(ApiRoutes.video(VIDEO_ID));
    expect(req.request.body).toEqual({ favorite: true });
    req.flush({ video: { ...ready, favorite: true } });
    await settle(harness.fixture);

    expect(getButton(page, 'Remove from favorites')).toBeTruthy();
  });

  it('deletes only after confirming, then goes to the Library', async () => {
    await open();

    getButton(page, 'Delete').click();
    await settle(harness.fixture);
    const dialog = document.querySelector('mat-dialog-container') as HTMLElement;
    expect(heading(dialog, 2)).toBe('Delete video?');
    expect(textOf(dialog, 'p')).toBe(
      '“Paper boat” and its file will be removed for good. This cannot be undone.',
    );
    httpTesting.expectNone(ApiRoutes.video(VIDEO_ID));

    getButton(dialog, 'Delete').click();
    await settle(harness.fixture);
    const req = httpTesting.expectOne(ApiRoutes.video(VIDEO_ID));
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle(harness.fixture);

    expect(TestBed.inject(Router).url).toBe('/library');
  });

  it('keeps the video when the dialog is cancelled', async () => {
    await open();

    getButton(page, 'Delete').click();
    await settle(harness.fixture);
    getButton(getElement(document, 'mat-dialog-container'), 'Cancel').click();
    await settle(harness.fixture);

    httpTesting.expectNone(ApiRoutes.video(VIDEO_ID));
    expect(TestBed.inject(Router).url).toBe(`/videos/${VIDEO_ID}`);
  });

  it('re-runs the same request, not what came back, and watches it on Create', async () => {
    await open(
      aReadyVideo({
        orientation: Orientation.Portrait,
        requestedOrientation: Orientation.Landscape,
        durationSeconds: 6.02,
        requestedDurationSeconds: 10,
      }),
    );

    getButton(page, 'Re-run').click();
    const req = httpTesting.expectOne(ApiRoutes.videos);
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({
      prompt: ready.prompt,
      orientation: Orientation.Landscape,
      durationSeconds: 10,
    });
    req.flush(
      {
        video: aVideo({ id: 'v2', jobId: 'j2' }),
        job: aJob({ id: 'j2', videoId: 'v2' }),
      },
      { status: 202, statusText: 'Accepted' },
    );
    await settle(harness.fixture);

    expect(TestBed.inject(Router).url).toBe('/create?job=j2');
  });

  it('says nothing about the request when the video came out as asked', async () => {
    await open(aReadyVideo({ durationSeconds: 5.04, requestedDurationSeconds: 5 }));

    expect(page.querySelector('[role="note"]')).toBeNull();
  });

  it('points out a video of another orientation and a length far from the request', async () => {
    await open(
      aReadyVideo({
        orientation: Orientation.Portrait,
        requestedOrientation: Orientation.Landscape,
        width: 720,
        height: 1280,
        durationSeconds: 6.04,
        requestedDurationSeconds: 10,
      }),
    );

    const note = getByRole(page, 'note', 'Not as asked');
    expect([...note.querySelectorAll('p')].map((p) => accessibleText(p))).toEqual([
      'You asked for landscape; the video service made a portrait video (720 × 1280).',
      'You asked for 10 s; the video is 6 s long.',
    ]);
    expect(fact('Orientation')).toBe('Portrait');
    expect(fact('Duration')).toBe('6 s');
  });

  it('points out a square video, which is neither orientation', async () => {
    await open(aReadyVideo({ width: 1024, height: 1024 }));

    expect(accessibleText(getByRole(page, 'note', 'Not as asked'))).toBe(
      'You asked for portrait; the video service made a square video (1024 × 1024).',
    );
  });

  it('leaves a small difference in length unsaid', async () => {
    await open(aReadyVideo({ durationSeconds: 8.1, requestedDurationSeconds: 10 }));

    expect(page.querySelector('[role="note"]')).toBeNull();
  });

  it('shows live progress while the video is being made, then the player', async () => {
    await open(aVideo({ status: VideoStatus.Running }));
    const stream = sources.latest(ApiRoutes.jobStream(JOB_ID));

    stream.emit(JobEventType.Progress, {
      job: aJob({
        status: JobStatus.Running,
        progress: 55,
        queuePosition: null,
      }),
    });
    await settle(harness.fixture);
    expect(
      getByRole(page, 'progressbar', 'Generation progress').getAttribute('aria-valuenow'),
    ).toBe('55');
    expect(page.querySelector('video')).toBeNull();

    stream.emit(JobEventType.Succeeded, {
      job: aJob({ status: JobStatus.Succeeded, progress: 100 }),
      video: ready,
    });
    await settle(harness.fixture);

    expect(page.querySelector('video')?.getAttribute('src')).toBe(ready.contentUrl);
    expect(fact('Status')).toBe('Ready');
  });

  it('explains a failure and tries again', async () => {
    await open(
      aVideo({
        status: VideoStatus.Failed,
        error: { code: 'RENDER_FAILED', message: 'ffmpeg exited with code 1.' },
      }),
    );

    expect(alertText(page)).toBe('ffmpeg exited with code 1.');
    getButton(page, 'Try again').click();
    const req = httpTesting.expectOne(ApiRoutes.jobRetry(JOB_ID));
    expect(req.request.method).toBe('POST');
    req.flush(
      {
        video: aVideo({ status: VideoStatus.Queued, jobId: 'j2' }),
        job: aJob({ id: 'j2', attempt: 2 }),
      },
      { status: 202, statusText: 'Accepted' },
    );
    await settle(harness.fixture);

    expect(sources.isOpen(ApiRoutes.jobStream('j2'))).toBe(true);
    expect(queryButton(page, 'Try again')).toBeNull();
    expect(getByRole(page, 'progressbar', 'Generation progress')).toBeTruthy();
  });

  it('says "Video not found" for a missing or foreign id', async () => {
    await visit();
    httpTesting
      .expectOne(ApiRoutes.video(VIDEO_ID))
      .flush(errorBody(404, ErrorCode.NotFound, 'Video not found.'), {
        status: 404,
        statusText: 'Not Found',
      });
    await settle(harness.fixture);

    expect(heading(page)).toBe('Video not found');
    expect(getLink(page, 'Go to the Library').getAttribute('href')).toBe('/library');
    expect(queryButton(page, 'Delete')).toBeNull();
  });
});

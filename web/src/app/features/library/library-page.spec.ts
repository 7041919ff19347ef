import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import {
  ApiRoutes,
  JobEventType,
  JobStatus,
  Orientation,
  Video,
  VideoJob,
  VideoStatus,
} from '@vidgen/contracts';
import {
  accessibleText,
  chooseOption,
  getButton,
  getByRole,
  getElement,
  getField,
  getLink,
  heading,
  settle,
  textOf,
  typeInto,
} from '../../../testing/dom';
import { FakeEventSources, provideFakeEventSources } from '../../../testing/fake-event-source';
import { FakeIntersectionObserver } from '../../../testing/intersection-observer';
import { StubPage, stubRoutes, testProviders } from '../../../testing/providers';
import { aJob, aReadyVideo, aVideo } from '../../../testing/videos';
import { LibraryPage } from './library-page';

describe('LibraryPage', () => {
  let harness: RouterTestingHarness;
  let page: HTMLElement;
  let httpTesting: HttpTestingController;
  let sources: FakeEventSources;
  let restoreObserver: () => void;

  const ready = aReadyVideo({
    id: 'v-ready',
    title: 'Paper boat',
    jobId: 'j-ready',
  });
  const running = aVideo({
    id: 'v-running',
    title: 'Lighthouse',
    prompt: 'A lighthouse in a storm',
    orientation: Orientation.Landscape,
    status: VideoStatus.Running,
    jobId: 'j-running',
    createdAt: '2026-03-15T10:00:00.000Z',
  });
  const runningJob = aJob({
    id: 'j-running',
    videoId: 'v-running',
    status: JobStatus.Running,
    progress: 20,
    stage: 'Rendering frames',
    queuePosition: null,
  });

  beforeEach(async () => {
    restoreObserver = FakeIntersectionObserver.install();
    TestBed.configureTestingModule({
      providers: [
        testProviders([
          { path: 'library', component: LibraryPage },
          { path: 'videos/:id', component: StubPage },
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

  afterEach(() => {
    httpTesting.verify();
    restoreObserver();
  });

  function expectList(): TestRequest {
    return httpTesting.expectOne((r) => r.url === ApiRoutes.videos);
  }

  async function respond(req: TestRequest, items: Video[], nextCursor: string | null = null) {
    req.flush({ items, nextCursor });
    await settle(harness.fixture);
  }

  async function open(items: Video[], nextCursor: string | null = null, active: VideoJob[] = []) {
    await harness.navigateByUrl('/library', LibraryPage);
    page = harness.routeNativeElement as HTMLElement;
    httpTesting
      .expectOne((r) => r.url === ApiRoutes.jobs && r.params.get('active') === 'true')
      .flush({ items: active });
    await respond(expectList(), items, nextCursor);
  }

  function cards(): HTMLElement[] {
    return [...page.querySelectorAll<HTMLElement>('app-video-card')];
  }

  function card(title: string): HTMLElement {
    const found = cards().find((c) => textOf(c, 'h2') === title);
    if (!found) throw new Error(`No card "${title}"`);
    return found;
  }

  it('shows a card per video: picture, title, status, orientation, length and date', async () => {
    await open([running, ready], null, [runningJob]);

    expect(heading(page)).toBe('Library');
    expect(cards()).toHaveLength(2);
    const boat = card('Paper boat');
    expect(getLink(boat, 'Paper boat').getAttribute('href')).toBe('/videos/v-ready');
    expect(boat.querySelector('img')?.getAttribute('src')).toBe('/api/videos/v-ready/thumbnail');
    const text = accessibleText(boat);
    expect(text).toContain('Ready');
    expect(text).toContain('Portrait');
    expect(text).toContain('5 s');
    expect(text).toContain('Mar 14, 2026');

    const lighthouse = card('Lighthouse');
    expect(lighthouse.querySelector('img')).toBeNull();
    expect(accessibleText(lighthouse)).toContain('Generating');
    expect(accessibleText(lighthouse)).toContain('Landscape');
    expect(
      getByRole(lighthouse, 'progressbar', 'Progress of Lighthouse').getAttribute('aria-valuenow'),
    ).toBe('20');
  });

  it('opens the Video page from a card', async () => {
    await open([ready]);

    getLink(card('Paper boat'), 'Paper boat').click();
    await settle(harness.fixture);

    expect(TestBed.inject(Router).url).toBe('/videos/v-ready');
  });

  it('asks the server again when a filter changes', async () => {
    await open([ready, running]);

    await chooseOption(harness.fixture, page, 'Status', 'In progress');
    let req = expectList();
    expect(req.request.params.get('status')).toBe('queued,running');
    await respond(req, [running]);
    expect(cards()).toHaveLength(1);

    await chooseOption(harness.fixture, page, 'Orientation', 'Landscape');
    req = expectList();
    expect(req.request.params.get('orientation')).toBe('landscape');
    expect(req.request.params.get('status')).toBe('queued,running');
    await respond(req, [running]);

    getByRole(page, 'switch', 'Favorites only').click();
    await settle(harness.fixture);
    req = expectList();
    expect(req.request.params.get('favorite')).toBe('true');
    await respond(req, []);

    expect(heading(page, 2)).toBe('No videos match');
  });

  it('searches prompts once typing pauses', async () => {
    await open([ready, running]);

    typeInto(getField(page, 'Search prompts'), 'light');
    typeInto(getField(page, 'Search prompts'), 'lighthouse ');
    await settle(harness.fixture);
    httpTesting.expectNone((r) => r.url === ApiRoutes.videos);

    await new Promise((resolve) => setTimeout(resolve, 350));
    const req = expectList();
    expect(req.request.params.get('q')).toBe('lighthouse');
    await respond(req, [running]);

    expect(cards().map((c) => textOf(c, 'h2'))).toEqual(['Lighthouse']);
  });

  it('loads the next page when the end of the list scrolls into view', async () => {
    await open([running], 'cursor-2');

    FakeIntersectionObserver.scrollIntoView(getElement(page, '.sentinel'));
    const req = expectList();
    expect(req.request.params.get('cursor')).toBe('cursor-2');
    await respond(req, [ready], null);

    expect(cards()).toHaveLength(2);
    expect(page.textContent).not.toContain('Load more');
  });

  it('also loads the next page from the "Load more" button', async () => {
    await open([running], 'cursor-2');

    getButton(page, 'Load more').click();
    const req = expectList();
    expect(req.request.params.get('cursor')).toBe('cursor-2');
    await respond(req, [ready], 'cursor-3');

    expect(cards()).toHaveLength(2);
  });

  it('moves a card along with the live job stream', async () => {
    await open([running, ready]);
    const live = sources.latest(ApiRoutes.jobsStream);

    live.emit(JobEventType.Progress, { job: { ...runningJob, progress: 60 } });
    await settle(harness.fixture);
    const lighthouse = card('Lighthouse');
    expect(
      getByRole(lighthouse, 'progressbar', 'Progress of Lighthouse').getAttribute('aria-valuenow'),
    ).toBe('60');
    expect(accessibleText(lighthouse)).toContain('Rendering frames · 60%');

    live.emit(JobEventType.Succeeded, {
      job: { ...runningJob, status: JobStatus.Succeeded, progress: 100 },
      video: aReadyVideo({
        ...running,
        status: VideoStatus.Ready,
        contentUrl: '/c',
        thumbnailUrl: '/api/videos/v-running/thumbnail',
      }),
    });
    await settle(harness.fixture);

    expect(card('Lighthouse').querySelector('[role="progressbar"]')).toBeNull();
    expect(accessibleText(card('Lighthouse'))).toContain('Ready');
    expect(card('Lighthouse').querySelector('img')?.getAttribute('src')).toBe(
      '/api/videos/v-running/thumbnail',
    );
  });

  describe('when the live stream is back after a gap', () => {
    const activeJobs = (r: { url: string; params: { get(name: string): string | null } }) =>
      r.url === ApiRoutes.jobs && r.params.get('active') === 'true';

    /** The stream drops and comes back, its events of the meantime lost. */
    async function reconnect(): Promise<void> {
      const live = sources.latest(ApiRoutes.jobsStream);
      live.open();
      live.fail();
      live.open();
      await settle(harness.fixture);
    }

    it('shows the result of a job that ended meanwhile, without a reload', async () => {
      await open([running, ready], null, [runningJob]);
      expect(accessibleText(card('Lighthouse'))).toContain('Rendering frames · 20%');

      await reconnect();
      const list = expectList();
      expect(list.request.params.keys()).toEqual([]);
      await respond(list, [
        aReadyVideo({ ...running, status: VideoStatus.Ready, thumbnailUrl: '/t' }),
        ready,
      ]);
      httpTesting.expectOne(activeJobs).flush({ items: [] });
      await settle(harness.fixture);

      const lighthouse = card('Lighthouse');
      expect(lighthouse.querySelector('[role="progressbar"]')).toBeNull();
      expect(accessibleText(lighthouse)).toContain('Ready');
      expect(lighthouse.querySelector('img')?.getAttribute('src')).toBe('/t');
    });

    it("replaces a job's state from before the gap with the server's", async () => {
      await open([running], null, [runningJob]);

      await reconnect();
      await respond(expectList(), [running]);
      httpTesting.expectOne(activeJobs).flush({
        items: [{ ...runningJob, progress: 70, stage: 'Encoding' }],
      });
      await settle(harness.fixture);

      expect(accessibleText(card('Lighthouse'))).toContain('Encoding · 70%');
    });

    it('keeps what the stream said while the active jobs were asked for', async () => {
      await open([running], null, [runningJob]);

      await reconnect();
      await respond(expectList(), [running]);
      const answer = httpTesting.expectOne(activeJobs);
      sources
        .latest(ApiRoutes.jobsStream)
        .emit(JobEventType.Progress, { job: { ...runningJob, progress: 80, stage: 'Encoding' } });
      answer.flush({ items: [{ ...runningJob, progress: 70, stage: 'Encoding' }] });
      await settle(harness.fixture);

      expect(accessibleText(card('Lighthouse'))).toContain('Encoding · 80%');
    });

    it('fetches as many videos as were loaded, so nobody loses their place', async () => {
      const many = Array.from({ length: 30 }, (_, i) =>
        aReadyVideo({ id: `v-${i}`, title: `Video ${i}` }),
      );
      await open(many.slice(0, 24), 'cursor-2');
      getButton(page, 'Load more').click();
      await respond(expectList(), many.slice(24));

      await reconnect();
      const list = expectList();
      expect(list.request.params.get('limit')).toBe('30');
      await respond(list, many);
      httpTesting.expectOne(activeJobs).flush({ items: [] });
      await settle(harness.fixture);

      expect(cards()).toHaveLength(30);
    });
  });

  it('adds a video made elsewhere to the top when its first event arrives', async () => {
    await open([running, ready]);
    const fresh = aVideo({
      id: 'v-new',
      title: 'Fresh',
      createdAt: '2026-03-16T08:00:00.000Z',
    });

    sources.latest(ApiRoutes.jobsStream).emit(JobEventType.Snapshot, {
      job: aJob({ id: 'j-new', videoId: 'v-new' }),
      video: fresh,
    });
    await settle(harness.fixture);

    expect(cards().map((c) => textOf(c, 'h2'))).toEqual(['Fresh', 'Lighthouse', 'Paper boat']);
  });

  it('marks a favorite', async () => {
    await open([ready]);

    getButton(card('Paper boat'), 'Add to favorites').click();
    const req = httpTesting.expectOne(ApiRoutes.video('v-ready'));
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ favorite: true });
    req.flush({ video: { ...ready, favorite: true } });
    await settle(harness.fixture);

    expect(getButton(card('Paper boat'), 'Remove from favorites')).toBeTruthy();
  });

  it('puts a favorite back when saving it fails', async () => {
    await open([ready]);

    getButton(card('Paper boat'), 'Add to favorites').click();
    httpTesting
      .expectOne(ApiRoutes.video('v-ready'))
      .flush(null, { status: 500, statusText: 'Server Error' });
    await settle(harness.fixture);

    expect(getButton(card('Paper boat'), 'Add to favorites')).toBeTruthy();
  });

  it('points to Create when there are no videos yet', async () => {
    await open([]);

    expect(heading(page, 2)).toBe('No videos yet');
    expect(getLink(page, 'Create a video').getAttribute('href')).toBe('/create');
  });
});

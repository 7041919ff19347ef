import {
  ApiRoutes,
  ErrorCode,
  JobEventType,
  Orientation,
  PROMPT_MAX_LENGTH,
} from '@vidgen/contracts';
import { CreatePageHarness } from '../../../testing/create-page-harness';
import {
  accessibleText,
  alertText,
  chooseOption,
  errorUnder,
  getButton,
  getByRole,
  getField,
  getSelect,
  heading,
  textOf,
  typeInto,
} from '../../../testing/dom';
import { errorBody } from '../../../testing/providers';
import { aJob, anAiProvider, aVideo, JOB_ID } from '../../../testing/videos';

describe('CreatePage form', () => {
  let ui: CreatePageHarness;
  const stream = ApiRoutes.jobStream(JOB_ID);

  beforeEach(async () => {
    ui = await CreatePageHarness.setUp();
  });

  afterEach(() => ui.http.verify());

  it('offers a prompt, portrait by default, 5 seconds, and says the preview is not AI', async () => {
    await ui.open();

    expect(heading(ui.page)).toBe('Create a video');
    expect(getByRole(ui.page, 'radiogroup', 'Orientation')).toBeTruthy();
    expect(ui.radio('Portrait').getAttribute('aria-checked')).toBe('true');
    expect(ui.radio('Landscape').getAttribute('aria-checked')).toBe('false');
    expect(accessibleText(getSelect(ui.page, 'Duration'))).toBe('5 seconds');
    expect(ui.page.textContent).toContain('Local preview (not AI)');
    expect(ui.page.textContent).not.toContain('Made with');
    expect(textOf(ui.page, '#prompt-count')).toBe(`0 / ${PROMPT_MAX_LENGTH}`);
  });

  it('counts the characters as they are typed', async () => {
    await ui.open();

    typeInto(getField(ui.page, 'Prompt'), 'A red kite');
    await ui.settle();

    expect(textOf(ui.page, '#prompt-count')).toBe('10 / 4000');
  });

  it('asks for a prompt when there is only whitespace, and sends nothing', async () => {
    await ui.open();

    await ui.generate('   ');

    expect(errorUnder(ui.page, 'Prompt')).toBe('Prompt is required.');
    ui.http.expectNone(ApiRoutes.videos);
  });

  it('sends the trimmed prompt, the orientation and the duration, then watches the job', async () => {
    await ui.open();
    ui.radio('Landscape').click();
    await chooseOption(ui.fixture, ui.page, 'Duration', '10 seconds');

    await ui.generate('  A lighthouse in a storm ');

    const req = ui.http.expectOne(ApiRoutes.videos);
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({
      prompt: 'A lighthouse in a storm',
      orientation: Orientation.Landscape,
      durationSeconds: 10,
    });
    req.flush({ video: aVideo(), job: aJob() }, { status: 202, statusText: 'Accepted' });
    await ui.settle();

    expect(ui.url).toBe(`/create?job=${JOB_ID}`);
    expect(ui.sources.isOpen(stream)).toBe(true);
    expect(heading(ui.page, 2)).toBe('Generating your video');
  });

  it("puts the server's field error under the prompt", async () => {
    await ui.open();
    await ui.generate('A lighthouse in a storm');

    ui.http.expectOne(ApiRoutes.videos).flush(
      errorBody(400, ErrorCode.ValidationFailed, 'Check the form.', [
        {
          field: 'prompt',
          message: 'Prompt must not be empty after trimming.',
        },
      ]),
      { status: 400, statusText: 'Bad Request' },
    );
    await ui.settle();

    expect(errorUnder(ui.page, 'Prompt')).toBe('Prompt must not be empty after trimming.');
    expect(alertText(ui.page)).toBe('');
    expect(ui.url).toBe('/create');
  });

  it('explains the cap on running jobs, with the wait', async () => {
    await ui.open();
    await ui.generate('A lighthouse in a storm');

    ui.http
      .expectOne(ApiRoutes.videos)
      .flush(errorBody(429, ErrorCode.TooManyActiveJobs, 'You already have 3 videos generating.'), {
        status: 429,
        statusText: 'Too Many Requests',
        headers: { 'Retry-After': '20' },
      });
    await ui.settle();

    expect(alertText(ui.page)).toBe(
      'You already have 3 videos generating. Try again in 20 seconds.',
    );
    expect(ui.page.querySelector('app-generation-panel')).toBeNull();
  });
});

describe('CreatePage with the active provider', () => {
  let ui: CreatePageHarness;

  beforeEach(async () => {
    ui = await CreatePageHarness.setUp();
  });

  afterEach(() => ui.http.verify());

  async function durationOptions(): Promise<string[]> {
    (
      getSelect(ui.page, 'Duration').querySelector('.mat-mdc-select-trigger') as HTMLElement
    ).click();
    await ui.settle();
    return [...document.querySelectorAll('[role="option"]')].map((o) => accessibleText(o));
  }

  it("offers exactly the provider's lengths, the first by default, and names an AI provider", async () => {
    await ui.open('/create', anAiProvider());

    expect(accessibleText(getSelect(ui.page, 'Duration'))).toBe('4 seconds');
    expect(await durationOptions()).toEqual(['4 seconds', '8 seconds', '12 seconds']);
    expect(ui.page.textContent).toContain('Made with Sora (chat-stream gateway)');
    expect(ui.page.textContent).not.toContain('Local preview');

    getByRole(document, 'option', '4 seconds').click();
    await ui.generate('A lighthouse in a storm');

    const req = ui.http.expectOne(ApiRoutes.videos);
    expect(req.request.body.durationSeconds).toBe(4);
    req.flush({ video: aVideo(), job: aJob() }, { status: 202, statusText: 'Accepted' });
    await ui.settle();
  });

  it('asks for the provider once a session', async () => {
    await ui.open('/create', anAiProvider());
    await ui.leave();
    await ui.open('/create', null);

    expect(accessibleText(getSelect(ui.page, 'Duration'))).toBe('4 seconds');
    expect(ui.page.textContent).toContain('Made with Sora (chat-stream gateway)');
  });

  it('snaps a resumed video to the nearest length once the lengths arrive', async () => {
    await ui.open(`/create?job=${JOB_ID}`, null);
    await ui.emit(JobEventType.Snapshot, {
      job: aJob(),
      video: aVideo({ durationSeconds: 11.96 }),
    });

    ui.http.expectOne(ApiRoutes.providers).flush({ active: anAiProvider() });
    await ui.settle();

    expect(accessibleText(getSelect(ui.page, 'Duration'))).toBe('12 seconds');
  });

  it('still generates when the provider cannot be loaded, and loads it on "Try again"', async () => {
    await ui.open('/create', null);
    ui.http
      .expectOne(ApiRoutes.providers)
      .flush(errorBody(503, ErrorCode.ServiceUnavailable, 'Down for maintenance.'), {
        status: 503,
        statusText: 'Service Unavailable',
      });
    await ui.settle();

    expect(alertText(ui.page)).toBe(
      "Couldn't load the video settings, so the server will pick the length. Down for maintenance.",
    );
    expect(getSelect(ui.page, 'Duration').getAttribute('aria-disabled')).toBe('true');
    expect(ui.page.textContent).not.toContain('Local preview');
    expect(ui.page.textContent).not.toContain('Made with');

    await ui.generate('A lighthouse in a storm');
    const req = ui.http.expectOne(ApiRoutes.videos);
    expect(req.request.body).toEqual({
      prompt: 'A lighthouse in a storm',
      orientation: Orientation.Portrait,
    });
    req.flush(
      errorBody(429, ErrorCode.TooManyActiveJobs, 'You already have 3 videos generating.'),
      {
        status: 429,
        statusText: 'Too Many Requests',
      },
    );
    await ui.settle();

    getButton(ui.page, 'Try again').click();
    ui.http.expectOne(ApiRoutes.providers).flush({ active: anAiProvider() });
    await ui.settle();

    expect(alertText(ui.page)).toBe('You already have 3 videos generating.');
    expect(getSelect(ui.page, 'Duration').getAttribute('aria-disabled')).toBe('false');
    expect(accessibleText(getSelect(ui.page, 'Duration'))).toBe('4 seconds');
    expect(ui.page.textContent).toContain('Made with Sora (chat-stream gateway)');
  });
});

import { ApiRoutes, ErrorCode, Orientation, PROMPT_MAX_LENGTH } from '@vidgen/contracts';
import { CreatePageHarness } from '../../../testing/create-page-harness';
import {
  accessibleText,
  alertText,
  chooseOption,
  errorUnder,
  getByRole,
  getField,
  getSelect,
  heading,
  textOf,
  typeInto,
} from '../../../testing/dom';
import { errorBody } from '../../../testing/providers';
import { aJob, aVideo, JOB_ID } from '../../../testing/videos';

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

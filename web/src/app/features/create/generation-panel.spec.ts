import {
  ApiRoutes,
  ErrorCode,
  JobEventType,
  JobStatus,
  Orientation,
  VideoStatus,
} from '@vidgen/contracts';
import { CreatePageHarness } from '../../../testing/create-page-harness';
import {
  alertText,
  getButton,
  getField,
  getLink,
  heading,
  queryButton,
  textOf,
} from '../../../testing/dom';
import { errorBody } from '../../../testing/providers';
import { aJob, aReadyVideo, aVideo, JOB_ID, VIDEO_ID } from '../../../testing/videos';

describe('CreatePage live generation', () => {
  let ui: CreatePageHarness;
  const stream = ApiRoutes.jobStream(JOB_ID);

  beforeEach(async () => {
    ui = await CreatePageHarness.setUp();
  });

  afterEach(() => ui.http.verify());

  it('moves the progress bar, stage, percent and queue position with the stream', async () => {
    await ui.open();
    await ui.generate('A lighthouse in a storm');
    await ui.accept();

    await ui.emit(JobEventType.Snapshot, {
      job: aJob({ queuePosition: 2, stage: 'Waiting in the queue' }),
      video: aVideo(),
    });
    expect(ui.progressBar().getAttribute('aria-valuenow')).toBe('0');
    expect(ui.page.textContent).toContain('Position 2 in the queue');

    await ui.emit(JobEventType.Progress, {
      job: aJob({
        status: JobStatus.Running,
        progress: 42,
        stage: 'Rendering frames',
        queuePosition: null,
        createdAt: new Date(Date.now() - 65_000).toISOString(),
      }),
    });

    expect(ui.progressBar().getAttribute('aria-valuenow')).toBe('42');
    const panel = textOf(ui.page, 'app-generation-panel');
    expect(panel).toContain('Rendering frames');
    expect(panel).toContain('42%');
    expect(panel).toMatch(/Elapsed 01:0[4-6]/);
    expect(panel).not.toContain('in the queue');
  });

  it('shows the player and the ways on once the video is ready', async () => {
    await ui.open();
    await ui.generate('A lighthouse in a storm');
    await ui.accept();
    const source = ui.sources.latest(stream);

    await ui.emit(JobEventType.Succeeded, {
      job: aJob({
        status: JobStatus.Succeeded,
        progress: 100,
        queuePosition: null,
      }),
      video: aReadyVideo(),
    });

    const player = ui.page.querySelector('video') as HTMLVideoElement;
    expect(player.getAttribute('src')).toBe(`/api/videos/${VIDEO_ID}/content`);
    expect(player.controls).toBe(true);
    expect(heading(ui.page, 2)).toBe('Your video is ready');
    expect(ui.page.textContent).toContain('Made by Local preview (not AI)');
    expect(getLink(ui.page, 'Open in library').getAttribute('href')).toBe(`/videos/${VIDEO_ID}`);
    expect(source.closed).toBe(true);
  });

  it('starts over with "Generate another"', async () => {
    await ui.open(`/create?job=${JOB_ID}`);
    await ui.emit(JobEventType.Succeeded, {
      job: aJob({ status: JobStatus.Succeeded, progress: 100 }),
      video: aReadyVideo(),
    });

    getButton(ui.page, 'Generate another').click();
    await ui.settle();

    expect(ui.url).toBe('/create');
    expect(ui.page.querySelector('app-generation-panel')).toBeNull();
    expect(getField(ui.page, 'Prompt').value).toBe('');
  });

  it('picks the live progress up again after a reload, prompt included', async () => {
    await ui.open(`/create?job=${JOB_ID}`);

    await ui.emit(JobEventType.Snapshot, {
      job: aJob({
        status: JobStatus.Running,
        progress: 70,
        queuePosition: null,
      }),
      video: aVideo({
        status: VideoStatus.Running,
        orientation: Orientation.Landscape,
      }),
    });

    expect(ui.progressBar().getAttribute('aria-valuenow')).toBe('70');
    expect(getField(ui.page, 'Prompt').value).toBe(aVideo().prompt);
    expect(ui.radio('Landscape').getAttribute('aria-checked')).toBe('true');
  });

  it('cancels, says so in words, and tries again as a new job', async () => {
    await ui.open(`/create?job=${JOB_ID}`);
    await ui.emit(JobEventType.Snapshot, {
      job: aJob({
        status: JobStatus.Running,
        progress: 10,
        queuePosition: null,
      }),
      video: aVideo({ status: VideoStatus.Running }),
    });

    getButton(ui.page, 'Cancel').click();
    const cancel = ui.http.expectOne(ApiRoutes.jobCancel(JOB_ID));
    expect(cancel.request.method).toBe('POST');
    cancel.flush({
      job: aJob({ status: JobStatus.Cancelled, queuePosition: null }),
    });
    await ui.settle();

    expect(heading(ui.page, 2)).toBe('Generation cancelled');
    expect(alertText(ui.page)).toBe('The generation was cancelled before it finished.');

    getButton(ui.page, 'Try again').click();
    const retry = ui.http.expectOne(ApiRoutes.jobRetry(JOB_ID));
    expect(retry.request.method).toBe('POST');
    retry.flush(
      { video: aVideo(), job: aJob({ id: 'second-attempt', attempt: 2 }) },
      { status: 202, statusText: 'Accepted' },
    );
    await ui.settle();

    expect(ui.url).toBe('/create?job=second-attempt');
    expect(ui.sources.isOpen(ApiRoutes.jobStream('second-attempt'))).toBe(true);
    expect(ui.progressBar()).toBeTruthy();
  });

  it("shows the server's reason when generation fails", async () => {
    await ui.open(`/create?job=${JOB_ID}`);

    await ui.emit(JobEventType.Failed, {
      job: aJob({
        status: JobStatus.Failed,
        error: {
          code: 'RENDER_FAILED',
          message: 'The renderer ran out of disk space.',
        },
      }),
      video: aVideo({ status: VideoStatus.Failed }),
    });

    expect(heading(ui.page, 2)).toBe('Generation failed');
    expect(alertText(ui.page)).toBe('The renderer ran out of disk space.');
    expect(queryButton(ui.page, 'Try again')).not.toBeNull();
  });

  it('says so when the job in the address does not exist', async () => {
    await ui.open('/create?job=gone');

    ui.sources.latest(ApiRoutes.jobStream('gone')).fail(true);
    ui.http
      .expectOne(ApiRoutes.job('gone'))
      .flush(errorBody(404, ErrorCode.NotFound, 'Job not found.'), {
        status: 404,
        statusText: 'Not Found',
      });
    await ui.settle();

    expect(alertText(ui.page)).toBe('This generation no longer exists. It may have been deleted.');
  });
});

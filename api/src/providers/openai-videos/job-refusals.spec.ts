import { statusError } from '../upstream/upstream-errors';
import { ProviderError } from '../video-provider';
import { asksForForm, explainCreateRefusal, isGoneJob, jobLost } from './job-refusals';

/** A refusal as the upstream client reports it, from the gateway's words. */
const refused = (status: number, text: string, codes: string[] = []) =>
  statusError(status, { text, codes }, 1);
const SENT = ['model', 'prompt', 'seconds', 'size'];

describe('asksForForm', () => {
  it.each([
    [
      'grok2api v2 reading Form fields only',
      refused(400, 'Field required (param: model)', ['invalid_value']),
    ],
    [
      'FastAPI validation of form fields',
      refused(422, 'model: Field required; prompt: Field required'),
    ],
    ['an unsupported media type', refused(415, 'Unsupported Media Type')],
    ['words about form data', refused(400, 'Content-Type must be multipart/form-data')],
  ])('is true for %s', (_, error) => {
    expect(asksForForm(error, SENT)).toBe(true);
  });

  it.each([
    ['a field that was not sent', refused(400, 'input_reference: Field required')],
    [
      'OpenAI refusing a value',
      refused(
        400,
        "Invalid value: '10'. Supported values are: '4', '8', and '12'. (param: seconds)",
      ),
    ],
    ['OpenAI missing a parameter', refused(400, "Missing required parameter: 'prompt'.")],
    ['new-api missing the model', refused(400, 'model field is required', ['missing_model'])],
    [
      'go-sora2api binding JSON',
      refused(
        400,
        "请求参数错误: Key: 'VideoSubmitRequest.Model' Error:Field validation for 'Model' failed on the 'required' tag",
      ),
    ],
    ['a server error', refused(500, 'Field required (param: model)')],
    [
      'anything but an HTTP refusal',
      new ProviderError('UPSTREAM_STREAM_CUT', 'Field required: model'),
    ],
  ])('is false for %s', (_, error) => {
    expect(asksForForm(error, SENT)).toBe(false);
  });
});

describe('isGoneJob', () => {
  it.each([
    ['a 404', refused(404, 'Task not found'), true],
    ['new-api task_not_exist', refused(400, 'task_not_exist', ['task_not_exist']), true],
    [
      'grok2api after its hour',
      refused(400, "Video 'video_ab12' not found (param: video_id)", ['invalid_value']),
      true,
    ],
    ['another 400', refused(400, 'prompt is required'), false],
    ['a 500', refused(500, 'task not found in cache'), false],
    ['a cut connection', new ProviderError('UPSTREAM_STREAM_CUT', 'not found'), false],
  ])('%s: %s', (_, error, gone) => {
    expect(isGoneJob(error)).toBe(gone);
  });
});

describe('jobLost', () => {
  it('says the job is gone upstream, with the gateway’s words, and what to do', () => {
    const error = jobLost('task_x', refused(400, 'task_not_exist', ['task_not_exist']));
    expect(error).toMatchObject({
      code: 'UPSTREAM_JOB_LOST',
      message:
        'The video service no longer knows job task_x (HTTP 400: task_not_exist): it was lost or ' +
        'expired there before it finished, so there is no video to fetch. Try again to start a new one.',
    });
  });
});

describe('explainCreateRefusal', () => {
  const context = {
    model: 'sora-2',
    durationOptions: [4, 8, 12],
    form: 'json' as const,
    sentFields: SENT,
  };

  it('tells go-sora2api users to put the orientation in the model name', () => {
    const error = explainCreateRefusal(
      refused(400, '模型名称中未找到方向（landscape/portrait）: sora-2'),
      context,
    ) as ProviderError;
    expect(error.message).toBe(
      'The video service reads the orientation from the model name and found none in "sora-2" ' +
        '(HTTP 400: 模型名称中未找到方向（landscape/portrait）: sora-2): set ' +
        'VIDEO_MODEL_TEMPLATE=sora-2-{orientation}-{duration}s (go-sora2api), or VIDEO_MODEL_PORTRAIT ' +
        'and VIDEO_MODEL_LANDSCAPE to names with "portrait" and "landscape" in them.',
    );
  });

  it('tells them to put a length it makes in the name', () => {
    const error = explainCreateRefusal(
      refused(400, '模型名称中未找到时长（10s/15s/25s）: sora-2-portrait-8s'),
      { ...context, model: 'sora-2-portrait-8s' },
    ) as ProviderError;
    expect(error.message).toContain('found none it makes in "sora-2-portrait-8s"');
    expect(error.message).toContain(
      'VIDEO_SECONDS_OPTIONS to lengths it makes (go-sora2api: 10,15',
    );
  });

  it('names VIDEO_SECONDS_OPTIONS when a length is refused', () => {
    for (const text of [
      'Invalid seconds: 8. Valid: 10, 15',
      'seconds must be one of [6, 10, 12, 16, 20] (param: seconds)',
      "Invalid value: '8'. Supported values are: '4' and '12'. (param: seconds)",
    ]) {
      const error = explainCreateRefusal(refused(400, text), context) as ProviderError;
      expect(error.code).toBe('UPSTREAM_REJECTED');
      expect(error.message).toMatch(
        /Set VIDEO_SECONDS_OPTIONS to the lengths the gateway makes \(offered now: 4, 8, 12\)\.$/,
      );
    }
  });

  it('names VIDEO_API_FORM when a JSON create was refused for want of a form, not after one', () => {
    const asked = refused(400, 'Field required (param: model)');
    expect((explainCreateRefusal(asked, context) as ProviderError).message).toContain(
      'set VIDEO_API_FORM=multipart (or auto)',
    );
    expect(explainCreateRefusal(asked, { ...context, form: 'multipart' })).toBe(asked);
  });

  it('leaves every other refusal as it was', () => {
    const other = refused(400, 'sora-2 size is invalid', ['invalid_size']);
    expect(explainCreateRefusal(other, context)).toBe(other);
    const cut = new ProviderError('UPSTREAM_STREAM_CUT', 'cut');
    expect(explainCreateRefusal(cut, context)).toBe(cut);
  });
});

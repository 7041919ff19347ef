import { chunk, run } from './testing/interpret';
import * as grok from './testing/grok-chunks';
import * as sora from './testing/sora-chunks';

// The chat dialects of section C of the upstream protocols page, one rule per test;
// sora2api itself: chunk-interpreter.spec.ts.
describe('ChatStreamInterpreter on Modified_Sora2api', () => {
  it('keeps each `[stage] (status) N% text` message apart, though none ends with a line break', () => {
    const stream =
      chunk({ reasoning_content: '[generation] (started) Initializing generation request...' }) +
      chunk({ reasoning_content: '[generation] (processing) 45% Video generation progress: 45%' }) +
      chunk({ reasoning_content: '[generation] (processing) 80% Video generation progress: 80%' });
    expect(run(stream).progress).toEqual([
      { percent: null, stage: '[generation] (started) Initializing generation request...' },
      { percent: 45, stage: '[generation] (processing) 45% Video generation progress: 45%' },
      { percent: 80, stage: '[generation] (processing) 80% Video generation progress: 80%' },
    ]);
  });
});

describe('ChatStreamInterpreter on grok2api v1', () => {
  const BASE = 'http://127.0.0.1:8000';
  const RELATIVE = '/images/users-1a2b-generated-3c4d-generated_video.mp4';

  it('reads progress in an unclosed <think>, closed at 100%, and resolves the relative /images/ link', () => {
    const stream =
      grok.v1Progress(1, true) +
      grok.v1Progress(31, false) +
      grok.v1Progress(100, false) +
      grok.v1Video(RELATIVE) +
      grok.v1('', 'stop') +
      sora.DONE;
    const { progress, outcome } = run(stream);
    expect(progress).toEqual([
      { percent: 1, stage: '视频已生成1%' },
      { percent: 31, stage: '视频已生成31%' },
      { percent: 100, stage: '视频已生成100%' },
    ]);
    expect(outcome).toEqual({ kind: 'video', url: `${BASE}${RELATIVE}` });
  });

  it('reads line breaks written as a backslash and n as line breaks: the stage never shows them', () => {
    const stream =
      grok.v1Progress(1, true, true) +
      grok.v1Progress(31, false, true) +
      grok.v1Progress(100, false, true) +
      grok.v1Video(RELATIVE, true) +
      grok.v1('', 'stop');
    // JSON's escaped backslash, then `n`: the text itself holds the two characters.
    expect(stream).toContain(String.raw`"content":"视频已生成31%\\n"`);
    const { progress, outcome } = run(stream);
    expect(progress.map((p) => p.stage)).toEqual([
      '视频已生成1%',
      '视频已生成31%',
      '视频已生成100%',
    ]);
    expect(progress.map((p) => p.percent)).toEqual([1, 31, 100]);
    expect(outcome).toEqual({ kind: 'video', url: `${BASE}${RELATIVE}` });
  });

  it('takes a video that arrived inside the still open <think> block', () => {
    const stream = grok.v1Progress(1, true) + grok.v1Video(RELATIVE) + grok.v1('', 'stop');
    expect(run(stream).outcome).toEqual({ kind: 'video', url: `${BASE}${RELATIVE}` });
  });

  it.each([
    ['real', false],
    ['literal', true],
  ])(
    'fails with the gateway’s `Error:` text after progress in an unclosed <think> (%s line breaks)',
    (_name, literal) => {
      const stream =
        grok.v1Progress(1, true, literal) +
        grok.v1Progress(31, false, literal) +
        grok.v1('Error: Grok upstream returned 502 Bad Gateway', 'stop') +
        sora.DONE;
      expect(run(stream).outcome).toEqual({
        kind: 'failed',
        code: 'UPSTREAM_ERROR',
        message: 'The video service reported an error: Grok upstream returned 502 Bad Gateway',
      });
    },
  );

  it('fails with the exception of `处理错误:` and finish_reason error', () => {
    const stream =
      grok.v1Progress(1, true) +
      grok.v1('处理错误: Connection closed abruptly', 'error') +
      sora.DONE;
    expect(run(stream).outcome).toEqual({
      kind: 'failed',
      code: 'UPSTREAM_ERROR',
      message: 'The video service reported an error: Connection closed abruptly',
    });
  });

  it('fails with CONTENT_POLICY when the error after progress is a moderation refusal', () => {
    const stream =
      grok.v1Progress(1, true) +
      grok.v1('Error: Video generation was blocked by content moderation', 'stop');
    expect(run(stream).outcome).toMatchObject({
      code: 'CONTENT_POLICY',
      message: expect.stringContaining('Video generation was blocked by content moderation'),
    });
  });

  it('says no reason was given only when none was: a timeout ends with an empty stop chunk', () => {
    const stream = grok.v1Progress(1, true) + grok.v1Progress(45, false) + grok.v1('', 'stop');
    expect(run(stream).outcome).toEqual({
      kind: 'failed',
      code: 'UPSTREAM_NO_RESULT',
      message: 'The video service finished without a video and gave no reason.',
    });
  });

  it('explains a picture answered instead of a video (text-to-image without an input image)', () => {
    const stream = grok.v1(
      '![Generated Image](/images/users-1a2b-generated-3c4d-image.jpg)',
      'stop',
    );
    expect(run(stream).outcome).toEqual({
      kind: 'failed',
      code: 'UPSTREAM_NO_RESULT',
      message: expect.stringMatching(
        /^The video service answered with a picture instead of a video: .*input image/,
      ),
    });
  });
});

describe('ChatStreamInterpreter on grok2api v2', () => {
  const BASE = 'http://127.0.0.1:8000';
  const ID = '9f2c4e1a7b3d5f608192a3b4c5d6e7f8';

  it('reads progress from reasoning_content and resolves a bare relative local_url link', () => {
    const stream =
      grok.v2Reasoning('视频正在生成 1%\n') +
      grok.v2Reasoning('视频正在生成 40%\n') +
      grok.v2Reasoning('视频正在生成 100%\n') +
      grok.v2Result(`/v1/files/video?id=${ID}`);
    const { progress, outcome } = run(stream);
    expect(progress).toEqual([
      { percent: 1, stage: '视频正在生成 1%' },
      { percent: 40, stage: '视频正在生成 40%' },
      { percent: 100, stage: '视频正在生成 100%' },
    ]);
    expect(outcome).toEqual({ kind: 'video', url: `${BASE}/v1/files/video?id=${ID}` });
  });

  it.each([
    [
      'grok_url: a bare https URL',
      'https://assets.grok.com/users/u1/generated/g1/content',
      'https://assets.grok.com/users/u1/generated/g1/content',
    ],
    [
      'local_url with app_url set',
      `https://grok.example/v1/files/video?id=${ID}`,
      `https://grok.example/v1/files/video?id=${ID}`,
    ],
    [
      'local_html: <video controls src>, HTML-escaped',
      `<video controls src="/v1/files/video?id=${ID}&amp;dl=1"></video>`,
      `${BASE}/v1/files/video?id=${ID}&dl=1`,
    ],
    [
      'grok_html',
      '<video controls src="https://assets.grok.com/u/1/content?a=1&amp;b=2"></video>',
      'https://assets.grok.com/u/1/content?a=1&b=2',
    ],
    [
      'March builds: <source src> inside <video>',
      '<video id="video" controls autoplay><source id="mp4" src="https://assets.grok.com/users/u2/generated/g2/content" type="video/mp4"></video>',
      'https://assets.grok.com/users/u2/generated/g2/content',
    ],
    [
      'early April builds: ![video](URL)',
      '![video](https://assets.grok.com/u/3/content)',
      'https://assets.grok.com/u/3/content',
    ],
  ])('finds the link of %s', (_name, content, url) => {
    expect(run(grok.v2Result(content)).outcome).toEqual({ kind: 'video', url });
  });

  it('reads the March progress forms in <think>: Chinese, and rounds scaled to the whole video', () => {
    const stream =
      grok.v2Content('<think>\n正在生成视频中，当前进度40%\n') +
      grok.v2Content('[round=1/2] progress=60%\n') +
      grok.v2Content('[round=2/2] progress=10%\n') +
      grok.v2Content('[round=2/2] progress=100%\n</think>\n') +
      grok.v2Result(
        '<video id="video" controls><source id="mp4" src="/v1/files/video?id=ab" type="video/mp4"></video>',
      );
    const { progress, outcome } = run(stream);
    expect(progress.map((p) => p.percent)).toEqual([40, 30, 55, 100]);
    expect(progress[1].stage).toBe('[round=1/2] progress=60%');
    expect(outcome).toEqual({ kind: 'video', url: `${BASE}/v1/files/video?id=ab` });
  });

  it('ends an `event: error` with no free account as UPSTREAM_NO_ACCOUNT', () => {
    const stream =
      grok.v2Reasoning('视频正在生成 1%\n') +
      grok.v2Error(
        'No available accounts for video generation',
        'rate_limit_error',
        'rate_limit_exceeded',
      );
    expect(run(stream).outcome).toMatchObject({
      code: 'UPSTREAM_NO_ACCOUNT',
      message: expect.stringContaining('No available accounts for video generation'),
    });
  });

  it('ends an `event: error` without a final video as a withheld (probably moderated) video', () => {
    const stream =
      grok.v2Reasoning('视频正在生成 99%\n') +
      grok.v2Error(
        'Video generation returned no final video URL',
        'upstream_error',
        'upstream_error',
      );
    expect(run(stream).outcome).toEqual({
      kind: 'failed',
      code: 'UPSTREAM_NO_RESULT',
      message:
        'The video service returned no video (Video generation returned no final video URL). It withholds the videos its provider moderates, so the prompt was probably refused; rephrasing it may help.',
    });
  });

  it('ends any other `event: error` with its message', () => {
    const stream = grok.v2Error('Video upstream returned 502', 'upstream_error', 'upstream_error');
    expect(run(stream).outcome).toEqual({
      kind: 'failed',
      code: 'UPSTREAM_ERROR',
      message: 'The video service reported an error: Video upstream returned 502',
    });
  });

  it('says no reason was given when the early April builds answer empty content', () => {
    expect(run(grok.v2Result('')).outcome).toMatchObject({ code: 'UPSTREAM_NO_RESULT' });
  });
});

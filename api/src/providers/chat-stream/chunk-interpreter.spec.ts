import { ChatStreamInterpreter, readProgress, splitThink } from './chunk-interpreter';
import { chunk, run } from './testing/interpret';
import * as sora from './testing/sora-chunks';
import { findVideoUrl } from './video-links';

const URL_ = 'http://127.0.0.1:8000/tmp/abc.mp4';

describe('ChatStreamInterpreter on sora2api streams', () => {
  it('reads stages and percentages in the upstream’s words, then the video link', () => {
    const stream =
      sora.BEGINS +
      sora.progress(0, 'queued') +
      sora.progress(37) +
      sora.COMPLETED +
      sora.finalVideo(URL_) +
      sora.DONE;
    const { progress, outcome } = run(stream, { closed: false });
    expect(progress).toEqual([
      { percent: null, stage: 'Initializing generation request...' },
      { percent: 0, stage: 'Video Generation Progress: 0% (queued)' },
      { percent: 37, stage: 'Video Generation Progress: 37% (running)' },
      { percent: 37, stage: 'Video generation successful. Now caching the video file...' },
    ]);
    // Settled by the final chunk's upper-case STOP, before [DONE].
    expect(outcome).toEqual({ kind: 'video', url: URL_ });
  });

  it('gives the same result however the bytes are split', () => {
    const stream =
      sora.BEGINS + sora.RETRYING + sora.progress(90) + sora.finalVideo(URL_) + sora.DONE;
    const whole = run(stream);
    for (const pieces of [2, 3, 7, 50, 400]) expect(run(stream, { pieces })).toEqual(whole);
    expect(whole.progress.map((p) => p.stage)).toContain('生成失败，正在重试 (1/3)...');
  });

  it('succeeds without any progress chunk, and after a jump from 0 to 90', () => {
    expect(run(sora.BEGINS + sora.finalVideo(URL_) + sora.DONE).outcome).toEqual({
      kind: 'video',
      url: URL_,
    });
    const jump = run(
      sora.BEGINS + sora.progress(0) + sora.progress(90) + sora.finalVideo(URL_) + sora.DONE,
    );
    expect(jump.progress.map((p) => p.percent)).toEqual([null, 0, 90]);
  });

  it('reads the estimated progress form', () => {
    expect(run(sora.ESTIMATED).progress).toEqual([
      { percent: 40, stage: 'Generation in progress: 40% completed (estimated)...' },
    ]);
  });

  it('fails with UPSTREAM_NO_ACCOUNT and the upstream’s message when no account is free', () => {
    expect(run(sora.BEGINS + sora.ERROR_CHUNK + sora.DONE).outcome).toEqual({
      kind: 'failed',
      code: 'UPSTREAM_NO_ACCOUNT',
      message: expect.stringContaining(
        "(No available tokens for video generation. All tokens are either disabled, cooling down, Sora2 quota exhausted, don't support Sora2, or expired.)",
      ),
    });
  });

  it('reads an error announced by an `event: error` line', () => {
    const stream =
      'event: error\ndata: {"error": {"message": "Upstream API timeout: Generation exceeded 3000 seconds limit"}}\n\n';
    expect(run(stream).outcome).toEqual({
      kind: 'failed',
      code: 'UPSTREAM_ERROR',
      message:
        'The video service reported an error: Upstream API timeout: Generation exceeded 3000 seconds limit',
    });
  });

  it('fails with CONTENT_POLICY and the upstream’s reason on a content-policy ending', () => {
    const { outcome, progress } = run(
      sora.BEGINS + sora.POLICY_REASONING + sora.POLICY_FINAL + sora.DONE,
    );
    expect(outcome).toEqual({
      kind: 'failed',
      code: 'CONTENT_POLICY',
      message:
        'The video service refused the prompt under its content policy: This content may violate our guardrails concerning similarity to third-party content.',
    });
    expect(progress[1].stage).toBe(
      'This content may violate our guardrails concerning similarity to third-party content.',
    );
  });

  it('fails with UPSTREAM_NO_RESULT when the final content has no link', () => {
    const stream =
      sora.BEGINS + chunk({ content: '❌ 生成失败: 账号额度不足' }, 'stop') + sora.DONE;
    expect(run(stream).outcome).toEqual({
      kind: 'failed',
      code: 'UPSTREAM_NO_RESULT',
      message: 'The video service finished without a video: 账号额度不足',
    });
  });

  it('fails with UPSTREAM_NO_RESULT when the stream ends without any content', () => {
    expect(run(sora.BEGINS + sora.DONE).outcome).toMatchObject({ code: 'UPSTREAM_NO_RESULT' });
  });

  it('ends on the malformed [DONE] and on a plain close after the final chunk', () => {
    const malformed = run(sora.BEGINS + sora.progress(50) + sora.MALFORMED_DONE);
    expect(malformed.outcome).toMatchObject({ code: 'UPSTREAM_NO_RESULT' });
    const closeAfterVideo = run(
      sora.BEGINS + `data: ${sora.finalVideo(URL_).slice(6).replace('"STOP"', 'null').trimEnd()}`,
    );
    expect(closeAfterVideo.outcome).toEqual({ kind: 'video', url: URL_ });
  });

  it('reports a stream cut before the result', () => {
    expect(run(sora.BEGINS + sora.progress(37)).outcome).toEqual({
      kind: 'failed',
      code: 'UPSTREAM_STREAM_CUT',
      message: 'The connection to the video service closed before the video was ready.',
    });
  });

  it('ignores keep-alive comments and lines that are not JSON', () => {
    expect(run(': ping\n\ndata: keep-alive\n\n' + sora.finalVideo(URL_)).outcome).toEqual({
      kind: 'video',
      url: URL_,
    });
  });
});

describe('ChatStreamInterpreter on other gateways', () => {
  it('reads the bracket progress form and a double-quoted <video> without a fence', () => {
    const stream =
      chunk({ reasoning_content: '[generation] (processing) 45% ...\n' }) +
      chunk(
        {
          content:
            '<video src="https://cdn.example/v/1.mp4?sig=a&amp;b=2" controls autoplay></video>',
        },
        'Stop',
      );
    const { progress, outcome } = run(stream);
    expect(progress).toEqual([{ percent: 45, stage: '[generation] (processing) 45% ...' }]);
    expect(outcome).toEqual({ kind: 'video', url: 'https://cdn.example/v/1.mp4?sig=a&b=2' });
  });

  it('reads progress from <think> in content and the link after it', () => {
    const stream =
      chunk({ content: '<think>\n' }) +
      chunk({ content: '视频正在生成 12%\n' }) +
      chunk({ content: '视频正在生成 64%\n' }) +
      chunk({ content: '</think>\n' }) +
      chunk({ content: 'https://cdn.example/out.webm' }, 'stop');
    const { progress, outcome } = run(stream);
    expect(progress.map((p) => p.percent)).toEqual([12, 64]);
    expect(progress[1].stage).toBe('视频正在生成 64%');
    expect(outcome).toEqual({ kind: 'video', url: 'https://cdn.example/out.webm' });
  });

  it('accepts a bare URL only in a finished answer, and resolves a path against the gateway', () => {
    expect(run(chunk({ content: '  https://cdn.example/file/abc  ' }, 'stop')).outcome).toEqual({
      kind: 'video',
      url: 'https://cdn.example/file/abc',
    });
    expect(run(chunk({ content: 'https://cdn.example/file/ab' })).outcome).toMatchObject({
      code: 'UPSTREAM_STREAM_CUT',
    });
    expect(run(chunk({ content: "<video src='/tmp/x.mp4'></video>" }, 'stop')).outcome).toEqual({
      kind: 'video',
      url: 'http://127.0.0.1:8000/tmp/x.mp4',
    });
  });

  it('reads a plain (non-streamed) chat completion', () => {
    const interpreter = new ChatStreamInterpreter();
    const plain = {
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content:
              'All tokens available for video generation. Please enable streaming to use the generation feature.',
          },
          finish_reason: 'stop',
        },
      ],
    };
    interpreter.push({ event: 'message', data: JSON.stringify(plain), id: '' });
    expect(interpreter.outcome).toMatchObject({
      code: 'UPSTREAM_NO_RESULT',
      message: expect.stringContaining('Please enable streaming'),
    });
  });

  it('treats finish_reason content_filter as a content-policy refusal', () => {
    expect(run(chunk({ content: '' }, 'content_filter')).outcome).toMatchObject({
      code: 'CONTENT_POLICY',
    });
  });
});
describe('readProgress', () => {
  it.each([
    ['**Video Generation Progress**: 37% (running)\n', 37],
    ['progress 5 % then 12%', 12],
    ['100%', 100],
    ['1000%', null],
    ['no number', null],
    ['[round=1/2] progress=40%', 20],
    ['[round=2/2] progress=40%', 70],
    ['[round=3/2] progress=40%', 40],
    ['<think>视频已生成31%\n视频已生成45%', 45],
  ])('reads %j as %j', (text, percent) => {
    expect(readProgress(text).percent).toBe(percent);
  });
});

describe('findVideoUrl', () => {
  it.each([
    [
      "```html\n<video src='https://a.example/x.mp4' controls></video>\n```",
      'https://a.example/x.mp4',
    ],
    [
      'Here: [video](https://a.example/y.MOV) and https://a.example/z.mp4',
      'https://a.example/y.MOV',
    ],
    ['https://a.example/z.mp4?token=abc', 'https://a.example/z.mp4?token=abc'],
    ['see https://a.example/page.html', null],
    ['see https://a.example/x.mp4.html', null],
  ])('finds the link in %j', (content, url) => {
    expect(findVideoUrl(content)).toBe(url);
  });
});

describe('splitThink', () => {
  it('separates closed and unclosed <think> blocks from the answer', () => {
    expect(splitThink('<think>a 10%</think>answer<think>b 20%')).toEqual({
      think: 'a 10%\nb 20%',
      answer: 'answer',
      open: true,
    });
    expect(splitThink('<think>a 100%</think>\nanswer').open).toBe(false);
  });
});

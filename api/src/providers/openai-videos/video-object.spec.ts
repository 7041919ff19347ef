import { Orientation } from '@vidgen/contracts';
import { failureOf, parseVideoObject, pollDelayMs, sizeFor, VideoObject } from './video-object';

describe('parseVideoObject', () => {
  it('reads new-api’s `unknown` (before its first sync) and go-sora2api’s object without seconds', () => {
    expect(parseVideoObject('{"id":"task_a","status":"unknown","progress":0}')).toMatchObject({
      status: 'unknown',
      progress: 0,
    });
    expect(
      parseVideoObject(
        '{"id":"task_3f2a9c1e","object":"video","model":"sora-2-portrait-10s","status":"queued","progress":0,"created_at":1772300000,"size":"720x1280"}',
      ),
    ).toEqual({ id: 'task_3f2a9c1e', status: 'queued', progress: 0, error: null });
  });

  it('reads OpenAI’s video object', () => {
    const text = JSON.stringify({
      id: 'video_68d7',
      object: 'video',
      status: 'in_progress',
      progress: 37,
      model: 'sora-2',
      seconds: '8',
      size: '720x1280',
      error: null,
    });
    expect(parseVideoObject(text)).toEqual({
      id: 'video_68d7',
      status: 'in_progress',
      progress: 37,
      error: null,
    });
  });

  it('keeps a failed job’s error, and bounds or drops odd progress values', () => {
    const failed = parseVideoObject(
      '{"id":"v1","status":"failed","progress":140,"error":{"code":"moderation_blocked","message":"Blocked."}}',
    );
    expect(failed).toMatchObject({
      progress: 100,
      error: { code: 'moderation_blocked', message: 'Blocked.' },
    });
    expect(parseVideoObject('{"id":"v1","status":"queued","progress":null}').progress).toBeNull();
    expect(parseVideoObject('{"id":"v1","status":"queued","progress":"x"}').progress).toBeNull();
  });

  it.each([
    ['<html>502 Bad Gateway</html>', 'an answer that is not JSON'],
    ['{"status":"queued"}', 'a video job without an id'],
    ['{"id":"v1"}', 'a video job without a status'],
    ['null', 'a video job without an id'],
  ])('refuses %s as UPSTREAM_INVALID_ANSWER', (text, what) => {
    expect(() => parseVideoObject(text)).toThrow(
      expect.objectContaining({
        code: 'UPSTREAM_INVALID_ANSWER',
        message: expect.stringContaining(what),
      }),
    );
  });
});

describe('pollDelayMs', () => {
  it('prefers openai-poll-after-ms, then retry-after, then the fallback', () => {
    expect(pollDelayMs({ 'openai-poll-after-ms': '1500', 'retry-after': '9' }, 5000)).toBe(1500);
    expect(pollDelayMs({ 'retry-after': '2' }, 5000)).toBe(2000);
    expect(pollDelayMs({}, 5000)).toBe(5000);
    expect(pollDelayMs({ 'openai-poll-after-ms': 'soon' }, 5000)).toBe(5000);
  });

  it('keeps hints within 100 ms .. 60 s', () => {
    expect(pollDelayMs({ 'openai-poll-after-ms': '0' }, 5000)).toBe(100);
    expect(pollDelayMs({ 'retry-after': '3600' }, 5000)).toBe(60_000);
  });
});

describe('failureOf', () => {
  const failed = (error: VideoObject['error']): VideoObject => ({
    id: 'v1',
    status: 'failed',
    progress: 50,
    error,
  });

  it('calls a moderation block a content-policy refusal, in the upstream’s words', () => {
    expect(failureOf(failed({ code: 'moderation_blocked', message: 'Blocked.' }))).toMatchObject({
      code: 'CONTENT_POLICY',
      message: 'The video service refused the prompt under its content policy: Blocked.',
    });
  });

  it('reports other failures with their message, or their code when there is none', () => {
    expect(failureOf(failed({ code: 'internal_error', message: 'GPU fell over' }))).toMatchObject({
      code: 'UPSTREAM_FAILED',
      message: 'The video service could not make the video: GPU fell over',
    });
    expect(failureOf(failed({ code: 'internal_error', message: null })).message).toBe(
      'The video service could not make the video: error code internal_error',
    );
    expect(failureOf(failed(null)).message).toBe(
      'The video service could not make the video: no reason given',
    );
  });
});

describe('failureOf: the gateways’ words', () => {
  const failed = (message: string, code: string | null = null): VideoObject => ({
    id: 'task_1',
    status: 'failed',
    progress: 31,
    error: { code, message },
  });

  it('calls go-sora2api’s 内容违规 (content violation) a content-policy refusal', () => {
    expect(failureOf(failed('获取下载链接失败: 内容违规: 内容违反使用政策'))).toMatchObject({
      code: 'CONTENT_POLICY',
      message:
        'The video service refused the prompt under its content policy: 获取下载链接失败: 内容违规: 内容违反使用政策',
    });
  });

  it('names a cause the words give, such as no account free at grok2api', () => {
    expect(
      failureOf(failed('No available accounts for video generation', 'video_generation_failed')),
    ).toMatchObject({ code: 'UPSTREAM_NO_ACCOUNT' });
  });

  it('says what a gateway’s timeout or lost draft means, keeping its words', () => {
    expect(failureOf(failed('轮询超时')).message).toBe(
      'The video service could not make the video: 轮询超时 (the gateway gave up waiting for the generation)',
    );
    expect(failureOf(failed('任务超时（1440分钟）')).message).toContain(
      '任务超时（1440分钟） (the gateway gave up waiting for the generation)',
    );
    expect(failureOf(failed('获取下载链接失败: 在最近草稿中未找到任务 task_01')).message).toContain(
      '(the generation was not found among the account’s recent drafts)',
    );
  });

  it('keeps other words as they are', () => {
    expect(failureOf(failed('Video generation returned no final video URL'))).toMatchObject({
      code: 'UPSTREAM_FAILED',
      message:
        'The video service could not make the video: Video generation returned no final video URL',
    });
  });
});

describe('sizeFor', () => {
  it('is 720x1280 for portrait and 1280x720 for landscape', () => {
    expect(sizeFor(Orientation.Portrait)).toBe('720x1280');
    expect(sizeFor(Orientation.Landscape)).toBe('1280x720');
  });
});

import { JobStatus, Orientation, VideoStatus } from '@vidgen/contracts';
import {
  openAiProgressOf,
  openAiSecondsOf,
  openAiStatusOf,
  OpenAiVideoSource,
  presentOpenAiVideo,
} from './openai-video';

const video: OpenAiVideoSource = {
  id: '6f1c2a3e-4b5d-4e6f-8a9b-0c1d2e3f4a5b',
  prompt: 'A paper boat drifting down a rainy street',
  status: VideoStatus.Queued,
  provider: 'local',
  requestedOrientation: Orientation.Portrait,
  requestedDurationSeconds: 8,
  error: null,
  createdAt: '2025-12-03T10:00:00.900Z',
  completedAt: null,
};

describe('openAiStatusOf', () => {
  it.each([
    [VideoStatus.Queued, 'queued'],
    [VideoStatus.Running, 'in_progress'],
    [VideoStatus.Ready, 'completed'],
    [VideoStatus.Failed, 'failed'],
    // OpenAI has no cancelled state.
    [VideoStatus.Cancelled, 'failed'],
  ])('reads %s as %s', (status, expected) => {
    expect(openAiStatusOf(status)).toBe(expected);
  });
});

describe('openAiProgressOf', () => {
  it.each([
    ['in_progress', 41.6, 42],
    ['in_progress', 0.4, 0],
    ['queued', undefined, 0],
    ['failed', 63, 63],
    ['in_progress', 104, 100],
    ['in_progress', -3, 0],
  ] as const)('gives a %s job at %s a whole %d', (status, progress, expected) => {
    expect(openAiProgressOf(status, progress)).toBe(expected);
  });

  it('says 100 for a completed video, whatever its job last reported', () => {
    expect(openAiProgressOf('completed', 97)).toBe(100);
    expect(openAiProgressOf('completed')).toBe(100);
  });
});

describe('openAiSecondsOf', () => {
  it.each([
    [4, '4'],
    [8, '8'],
    [12, '12'],
    [1, '4'],
    [5, '4'],
    [7, '8'],
    // Halfway: the shorter, never more than was made.
    [6, '4'],
    [10, '8'],
    [15, '12'],
    [25, '12'],
  ])('reads %d s as %s', (duration, expected) => {
    expect(openAiSecondsOf(duration)).toBe(expected);
  });
});

describe('presentOpenAiVideo', () => {
  it("gives OpenAI's video object, timestamps in whole seconds", () => {
    expect(presentOpenAiVideo(video, { progress: 0, finishedAt: null })).toEqual({
      id: video.id,
      object: 'video',
      model: 'local',
      status: 'queued',
      progress: 0,
      created_at: Date.UTC(2025, 11, 3, 10) / 1000,
      completed_at: null,
      expires_at: null,
      prompt: video.prompt,
      seconds: '8',
      size: '720x1280',
      error: null,
      remixed_from_video_id: null,
    });
  });

  it('gives the size of the requested orientation', () => {
    const landscape = { ...video, requestedOrientation: Orientation.Landscape };
    expect(presentOpenAiVideo(landscape).size).toBe('1280x720');
  });

  it("reads a running video's progress from its job", () => {
    const running = { ...video, status: VideoStatus.Running };
    expect(presentOpenAiVideo(running, { progress: 57.5, finishedAt: null })).toMatchObject({
      status: 'in_progress',
      progress: 58,
    });
  });

  it('tells when a video was completed, and names its source when it is a remix', () => {
    const ready = {
      ...video,
      status: VideoStatus.Ready,
      completedAt: '2025-12-03T10:01:00.000Z',
      remixedFromVideoId: '00000000-4000-8000-8000-000000000001',
    };
    expect(
      presentOpenAiVideo(ready, { progress: 99, finishedAt: ready.completedAt }),
    ).toMatchObject({
      status: 'completed',
      progress: 100,
      completed_at: Date.UTC(2025, 11, 3, 10, 1) / 1000,
      remixed_from_video_id: '00000000-4000-8000-8000-000000000001',
    });
  });

  it('gives a failed video its error, finished when its job finished', () => {
    const failed = {
      ...video,
      status: VideoStatus.Failed,
      error: { code: 'RENDER_FAILED', message: 'The renderer stopped.' },
    };
    expect(
      presentOpenAiVideo(failed, { progress: 30, finishedAt: '2025-12-03T10:02:00.000Z' }),
    ).toMatchObject({
      status: 'failed',
      progress: 30,
      completed_at: Date.UTC(2025, 11, 3, 10, 2) / 1000,
      error: { code: 'RENDER_FAILED', message: 'The renderer stopped.' },
    });
  });

  it('gives a cancelled video a failure with code cancelled', () => {
    const cancelled = { ...video, status: VideoStatus.Cancelled };
    expect(presentOpenAiVideo(cancelled)).toMatchObject({
      status: 'failed',
      error: { code: 'cancelled', message: expect.stringMatching(/cancelled/) },
    });
  });

  it('takes the views /api sends: a video and its job', () => {
    const job = {
      id: 'j',
      videoId: video.id,
      status: JobStatus.Running,
      progress: 12,
      stage: 'Rendering frames',
      queuePosition: null,
      attempt: 1,
      error: null,
      createdAt: video.createdAt,
      startedAt: video.createdAt,
      finishedAt: null,
    };
    expect(presentOpenAiVideo({ ...video, status: VideoStatus.Running }, job).progress).toBe(12);
  });
});

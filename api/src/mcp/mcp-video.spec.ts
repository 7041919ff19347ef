import { JobStatus, Orientation, VideoStatus } from '@vidgen/contracts';
import { JobView } from '../jobs/job.presenter';
import { VideoView } from '../videos/video.presenter';
import { describeVideo, presentVideo } from './mcp-video';

const ORIGIN = 'https://videos.example.com';

function video(overrides: Partial<VideoView> = {}): VideoView {
  return {
    id: 'video-1',
    prompt: 'A paper boat',
    title: 'A paper boat',
    orientation: Orientation.Portrait,
    requestedOrientation: Orientation.Portrait,
    status: VideoStatus.Running,
    provider: 'local',
    model: null,
    width: null,
    height: null,
    durationSeconds: 5,
    requestedDurationSeconds: 5,
    sizeBytes: null,
    contentUrl: null,
    thumbnailUrl: null,
    favorite: false,
    error: null,
    jobId: 'job-2',
    createdAt: '2025-06-01T12:00:00.000Z',
    completedAt: null,
    ...overrides,
  };
}

function job(overrides: Partial<JobView> = {}): JobView {
  return {
    id: 'job-2',
    videoId: 'video-1',
    status: JobStatus.Running,
    progress: 40,
    stage: 'Rendering frames',
    queuePosition: null,
    attempt: 1,
    error: null,
    createdAt: '2025-06-01T12:00:00.000Z',
    startedAt: '2025-06-01T12:00:01.000Z',
    finishedAt: null,
    ...overrides,
  };
}

describe('presentVideo', () => {
  it('takes the progress and stage of the current attempt while it is active', () => {
    expect(presentVideo(video(), job(), ORIGIN)).toMatchObject({
      progress: 40,
      stage: 'Rendering frames',
    });
  });

  it("ignores a job that is not the video's current attempt", () => {
    expect(presentVideo(video(), job({ id: 'job-1' }), ORIGIN)).toMatchObject({
      progress: null,
      stage: null,
    });
  });

  it('says 100 for a ready video, whatever the job read a moment earlier said', () => {
    const ready = video({
      status: VideoStatus.Ready,
      contentUrl: '/api/videos/video-1/content',
      thumbnailUrl: '/api/videos/video-1/thumbnail',
    });

    expect(presentVideo(ready, job({ progress: 97 }), ORIGIN)).toMatchObject({
      progress: 100,
      stage: null,
      contentUrl: 'https://videos.example.com/api/videos/video-1/content',
      thumbnailUrl: 'https://videos.example.com/api/videos/video-1/thumbnail',
    });
  });

  it('has no progress once failed or cancelled', () => {
    for (const [status, jobStatus] of [
      [VideoStatus.Failed, JobStatus.Failed],
      [VideoStatus.Cancelled, JobStatus.Cancelled],
    ] as const) {
      expect(presentVideo(video({ status }), job({ status: jobStatus }), ORIGIN)).toMatchObject({
        progress: null,
        stage: null,
      });
    }
  });
});

describe('describeVideo', () => {
  const present = (overrides: Partial<VideoView>, current?: JobView) =>
    describeVideo(presentVideo(video(overrides), current, ORIGIN));

  it('says where a generation is', () => {
    expect(
      present(
        { status: VideoStatus.Queued },
        job({ status: JobStatus.Queued, progress: 0, stage: 'Waiting in the queue' }),
      ),
    ).toBe('Video video-1 is queued: Waiting in the queue.');
    expect(present({}, job())).toBe('Video video-1 is being generated: 40% (Rendering frames).');
  });

  it('gives the URLs of a ready video and how to fetch them', () => {
    expect(
      present({
        status: VideoStatus.Ready,
        contentUrl: '/api/videos/video-1/content',
        thumbnailUrl: '/api/videos/video-1/thumbnail',
      }),
    ).toBe(
      'Video video-1 is ready: https://videos.example.com/api/videos/video-1/content, thumbnail ' +
        'https://videos.example.com/api/videos/video-1/thumbnail. Fetch them with the ' +
        'Authorization header of this MCP server.',
    );
  });

  it('says why a video failed', () => {
    expect(
      present({
        status: VideoStatus.Failed,
        error: { code: 'RENDER_FAILED', message: 'The renderer stopped.' },
      }),
    ).toBe('Video video-1 failed: The renderer stopped.');
    expect(present({ status: VideoStatus.Cancelled })).toBe('Video video-1 was cancelled.');
  });
});

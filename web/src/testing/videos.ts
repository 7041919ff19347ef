import {
  JobStatus,
  Orientation,
  ProviderInfo,
  Video,
  VideoJob,
  VideoStatus,
} from '@vidgen/contracts';

export const VIDEO_ID = '5f0c2a8e-7d1b-4c3a-9e6f-2b8d4a1c7e90';
export const JOB_ID = '9a3e1f7c-4b2d-4e8a-8c5f-1d7b3e9a2c64';

/** A video that came out as asked unless `overrides` sets the requested shape apart. */
export function aVideo(overrides: Partial<Video> = {}): Video {
  const orientation = overrides.orientation ?? Orientation.Portrait;
  return {
    id: VIDEO_ID,
    prompt: 'A paper boat drifting down a rainy street at dusk',
    title: 'Paper boat',
    orientation,
    requestedOrientation: orientation,
    status: VideoStatus.Queued,
    provider: 'local',
    model: null,
    width: null,
    height: null,
    durationSeconds: 5,
    requestedDurationSeconds: Math.round(overrides.durationSeconds ?? 5),
    sizeBytes: null,
    contentUrl: null,
    thumbnailUrl: null,
    favorite: false,
    error: null,
    jobId: JOB_ID,
    createdAt: '2026-03-14T09:26:53.000Z',
    completedAt: null,
    ...overrides,
  };
}

/** The same video once rendered. */
export function aReadyVideo(overrides: Partial<Video> = {}): Video {
  const id = overrides.id ?? VIDEO_ID;
  return aVideo({
    status: VideoStatus.Ready,
    model: 'ffmpeg-lavfi',
    width: 720,
    height: 1280,
    durationSeconds: 5,
    sizeBytes: 1_234_567,
    contentUrl: `/api/videos/${id}/content`,
    thumbnailUrl: `/api/videos/${id}/thumbnail`,
    completedAt: '2026-03-14T09:27:05.000Z',
    ...overrides,
  });
}

export function aJob(overrides: Partial<VideoJob> = {}): VideoJob {
  return {
    id: JOB_ID,
    videoId: VIDEO_ID,
    status: JobStatus.Queued,
    progress: 0,
    stage: 'Waiting in the queue',
    queuePosition: 1,
    attempt: 1,
    error: null,
    createdAt: new Date().toISOString(),
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

/** The built-in renderer, as GET /api/providers describes it. */
export function aLocalProvider(overrides: Partial<ProviderInfo> = {}): ProviderInfo {
  return {
    name: 'local',
    label: 'Local preview (not AI)',
    isLocalPreview: true,
    durationOptions: [5, 10, 15],
    ...overrides,
  };
}

/** An upstream AI service, as GET /api/providers describes it. */
export function anAiProvider(overrides: Partial<ProviderInfo> = {}): ProviderInfo {
  return aLocalProvider({
    name: 'chat-stream',
    label: 'Sora (chat-stream gateway)',
    isLocalPreview: false,
    durationOptions: [4, 8, 12],
    ...overrides,
  });
}

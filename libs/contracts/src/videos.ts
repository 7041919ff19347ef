export enum Orientation {
  Portrait = 'portrait',
  Landscape = 'landscape',
}

export enum VideoStatus {
  Queued = 'queued',
  Running = 'running',
  Ready = 'ready',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

export const PROMPT_MAX_LENGTH = 4000;
export const TITLE_MAX_LENGTH = 120;
export const DEFAULT_DURATION_SECONDS = 5;
export const MIN_DURATION_SECONDS = 1;
export const MAX_DURATION_SECONDS = 20;
export const VIDEO_PAGE_SIZE_DEFAULT = 24;
export const VIDEO_PAGE_SIZE_MAX = 100;

/** Why a video or job failed: `code` is stable, `message` is for people. */
export interface ProblemDetail {
  code: string;
  message: string;
}

export interface Video {
  id: string;
  prompt: string;
  title: string;
  orientation: Orientation;
  status: VideoStatus;
  /** Which provider made it, e.g. `local` (a local preview, not AI). */
  provider: string;
  model: string | null;
  width: number | null;
  height: number | null;
  durationSeconds: number;
  sizeBytes: number | null;
  /** Relative URL of the MP4, present once the video is ready. */
  contentUrl: string | null;
  thumbnailUrl: string | null;
  favorite: boolean;
  error: ProblemDetail | null;
  /** The latest generation attempt. */
  jobId: string;
  createdAt: string;
  completedAt: string | null;
}

export interface CreateVideoRequest {
  prompt: string;
  orientation?: Orientation;
  durationSeconds?: number;
}

export interface UpdateVideoRequest {
  title?: string;
  favorite?: boolean;
}

export interface VideoResponse {
  video: Video;
}

export interface VideoListQuery {
  /** One status or several (sent comma-separated: `status=queued,running`). */
  status?: VideoStatus | readonly VideoStatus[];
  orientation?: Orientation;
  favorite?: boolean;
  /** Words searched for in prompts and titles. */
  q?: string;
  cursor?: string;
  limit?: number;
}

export interface VideoListResponse {
  items: Video[];
  nextCursor: string | null;
}

/** The video generator this platform is configured with. */
export interface ProviderInfo {
  /** e.g. `local`, `chat-stream`, `openai-videos` */
  name: string;
  label: string;
  /** True for the built-in renderer: shown as a local preview, not AI. */
  isLocalPreview: boolean;
  /** Lengths in seconds to offer; the first is the default. */
  durationOptions: number[];
}

export interface ProvidersResponse {
  active: ProviderInfo;
}

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
/** The longest any provider may be asked for (sora's paid 25 s included); each provider offers its own lengths. */
export const MAX_DURATION_SECONDS = 60;
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
  /**
   * The requested orientation until the video is ready, then the file's own: the same, unless the
   * server keeps files of another orientation (ORIENTATION_MISMATCH=keep). A square file keeps
   * the requested one; `width` and `height` tell.
   */
  orientation: Orientation;
  /** What was asked for, whatever the file turned out to be. */
  requestedOrientation: Orientation;
  status: VideoStatus;
  /** Which provider made it, e.g. `local` (a local preview, not AI). */
  provider: string;
  model: string | null;
  width: number | null;
  height: number | null;
  /** The requested length, then the file's real length once ready. */
  durationSeconds: number;
  /** The length asked for, in whole seconds; see `isLengthFarFromRequest`. */
  requestedDurationSeconds: number;
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

/** The orientation of a frame of this size; null for a square, which is neither. */
export function orientationOfSize(width: number, height: number): Orientation | null {
  if (width === height) return null;
  return width > height ? Orientation.Landscape : Orientation.Portrait;
}

/**
 * Whether a video's real length differs from the requested one enough to tell people: by more
 * than 2 seconds and more than a quarter. Gateways round lengths to what their models make (a
 * "10 s" clip is often 10.04 s), and such small differences are noise.
 */
export function isLengthFarFromRequest(requestedSeconds: number, actualSeconds: number): boolean {
  const difference = Math.abs(actualSeconds - requestedSeconds);
  return difference > 2 && difference > requestedSeconds / 4;
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

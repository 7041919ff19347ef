import { ProblemDetail, Video } from './videos';

export enum JobStatus {
  Queued = 'queued',
  Running = 'running',
  Succeeded = 'succeeded',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = [
  JobStatus.Succeeded,
  JobStatus.Failed,
  JobStatus.Cancelled,
];

export interface VideoJob {
  id: string;
  videoId: string;
  status: JobStatus;
  /** 0..100 */
  progress: number;
  /** What the job is doing now, in words ("Rendering frames"). */
  stage: string;
  /** 1 for the next job to start; null once running or finished. */
  queuePosition: number | null;
  attempt: number;
  error: ProblemDetail | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface CreateVideoResponse {
  video: Video;
  job: VideoJob;
}

export interface JobResponse {
  job: VideoJob;
}

export interface JobListResponse {
  items: VideoJob[];
}

/** Names of the server-sent events of the job streams. */
export enum JobEventType {
  Snapshot = 'snapshot',
  Progress = 'progress',
  Status = 'status',
  Succeeded = 'succeeded',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

/** The `data` of every job stream event; `video` is sent with snapshots, status and terminal events. */
export interface JobEventData {
  job: VideoJob;
  video?: Video;
}

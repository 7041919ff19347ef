import { randomHex } from './http-util';
import { Json } from './json-formats';
import { Orientation } from './media';

/**
 * How a job runs upstream, whatever a dialect shows of it. Each dialect maps its prompt markers
 * onto these and words the failures its own way. `poll-hang` and `poll-cut-once` act on polls,
 * the file kinds and `no-content` on `/content`.
 */
export const JOB_BEHAVIOURS = [
  'success',
  'failed',
  'stall-poll',
  'stuck',
  'no-progress',
  'jump',
  'poll-hang',
  'poll-cut-once',
  'forgotten',
  'oversized',
  'not-video',
  'redirect-private',
  'drip',
  'no-content',
] as const;
export type JobBehaviour = (typeof JOB_BEHAVIOURS)[number];

/** The behaviours that change what `/content` serves instead of a clip. */
export const FILE_BEHAVIOURS = ['oversized', 'not-video', 'redirect-private', 'drip'] as const;
export type FileBehaviour = (typeof FILE_BEHAVIOURS)[number];

export function isFileBehaviour(behaviour: JobBehaviour): behaviour is FileBehaviour {
  return (FILE_BEHAVIOURS as readonly string[]).includes(behaviour);
}

export interface VideoJob {
  id: string;
  createdAtMs: number;
  model: string;
  prompt: string;
  /** `seconds` and `size` as the dialect reports them. */
  seconds: string;
  size: string;
  /** The shape of the file the gateway really makes for what it was sent. */
  orientation: Orientation;
  lengthSeconds: number;
  behaviour: JobBehaviour;
  /** The error a failed job carries, in the dialect's words. */
  failure: Json;
  remixedFrom: string | null;
}

export type JobStatus = 'queued' | 'in_progress' | 'completed' | 'failed';

export interface JobState {
  status: JobStatus;
  progress: number;
}

/** OpenAI's words for a moderated job. */
export const MODERATION_FAILURE = {
  code: 'moderation_blocked',
  message: 'Your request was blocked by our moderation system.',
};

/** Where a stall-poll job stops: in_progress at this percentage, forever. */
const STALL_PERCENT = 42;
/** Where a stuck job freezes (go-sora2api only logs Sora's failure and keeps polling). */
const STUCK_PERCENT = 31;
/** A stuck job ends at this many job durations: go-sora2api's 30-minute poll limit, scaled. */
const STUCK_DURATIONS = 3;
/** Download links (and the job's content) expire an hour after completion, as OpenAI's do. */
const EXPIRES_AFTER_S = 3600;

/**
 * Jobs in memory. A job's state is a function of the wall clock, not of polling, so a client
 * that stops polling (the platform restarting) and comes back later finds it completed.
 */
export class VideoJobs {
  private readonly jobs = new Map<string, VideoJob>();

  constructor(readonly durationMs: number) {}

  create(id: string, fields: Omit<VideoJob, 'id' | 'createdAtMs'>): VideoJob {
    const job: VideoJob = { id, createdAtMs: Date.now(), ...fields };
    this.jobs.set(job.id, job);
    return job;
  }

  /** Undefined also for a `forgotten` job from halfway on (grok2api's 1 h lifetime, scaled). */
  get(id: string, now = Date.now()): VideoJob | undefined {
    const job = this.jobs.get(id);
    if (job?.behaviour === 'forgotten' && now - job.createdAtMs >= this.durationMs / 2)
      return undefined;
    return job;
  }

  delete(id: string): boolean {
    return this.jobs.delete(id);
  }

  /** Newest first, as OpenAI's list defaults to `order=desc`. */
  list(): VideoJob[] {
    return [...this.jobs.values()].sort((a, b) => b.createdAtMs - a.createdAtMs);
  }

  /** What the job is at `now`, in OpenAI's terms; dialects show it their way. */
  state(job: VideoJob, now = Date.now()): JobState {
    const elapsed = now - job.createdAtMs;
    const queuedFor = this.durationMs * 0.1;
    const span = Math.max(1, this.durationMs - queuedFor);
    const running = (at: number) =>
      Math.min(99, Math.max(0, Math.floor(((at - queuedFor) / span) * 100)));
    if (elapsed < queuedFor) return { status: 'queued', progress: 0 };
    if (job.behaviour === 'stall-poll')
      return { status: 'in_progress', progress: Math.min(STALL_PERCENT, running(elapsed)) };
    if (job.behaviour === 'stuck') {
      const progress = Math.min(STUCK_PERCENT, running(elapsed));
      const over = elapsed >= this.durationMs * STUCK_DURATIONS;
      return { status: over ? 'failed' : 'in_progress', progress };
    }
    const failsAt = this.durationMs * 0.6;
    if (job.behaviour === 'failed' && elapsed >= failsAt)
      return { status: 'failed', progress: running(failsAt) };
    if (elapsed < this.durationMs)
      return { status: 'in_progress', progress: shown(job.behaviour, running(elapsed)) };
    return { status: 'completed', progress: 100 };
  }

  /** When it completed, in epoch seconds, or null while it has not. */
  completedAt(job: VideoJob, now = Date.now()): number | null {
    return this.state(job, now).status === 'completed'
      ? Math.floor((job.createdAtMs + this.durationMs) / 1000)
      : null;
  }

  /** The video object of OpenAI's Videos API. */
  present(job: VideoJob, now = Date.now()): { [key: string]: Json } {
    const { status, progress } = this.state(job, now);
    const completedAt = this.completedAt(job, now);
    return {
      id: job.id,
      object: 'video',
      created_at: Math.floor(job.createdAtMs / 1000),
      status,
      progress,
      model: job.model,
      prompt: job.prompt,
      seconds: job.seconds,
      size: job.size,
      completed_at: completedAt,
      expires_at: completedAt === null ? null : completedAt + EXPIRES_AFTER_S,
      error: status === 'failed' ? job.failure : null,
      remixed_from_video_id: job.remixedFrom,
    };
  }
}

/** `no-progress` says 0 until done; `jump` says 0, then 90 from halfway. */
function shown(behaviour: JobBehaviour, progress: number): number {
  if (behaviour === 'no-progress') return 0;
  if (behaviour === 'jump') return progress < 50 ? 0 : 90;
  return progress;
}

/** OpenAI's `video_<48 hex>`. */
export function openAiVideoId(): string {
  return `video_${randomHex(48)}`;
}

/** `720x1280` is portrait, `1280x720` landscape: whichever side is longer. */
export function orientationOfSize(size: string): Orientation {
  const [width, height] = size.split('x').map(Number);
  return width > height ? 'landscape' : 'portrait';
}

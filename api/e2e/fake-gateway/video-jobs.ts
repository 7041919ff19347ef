import { Json } from './json-formats';
import { randomHex } from './http-util';

/**
 * The scenarios that change how a job runs or is served; the HTTP ones act on the create request.
 * `poll-hang` and `poll-cut-once` act on its polls, the file kinds on its `/content`.
 */
export const JOB_SCENARIOS = [
  'success',
  'failed',
  'stall-poll',
  'no-progress',
  'jump',
  'poll-hang',
  'poll-cut-once',
  'oversized',
  'not-video',
  'redirect-private',
  'drip',
] as const;
export type JobScenario = (typeof JOB_SCENARIOS)[number];

export function isJobScenario(name: string): name is JobScenario {
  return (JOB_SCENARIOS as readonly string[]).includes(name);
}

export interface VideoJob {
  id: string;
  createdAtMs: number;
  model: string;
  prompt: string;
  seconds: string;
  size: string;
  scenario: JobScenario;
  remixedFrom: string | null;
}

export type JobStatus = 'queued' | 'in_progress' | 'completed' | 'failed';

export const FAILURE = {
  code: 'moderation_blocked',
  message: 'Your request was blocked by our moderation system.',
};

/** Where a stall-poll job stops: in_progress at this percentage, forever. */
const STALL_PERCENT = 42;
/** Download links (and the job's content) expire an hour after completion, as OpenAI's do. */
const EXPIRES_AFTER_S = 3600;

/**
 * Jobs in memory. A job's state is a function of the wall clock, not of polling, so a client
 * that stops polling (the platform restarting) and comes back later finds it completed.
 */
export class VideoJobs {
  private readonly jobs = new Map<string, VideoJob>();

  constructor(private readonly durationMs: number) {}

  create(fields: Omit<VideoJob, 'id' | 'createdAtMs'>): VideoJob {
    const job: VideoJob = { id: `video_${randomHex(48)}`, createdAtMs: Date.now(), ...fields };
    this.jobs.set(job.id, job);
    return job;
  }

  get(id: string): VideoJob | undefined {
    return this.jobs.get(id);
  }

  delete(id: string): boolean {
    return this.jobs.delete(id);
  }

  /** Newest first, as OpenAI's list defaults to `order=desc`. */
  list(): VideoJob[] {
    return [...this.jobs.values()].sort((a, b) => b.createdAtMs - a.createdAtMs);
  }

  state(job: VideoJob, now = Date.now()): { status: JobStatus; progress: number } {
    const elapsed = now - job.createdAtMs;
    const queuedFor = this.durationMs * 0.1;
    const span = Math.max(1, this.durationMs - queuedFor);
    const running = (at: number) =>
      Math.min(99, Math.max(0, Math.floor(((at - queuedFor) / span) * 100)));
    if (elapsed < queuedFor) return { status: 'queued', progress: 0 };
    if (job.scenario === 'stall-poll')
      return { status: 'in_progress', progress: Math.min(STALL_PERCENT, running(elapsed)) };
    const failsAt = this.durationMs * 0.6;
    if (job.scenario === 'failed' && elapsed >= failsAt)
      return { status: 'failed', progress: running(failsAt) };
    if (elapsed < this.durationMs)
      return { status: 'in_progress', progress: this.shown(job.scenario, running(elapsed)) };
    return { status: 'completed', progress: 100 };
  }

  /** `no-progress` says 0 until done; `jump` says 0, then 90 from halfway. */
  private shown(scenario: JobScenario, progress: number): number {
    if (scenario === 'no-progress') return 0;
    if (scenario === 'jump') return progress < 50 ? 0 : 90;
    return progress;
  }

  /** The video object of OpenAI's Videos API. */
  present(job: VideoJob, now = Date.now()): Json {
    const { status, progress } = this.state(job, now);
    const completedAt =
      status === 'completed' ? Math.floor((job.createdAtMs + this.durationMs) / 1000) : null;
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
      error: status === 'failed' ? { ...FAILURE } : null,
      remixed_from_video_id: job.remixedFrom,
    };
  }
}

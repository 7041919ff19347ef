import { GenerationProgress } from '../video-provider';

export const STAGE_PREPARING = 'Preparing';
export const STAGE_RENDERING = 'Rendering frames';
export const STAGE_FINISHING = 'Finishing';

/**
 * Passes progress on without flooding the job runner: at most one report per interval, a new
 * stage at once, never a smaller percentage, and always the final 100.
 */
export class ProgressReporter {
  private last: GenerationProgress | null = null;
  private lastAt = -Infinity;

  constructor(
    private readonly emit: (progress: GenerationProgress) => void,
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  report(percent: number, stage: string): void {
    const floor = this.last?.percent ?? 0;
    const next = { percent: Math.min(99, Math.max(floor, Math.floor(percent))), stage };
    const stageChanged = this.last?.stage !== stage;
    const due = this.now() - this.lastAt >= this.intervalMs && next.percent > floor;
    if (stageChanged || due) this.send(next);
  }

  /** 100 is kept for the end, so a report of 100 before it can't look finished. */
  finish(stage: string): void {
    if (this.last?.percent !== 100) this.send({ percent: 100, stage });
  }

  private send(progress: GenerationProgress): void {
    this.last = progress;
    this.lastAt = this.now();
    this.emit(progress);
  }
}

import { GenerationProgress } from '../video-provider';

/** What an upstream said about progress; either part may be missing from one message. */
export interface ProgressUpdate {
  percent?: number | null;
  stage?: string | null;
}

/**
 * Passes on only real changes: never a smaller percentage (gateways restart their counters
 * on retries), and the last stage again when an update has none.
 */
export function progressUpdates(
  onProgress: (progress: GenerationProgress) => void,
  firstStage: string,
): (update: ProgressUpdate) => void {
  let last: GenerationProgress | null = null;
  return ({ percent, stage }) => {
    const next = {
      percent: Math.max(last?.percent ?? 0, percent ?? 0),
      stage: stage ?? last?.stage ?? firstStage,
    };
    if (next.percent === last?.percent && next.stage === last?.stage) return;
    last = next;
    onProgress(next);
  };
}

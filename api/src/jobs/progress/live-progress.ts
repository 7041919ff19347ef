/** How far a running job is, as its runner last published it. */
export interface JobProgress {
  progress: number;
  stage: string;
}

/**
 * The latest progress of running jobs, kept apart from the row, which is saved at most once a
 * second: every API process's reads overlay it, so a page loading just after an update never
 * starts behind what the streams already showed. A cache: losing it only makes reads fall back
 * to the row.
 */
export abstract class LiveProgress {
  /** Records the latest progress; never throws (a failed write is logged and skipped). */
  abstract set(jobId: string, progress: JobProgress): void;
  /** The runner is done with the job: from now on its row alone tells its progress. */
  abstract forget(jobId: string): void;
  /** What is known of these jobs; missing ones (and all, when the cache is unreachable) are left out. */
  abstract read(jobIds: string[]): Promise<Map<string, JobProgress>>;
}

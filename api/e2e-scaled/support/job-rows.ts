import { setTimeout as sleep } from 'node:timers/promises';

/** A job row as the workers leave it, read straight from the database. */
export interface JobRow {
  id: string;
  video_id: string;
  user_id: string;
  status: string;
  attempt: number;
  worker_id: string | null;
  lease_expires_at: Date | null;
}

/** One attempt of a job on one worker, as the job's row showed it. */
export interface JobRunSeen {
  attempt: number;
  workerId: string | null;
  /** Date.now() when the row first showed it (polled every 50 ms). */
  seenAt: number;
}

const TERMINAL_STATUSES = ['succeeded', 'failed', 'cancelled'];

/** Polls a job's row every 50 ms and keeps each run it shows: which worker, which attempt. */
export class JobFollower {
  readonly runs: JobRunSeen[] = [];
  /** The row once the job has ended, and when that was seen. */
  readonly finished: Promise<JobRow & { seenAt: number }>;
  private ended = false;

  constructor(read: (jobId: string) => Promise<JobRow>, jobId: string, timeoutMs: number) {
    this.finished = (async () => {
      const deadline = Date.now() + timeoutMs;
      try {
        for (;;) {
          const row = await read(jobId);
          const seenAt = Date.now();
          if (TERMINAL_STATUSES.includes(row.status)) return { ...row, seenAt };
          const last = this.runs.at(-1);
          if (
            row.status === 'running' &&
            (last?.attempt !== row.attempt || last.workerId !== row.worker_id)
          ) {
            this.runs.push({ attempt: row.attempt, workerId: row.worker_id, seenAt });
          }
          if (seenAt > deadline)
            throw new Error(
              `job ${jobId} did not end within ${timeoutMs} ms: ${JSON.stringify(row)}`,
            );
          await sleep(50);
        }
      } finally {
        this.ended = true;
      }
    })();
    // Awaited by the tests that need it; a rejection nobody awaits must not end the process.
    this.finished.catch(() => undefined);
  }

  /** The first run that matches, seen already or still to come. */
  async run(matches: (run: JobRunSeen) => boolean, timeoutMs = 60_000): Promise<JobRunSeen> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.runs.find(matches);
      if (found) return found;
      if (this.ended || Date.now() > deadline)
        throw new Error(`no such run of the job; runs seen: ${JSON.stringify(this.runs)}`);
      await sleep(20);
    }
  }
}

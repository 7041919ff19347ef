import { Injectable } from '@nestjs/common';
import { JobProgress, LiveProgress } from './live-progress';

/** The embedded adapter: the runner and the readers share one process. */
@Injectable()
export class InMemoryLiveProgress extends LiveProgress {
  private readonly latest = new Map<string, JobProgress>();

  set(jobId: string, progress: JobProgress): void {
    this.latest.set(jobId, progress);
  }

  forget(jobId: string): void {
    this.latest.delete(jobId);
  }

  async read(jobIds: string[]): Promise<Map<string, JobProgress>> {
    const found = new Map<string, JobProgress>();
    for (const id of jobIds) {
      const progress = this.latest.get(id);
      if (progress) found.set(id, progress);
    }
    return found;
  }
}

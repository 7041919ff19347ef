import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  ApiRoutes,
  CreateVideoResponse,
  JobListResponse,
  JobResponse,
  VideoJob,
} from '@vidgen/contracts';
import { firstValueFrom, map } from 'rxjs';

/** The /api/jobs endpoints (live updates come from JobStreamService). */
@Injectable({ providedIn: 'root' })
export class JobsApi {
  private readonly http = inject(HttpClient);

  get(id: string): Promise<VideoJob> {
    return firstValueFrom(this.http.get<JobResponse>(ApiRoutes.job(id)).pipe(map((r) => r.job)));
  }

  /** Queued and running jobs, to show progress before the first live event arrives. */
  listActive(): Promise<VideoJob[]> {
    return firstValueFrom(
      this.http
        .get<JobListResponse>(ApiRoutes.jobs, { params: { active: 'true' } })
        .pipe(map((r) => r.items)),
    );
  }

  cancel(id: string): Promise<VideoJob> {
    return firstValueFrom(
      this.http.post<JobResponse>(ApiRoutes.jobCancel(id), null).pipe(map((r) => r.job)),
    );
  }

  /** A new attempt for a failed or cancelled video; the video keeps its id. */
  retry(id: string): Promise<CreateVideoResponse> {
    return firstValueFrom(this.http.post<CreateVideoResponse>(ApiRoutes.jobRetry(id), null));
  }
}

import { Injectable } from '@nestjs/common';
import {
  concatMap,
  endWith,
  exhaustMap,
  filter,
  fromEvent,
  ignoreElements,
  lastValueFrom,
  map,
  merge,
  of,
  takeUntil,
  takeWhile,
  timer,
} from 'rxjs';
import { API_KEY_REFUSED, ApiKeysService } from '../api-keys/api-keys.service';
import { ApiKeyPrincipal } from '../auth/authenticated-user';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import { JobEvents } from '../jobs/events/job-events';
import { isTerminal } from '../jobs/job-state';
import { JobView } from '../jobs/job.presenter';
import { JobsService } from '../jobs/jobs.service';

/**
 * How often a followed job's row is read again. The job events carry every step as it happens;
 * the row is the safety net for an event lost on the way (events are dropped, not queued, while
 * Redis is away), and the moment to check that the caller's key is still valid.
 */
export const ROW_CHECK_MS = 5_000;

/**
 * Follows a job for a tool call that asked for progress. Each follow filters the process's job
 * events itself: there are few at a time (one per generation a client chose to wait for, within
 * the cap on active jobs), unlike the SSE streams, which share one router.
 */
@Injectable()
export class JobFollower {
  constructor(
    private readonly events: JobEvents,
    private readonly jobs: JobsService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /**
   * Follows the caller's job until it ends, calling `onStep` with each state whose progress is
   * ahead of the last one reported (from the state it is in now). Resolves with the last state
   * seen: the end, or where the job was when `signal` aborted or the process began to shut down.
   * Rejects with UnauthenticatedError once the caller's key has been revoked or has expired.
   */
  follow(
    jobId: string,
    caller: ApiKeyPrincipal,
    onStep: (job: JobView) => Promise<void>,
    signal: AbortSignal,
  ): Promise<JobView | undefined> {
    const userId = caller.user.id;
    const live = this.events.events().pipe(
      filter((event) => event.userId === userId && event.data.job.id === jobId),
      map((event) => event.data.job),
    );
    const checked = timer(0, ROW_CHECK_MS).pipe(exhaustMap(() => this.check(jobId, caller)));
    // The events complete as the process shuts down: the follow ends with them.
    const shutdown = live.pipe(ignoreElements(), endWith(true));
    const aborted = signal.aborted ? of(true) : fromEvent(signal, 'abort');
    let reported = -1;
    return lastValueFrom(
      merge(live, checked).pipe(
        takeUntil(merge(aborted, shutdown)),
        takeWhile((job) => !isTerminal(job.status), true),
        concatMap(async (job) => {
          if (job.progress > reported) {
            reported = job.progress;
            await onStep(job);
          }
          return job;
        }),
      ),
      { defaultValue: undefined },
    );
  }

  private async check(jobId: string, caller: ApiKeyPrincipal): Promise<JobView> {
    const [job, keyActive] = await Promise.all([
      this.jobs.get(jobId, caller.user.id),
      this.apiKeys.isActive(caller.apiKeyId, caller.user.id),
    ]);
    if (!keyActive) throw new UnauthenticatedError(API_KEY_REFUSED);
    return job;
  }
}

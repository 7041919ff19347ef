import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobStatus } from '@vidgen/contracts';
import { DataSource, EntityManager, In, IsNull, LessThan, MoreThanOrEqual, Not, Or } from 'typeorm';
import { VideoEntity } from '../videos/video.entity';
import { videoStatusFor } from './job-state';
import { VideoJobEntity } from './video-job.entity';

const ACTIVE = [JobStatus.Queued, JobStatus.Running];

export type JobChanges = Partial<
  Pick<
    VideoJobEntity,
    | 'progress'
    | 'stage'
    | 'attempt'
    | 'errorCode'
    | 'errorMessage'
    | 'startedAt'
    | 'finishedAt'
    | 'workerId'
    | 'leaseExpiresAt'
  >
>;

/** A lease that has run out by `at`, or that a row never had (running before leases existed). */
const leaseExpiredBy = (at: Date) => Or(IsNull(), LessThan(at));

/** One worker's run of one attempt of a job. */
export interface JobRun {
  jobId: string;
  attempt: number;
  workerId: string;
}

const heldBy = ({ jobId, attempt, workerId }: JobRun) => ({
  id: jobId,
  status: JobStatus.Running,
  attempt,
  workerId,
});

@Injectable()
export class JobsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private jobs(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(VideoJobEntity);
  }

  async insert(job: VideoJobEntity, manager?: EntityManager): Promise<void> {
    await this.jobs(manager).insert(job);
  }

  findById(id: string, manager?: EntityManager): Promise<VideoJobEntity | null> {
    return this.jobs(manager).findOneBy({ id });
  }

  findOwned(id: string, userId: string, manager?: EntityManager): Promise<VideoJobEntity | null> {
    return this.jobs(manager).findOneBy({ id, userId });
  }

  listActive(userId: string): Promise<VideoJobEntity[]> {
    return this.jobs().find({ where: { userId, status: In(ACTIVE) }, order: { createdAt: 'ASC' } });
  }

  /** Jobs that ended at or after `since`, at most `limit` of the latest, in the order they ended. */
  async listEndedSince(userId: string, since: Date, limit: number): Promise<VideoJobEntity[]> {
    const ended = await this.jobs().find({
      where: { userId, status: Not(In(ACTIVE)), finishedAt: MoreThanOrEqual(since) },
      order: { finishedAt: 'DESC' },
      take: limit,
    });
    return ended.reverse();
  }

  /** The latest jobs first. */
  listRecent(userId: string, limit = 50): Promise<VideoJobEntity[]> {
    return this.jobs().find({ where: { userId }, order: { createdAt: 'DESC' }, take: limit });
  }

  countActive(userId: string, manager?: EntityManager): Promise<number> {
    return this.jobs(manager).countBy({ userId, status: In(ACTIVE) });
  }

  /**
   * Makes one user's submissions wait for each other inside their transactions, so a count of
   * active jobs and the insert that follows can't interleave. MySQL needs a row lock for that;
   * SQLite runs one write transaction at a time anyway.
   */
  async lockUserSubmissions(userId: string, manager: EntityManager): Promise<void> {
    if (manager.connection.options.type === 'mysql') {
      await manager.query('SELECT id FROM users WHERE id = ? FOR UPDATE', [userId]);
    }
  }

  /** How many jobs are in each state; states without jobs are left out. */
  async countByStatus(): Promise<Partial<Record<JobStatus, number>>> {
    const rows = await this.jobs()
      .createQueryBuilder('job')
      .select('job.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .groupBy('job.status')
      .getRawMany<{ status: JobStatus; count: number | string }>();
    // MySQL answers COUNT(*) as a string.
    return Object.fromEntries(rows.map(({ status, count }) => [status, Number(count)]));
  }

  /**
   * Running jobs whose worker is gone, oldest first: their lease ran out by `at`, or, with no
   * `at`, all of them (when no other process can be running anything).
   */
  listOrphaned(at?: Date): Promise<VideoJobEntity[]> {
    return this.jobs().find({
      where: { status: JobStatus.Running, ...(at && { leaseExpiresAt: leaseExpiredBy(at) }) },
      order: { createdAt: 'ASC' },
    });
  }

  /** Ids of all queued jobs in the order they will start. */
  async queuedOrder(): Promise<string[]> {
    const rows = await this.jobs().find({
      select: { id: true },
      where: { status: JobStatus.Queued },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map((row) => row.id);
  }

  /**
   * Moves a job to `to` if it is still in one of `from` and at the caller's attempt, and its
   * video with it, in one transaction; with `leaseExpiredBy`, only if its lease ran out by then.
   * `alsoWrite` runs in that transaction once both are written. False when the job had already
   * moved on (a cancel raced a finish, another worker took it over, its worker renewed the lease).
   */
  async transition(
    job: VideoJobEntity,
    from: JobStatus[],
    to: JobStatus,
    changes: JobChanges,
    videoChanges: Partial<VideoEntity> = {},
    onlyIfLeaseExpiredBy?: Date,
    alsoWrite?: (manager: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    const now = new Date();
    return this.dataSource.transaction(async (manager) => {
      const result = await this.jobs(manager).update(
        {
          id: job.id,
          status: In(from),
          attempt: job.attempt,
          ...(onlyIfLeaseExpiredBy && { leaseExpiresAt: leaseExpiredBy(onlyIfLeaseExpiredBy) }),
        },
        { ...changes, status: to, updatedAt: now },
      );
      if (!result.affected) return false;
      await manager.getRepository(VideoEntity).update(
        { id: job.videoId, currentJobId: job.id },
        {
          ...videoChanges,
          status: videoStatusFor(to),
          errorCode: changes.errorCode ?? null,
          errorMessage: changes.errorMessage ?? null,
          updatedAt: now,
        },
      );
      await alsoWrite?.(manager);
      return true;
    });
  }

  /** The video a job belongs to, for the events and views that show both. */
  findVideo(
    videoId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<VideoEntity | null> {
    return manager.getRepository(VideoEntity).findOneBy({ id: videoId });
  }

  async saveUpstreamJobId(jobId: string, upstreamJobId: string): Promise<void> {
    await this.jobs().update({ id: jobId }, { upstreamJobId, updatedAt: new Date() });
  }

  /** Saves the progress of a run that still holds its job (a taken-over run's writes are dropped). */
  async saveProgress(run: JobRun, progress: number, stage: string): Promise<void> {
    await this.jobs().update({ ...heldBy(run) }, { progress, stage, updatedAt: new Date() });
  }

  /** Extends a run's lease; false when the run no longer holds its job (cancelled, taken over). */
  async renewLease(run: JobRun, until: Date): Promise<boolean> {
    const result = await this.jobs().update({ ...heldBy(run) }, { leaseExpiresAt: until });
    return Boolean(result.affected);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobStatus } from '@vidgen/contracts';
import { DataSource, EntityManager, In } from 'typeorm';
import { VideoEntity } from '../videos/video.entity';
import { videoStatusFor } from './job-state';
import { VideoJobEntity } from './video-job.entity';

const ACTIVE = [JobStatus.Queued, JobStatus.Running];

export type JobChanges = Partial<
  Pick<
    VideoJobEntity,
    'progress' | 'stage' | 'attempt' | 'errorCode' | 'errorMessage' | 'startedAt' | 'finishedAt'
  >
>;

@Injectable()
export class JobsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private jobs(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(VideoJobEntity);
  }

  async insert(job: VideoJobEntity, manager?: EntityManager): Promise<void> {
    await this.jobs(manager).insert(job);
  }

  findById(id: string): Promise<VideoJobEntity | null> {
    return this.jobs().findOneBy({ id });
  }

  findOwned(id: string, userId: string, manager?: EntityManager): Promise<VideoJobEntity | null> {
    return this.jobs(manager).findOneBy({ id, userId });
  }

  listActive(userId: string): Promise<VideoJobEntity[]> {
    return this.jobs().find({ where: { userId, status: In(ACTIVE) }, order: { createdAt: 'ASC' } });
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

  /** Every job not finished, oldest first: the work a starting process takes up again. */
  listUnfinished(): Promise<VideoJobEntity[]> {
    return this.jobs().find({ where: { status: In(ACTIVE) }, order: { createdAt: 'ASC' } });
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
   * Moves a job to `to` if it is still in one of `from`, and its video with it, in one
   * transaction. False when the job had already moved on (a cancel raced a finish, say).
   */
  async transition(
    job: VideoJobEntity,
    from: JobStatus[],
    to: JobStatus,
    changes: JobChanges,
    videoChanges: Partial<VideoEntity> = {},
  ): Promise<boolean> {
    const now = new Date();
    return this.dataSource.transaction(async (manager) => {
      const result = await this.jobs(manager).update(
        { id: job.id, status: In(from) },
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
      return true;
    });
  }

  /** The video a job belongs to, for the events and views that show both. */
  findVideo(videoId: string): Promise<VideoEntity | null> {
    return this.dataSource.getRepository(VideoEntity).findOneBy({ id: videoId });
  }

  async saveUpstreamJobId(jobId: string, upstreamJobId: string): Promise<void> {
    await this.jobs().update({ id: jobId }, { upstreamJobId, updatedAt: new Date() });
  }

  async saveProgress(jobId: string, progress: number, stage: string): Promise<void> {
    await this.jobs().update(
      { id: jobId, status: JobStatus.Running },
      { progress, stage, updatedAt: new Date() },
    );
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Orientation, VideoStatus } from '@vidgen/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { VideoCursor } from './video-cursor';
import { VideoEntity } from './video.entity';

export interface VideoFilter {
  status?: VideoStatus[];
  orientation?: Orientation;
  favorite?: boolean;
  q?: string;
}

export type VideoChanges = Partial<
  Pick<
    VideoEntity,
    'title' | 'favorite' | 'status' | 'currentJobId' | 'errorCode' | 'errorMessage' | 'completedAt'
  >
>;

/** `!` escapes LIKE wildcards: a backslash would mean different things to SQLite and MySQL. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

@Injectable()
export class VideosRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private videos(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(VideoEntity);
  }

  async insert(video: VideoEntity, manager?: EntityManager): Promise<void> {
    await this.videos(manager).insert(video);
  }

  findOwned(id: string, userId: string, manager?: EntityManager): Promise<VideoEntity | null> {
    return this.videos(manager).findOneBy({ id, userId });
  }

  /** One page, newest first; `limit + 1` rows are read to know whether another page exists. */
  async list(
    userId: string,
    filter: VideoFilter,
    after: VideoCursor | null,
    limit: number,
  ): Promise<VideoEntity[]> {
    const query = this.videos().createQueryBuilder('v').where('v.user_id = :userId', { userId });
    if (filter.status?.length)
      query.andWhere('v.status IN (:...statuses)', { statuses: filter.status });
    if (filter.orientation)
      query.andWhere('v.orientation = :orientation', { orientation: filter.orientation });
    if (filter.favorite !== undefined)
      query.andWhere('v.favorite = :favorite', { favorite: filter.favorite });
    if (filter.q) {
      query.andWhere("(LOWER(v.prompt) LIKE :q ESCAPE '!' OR LOWER(v.title) LIKE :q ESCAPE '!')", {
        q: likePattern(filter.q),
      });
    }
    if (after) {
      query.andWhere(
        '(v.created_at < :createdAt OR (v.created_at = :createdAt AND v.id < :id))',
        after,
      );
    }
    return query
      .orderBy('v.created_at', 'DESC')
      .addOrderBy('v.id', 'DESC')
      .take(limit + 1)
      .getMany();
  }

  async update(id: string, changes: VideoChanges, manager?: EntityManager): Promise<void> {
    await this.videos(manager).update({ id }, { ...changes, updatedAt: new Date() });
  }

  async delete(id: string): Promise<void> {
    await this.videos().delete({ id });
  }

  async statsFor(userId: string): Promise<{ videoCount: number; storageBytes: number }> {
    const row = await this.videos()
      .createQueryBuilder('v')
      .select('COUNT(*)', 'count')
      .addSelect('COALESCE(SUM(v.size_bytes), 0)', 'bytes')
      .where('v.user_id = :userId', { userId })
      .getRawOne<{ count: string | number; bytes: string | number }>();
    return { videoCount: Number(row?.count ?? 0), storageBytes: Number(row?.bytes ?? 0) };
  }

  findIdempotencyKey(
    userId: string,
    key: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IdempotencyKeyEntity | null> {
    return manager.getRepository(IdempotencyKeyEntity).findOneBy({ userId, key });
  }

  async insertIdempotencyKey(entry: IdempotencyKeyEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(IdempotencyKeyEntity).insert(entry);
  }
}

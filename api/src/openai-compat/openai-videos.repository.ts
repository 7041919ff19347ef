import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { VideoJobEntity } from '../jobs/video-job.entity';
import { VideoEntity } from '../videos/video.entity';

export type ListOrder = 'asc' | 'desc';

/** Where a page starts: after this video, in the list's order. */
export interface PageStart {
  createdAt: Date;
  id: string;
}

/** The same videos as /api's, read in OpenAI's order and paging (by id, both directions). */
@Injectable()
export class OpenAiVideosRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `count` videos of the user after `start`, ordered by creation time then id. */
  page(
    userId: string,
    start: PageStart | null,
    count: number,
    order: ListOrder,
  ): Promise<VideoEntity[]> {
    const direction = order === 'asc' ? 'ASC' : 'DESC';
    const beyond = order === 'asc' ? '>' : '<';
    const query = this.dataSource
      .getRepository(VideoEntity)
      .createQueryBuilder('v')
      .where('v.user_id = :userId', { userId });
    if (start) {
      query.andWhere(
        `(v.created_at ${beyond} :createdAt OR (v.created_at = :createdAt AND v.id ${beyond} :id))`,
        start,
      );
    }
    return query
      .orderBy('v.created_at', direction)
      .addOrderBy('v.id', direction)
      .take(count)
      .getMany();
  }

  /** The latest job of each video, by video id. */
  async currentJobs(videos: VideoEntity[]): Promise<Map<string, VideoJobEntity>> {
    if (videos.length === 0) return new Map();
    const jobs = await this.dataSource
      .getRepository(VideoJobEntity)
      .findBy({ id: In(videos.map((video) => video.currentJobId)) });
    return new Map(jobs.map((job) => [job.videoId, job]));
  }
}

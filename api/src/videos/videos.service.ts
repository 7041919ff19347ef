import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobStatus, Orientation, VIDEO_PAGE_SIZE_DEFAULT, VideoStatus } from '@vidgen/contracts';
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import {
  IdempotencyKeyReusedError,
  InvalidStateError,
  NotFoundError,
  TooManyActiveJobsError,
  ValidationError,
} from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/unique-violation';
import { isActive } from '../jobs/job-state';
import { JobsRepository } from '../jobs/jobs.repository';
import { JobsService } from '../jobs/jobs.service';
import { VideoJobEntity } from '../jobs/video-job.entity';
import { VIDEO_PROVIDER, VideoProvider } from '../providers/video-provider';
import { VideoStorage } from '../storage/video-storage';
import {
  CreateVideoDto,
  ListVideosQuery,
  UpdateVideoDto,
  VideoAndJobView,
  VideoListView,
} from './dto/video.dto';
import { decodeCursor, encodeCursor } from './video-cursor';
import { VideoEntity } from './video.entity';
import { VideoView } from './video.presenter';
import { VideosRepository } from './videos.repository';

export interface StoredFile {
  key: string;
  size: number;
  video: VideoEntity;
}

@Injectable()
export class VideosService {
  private readonly logger = new Logger(VideosService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly videos: VideosRepository,
    private readonly jobRows: JobsRepository,
    private readonly jobs: JobsService,
    private readonly storage: VideoStorage,
    private readonly config: AppConfig,
    @Inject(VIDEO_PROVIDER) private readonly provider: VideoProvider,
  ) {}

  /**
   * Writes the video and its first job together, then queues the job. Never calls the provider.
   * `remixedFromVideoId` names the video a remix was made from (see remix).
   */
  async create(
    userId: string,
    input: CreateVideoDto,
    idempotencyKey?: string,
    remixedFromVideoId: string | null = null,
  ): Promise<VideoAndJobView> {
    const request = {
      prompt: input.prompt,
      orientation: input.orientation ?? Orientation.Portrait,
      durationSeconds: input.durationSeconds ?? this.provider.durationOptions[0],
    };
    if (!this.provider.acceptsDuration(request.durationSeconds)) {
      const options = this.provider.durationOptions.join(', ');
      throw ValidationError.field(
        'durationSeconds',
        `durationSeconds must be one of ${options} for ${this.provider.label}.`,
      );
    }
    const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    if (idempotencyKey) {
      const replay = await this.replay(userId, idempotencyKey, requestHash);
      if (replay) return replay;
    }
    const now = new Date();
    const video: VideoEntity = {
      id: randomUUID(),
      userId,
      ...request,
      requestedOrientation: request.orientation,
      requestedDurationSeconds: request.durationSeconds,
      title: titleFrom(request.prompt),
      status: VideoStatus.Queued,
      provider: this.provider.name,
      model: null,
      width: null,
      height: null,
      codec: null,
      sizeBytes: null,
      fileKey: null,
      thumbnailKey: null,
      sourceUrl: null,
      favorite: false,
      errorCode: null,
      errorMessage: null,
      remixedFromVideoId,
      currentJobId: randomUUID(),
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    };
    const job = newJob(video, 1, now);
    try {
      const replay = await this.insertUnlessReplayed(video, job, idempotencyKey, requestHash);
      if (replay) return replay;
    } catch (error) {
      // A request with the same key that the lock did not order before this one (SQLite has no
      // row locks): the loser answers with the winner's result.
      if (idempotencyKey && isUniqueViolation(error)) {
        const replay = await this.replay(userId, idempotencyKey, requestHash);
        if (replay) return replay;
      }
      throw error;
    }
    return this.startJob(job);
  }

  /**
   * A new video from an edited prompt with the settings another one asked for, which it names as
   * its source. The source's file is not read: providers make videos from text alone.
   */
  async remix(sourceId: string, userId: string, prompt: string): Promise<VideoAndJobView> {
    const source = await this.getOwned(sourceId, userId);
    const settings = {
      prompt,
      orientation: source.requestedOrientation,
      durationSeconds: source.requestedDurationSeconds,
    };
    return this.create(userId, settings, undefined, source.id);
  }

  /** A new attempt for a video whose current job failed or was cancelled. */
  async retry(jobId: string, userId: string): Promise<VideoAndJobView> {
    const previous = await this.jobs.getOwned(jobId, userId);
    const video = await this.getOwned(previous.videoId, userId);
    if (video.currentJobId !== previous.id) {
      throw new InvalidStateError(
        'This is not the latest attempt of its video; retry the latest one.',
      );
    }
    if (previous.status !== JobStatus.Failed && previous.status !== JobStatus.Cancelled) {
      throw new InvalidStateError('Only a failed or cancelled video can be tried again.');
    }
    const job = newJob(video, previous.attempt + 1, new Date());
    await this.dataSource.transaction(async (manager) => {
      await this.jobRows.lockUserSubmissions(userId, manager);
      await this.assertBelowCap(userId, manager);
      // Checked again under the lock: of simultaneous retries, only the first makes an attempt.
      const current = await this.videos.findOwned(video.id, userId, manager);
      if (current?.currentJobId !== previous.id) {
        throw new InvalidStateError('This video is already being tried again.');
      }
      await this.jobRows.insert(job, manager);
      await this.videos.update(
        video.id,
        {
          currentJobId: job.id,
          status: VideoStatus.Queued,
          errorCode: null,
          errorMessage: null,
          completedAt: null,
        },
        manager,
      );
    });
    return this.startJob(job);
  }

  async list(userId: string, query: ListVideosQuery): Promise<VideoListView> {
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    if (query.cursor && !after) {
      throw ValidationError.field(
        'cursor',
        'cursor is not valid; use the nextCursor of a previous page.',
      );
    }
    const limit = query.limit ?? VIDEO_PAGE_SIZE_DEFAULT;
    const rows = await this.videos.list(userId, query, after, limit);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((video) => VideoView.from(video)),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  async getOwned(id: string, userId: string): Promise<VideoEntity> {
    const video = await this.videos.findOwned(id, userId);
    if (!video) throw new NotFoundError('There is no video with this id.');
    return video;
  }

  async get(id: string, userId: string): Promise<VideoView> {
    return VideoView.from(await this.getOwned(id, userId));
  }

  async update(id: string, userId: string, changes: UpdateVideoDto): Promise<VideoView> {
    await this.getOwned(id, userId);
    await this.videos.update(id, changes);
    return VideoView.from(await this.getOwned(id, userId));
  }

  /** Stops its job if one runs, then removes the video, its jobs and its files. */
  async delete(id: string, userId: string): Promise<void> {
    const video = await this.getOwned(id, userId);
    await this.cancelIfActive(video.currentJobId, userId);
    await this.videos.delete(id);
    await this.deleteFiles(video);
  }

  /** Stops every job of the user; their files go with the account (see deleteFilesOf). */
  async cancelAllJobs(userId: string): Promise<void> {
    for (const job of await this.jobRows.listActive(userId))
      await this.cancelIfActive(job.id, userId);
  }

  deleteFilesOf(userId: string): Promise<void> {
    return this.storage.deleteAll(userId);
  }

  statsFor(userId: string) {
    return this.videos.statsFor(userId);
  }

  /** The stored video file, or its thumbnail, of a video of the user. */
  async file(id: string, userId: string, kind: 'video' | 'thumbnail'): Promise<StoredFile> {
    const video = await this.getOwned(id, userId);
    const key = kind === 'video' ? video.fileKey : video.thumbnailKey;
    if (!key || (kind === 'video' && video.status !== VideoStatus.Ready)) {
      throw new NotFoundError(
        kind === 'video' ? 'This video is not ready yet.' : 'This video has no thumbnail yet.',
      );
    }
    // Deleted between the row's read and the file's (a player still asking for ranges).
    const size = await this.storage.size(key).catch((error: unknown) => {
      if ((error as { code?: string } | null)?.code === 'ENOENT') {
        throw new NotFoundError('There is no video with this id.');
      }
      throw error;
    });
    return { key, size, video };
  }

  read(key: string, range?: { start: number; end: number }): Readable {
    return this.storage.read(key, range);
  }

  private async replay(
    userId: string,
    key: string,
    requestHash: string,
    manager?: EntityManager,
  ): Promise<VideoAndJobView | null> {
    const entry = await this.videos.findIdempotencyKey(userId, key, manager);
    if (!entry) return null;
    if (entry.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
    const [video, job] = await Promise.all([
      this.videos.findOwned(entry.videoId, userId, manager),
      this.jobRows.findOwned(entry.jobId, userId, manager),
    ]);
    if (!video || !job) return null;
    return { video: VideoView.from(video), job: await this.jobs.present(job) };
  }

  /**
   * Writes the video, its first job and the key together under the user's submission lock, or
   * returns the answer to an earlier request with the key.
   */
  private insertUnlessReplayed(
    video: VideoEntity,
    job: VideoJobEntity,
    idempotencyKey: string | undefined,
    requestHash: string,
  ): Promise<VideoAndJobView | null> {
    const { userId } = video;
    return this.dataSource.transaction(async (manager) => {
      await this.jobRows.lockUserSubmissions(userId, manager);
      // Again under the lock: a request with this key may have committed since the first look,
      // and its retry must get its answer, not a 429 from the cap that request filled.
      if (idempotencyKey) {
        const earlier = await this.replay(userId, idempotencyKey, requestHash, manager);
        if (earlier) return earlier;
      }
      await this.assertBelowCap(userId, manager);
      await this.videos.insert(video, manager);
      await this.jobRows.insert(job, manager);
      if (idempotencyKey) {
        await this.videos.insertIdempotencyKey(
          {
            userId,
            key: idempotencyKey,
            requestHash,
            videoId: video.id,
            jobId: job.id,
            createdAt: video.createdAt,
          },
          manager,
        );
      }
      return null;
    });
  }

  /** Call under the user's submission lock (JobsRepository.lockUserSubmissions). */
  private async assertBelowCap(userId: string, manager: EntityManager): Promise<void> {
    if ((await this.jobRows.countActive(userId, manager)) >= this.config.maxActiveJobsPerUser) {
      throw new TooManyActiveJobsError(this.config.maxActiveJobsPerUser);
    }
  }

  private async startJob(job: VideoJobEntity): Promise<VideoAndJobView> {
    const created = await this.jobs.announce(job);
    await this.jobs.enqueue(job.id);
    return created;
  }

  private async cancelIfActive(jobId: string, userId: string): Promise<void> {
    const job = await this.jobRows.findOwned(jobId, userId);
    if (job && isActive(job.status)) {
      await this.jobs.cancel(jobId, userId).catch((error) => {
        if (!(error instanceof InvalidStateError)) throw error;
      });
    }
  }

  /**
   * The video's folder, which holds the files of every attempt, then what videos stored before
   * there were folders have: the keys on the row, and the names an interrupted attempt used.
   */
  private async deleteFiles(video: VideoEntity): Promise<void> {
    const folder = `${video.userId}/${video.id}`;
    const keys = new Set([video.fileKey, video.thumbnailKey, `${folder}.mp4`, `${folder}.jpg`]);
    await this.removeQuietly(folder, () => this.storage.deleteAll(folder));
    for (const key of keys) if (key) await this.removeQuietly(key, () => this.storage.delete(key));
  }

  /** A file that cannot be removed is logged: the video is gone either way. */
  private async removeQuietly(key: string, remove: () => Promise<void>): Promise<void> {
    await remove().catch((error) =>
      this.logger.error({ msg: 'Could not delete a video file', key, err: String(error) }),
    );
  }
}

function newJob(video: VideoEntity, attempt: number, now: Date): VideoJobEntity {
  return {
    id: attempt === 1 ? video.currentJobId : randomUUID(),
    videoId: video.id,
    userId: video.userId,
    status: JobStatus.Queued,
    progress: 0,
    stage: 'Waiting in the queue',
    attempt,
    upstreamJobId: null,
    workerId: null,
    leaseExpiresAt: null,
    errorCode: null,
    errorMessage: null,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
  };
}

/** The prompt's first words, cut at a word boundary: people rename videos rarely. */
export function titleFrom(prompt: string, max = 60): string {
  const oneLine = prompt.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= max) return oneLine;
  // Never half of a surrogate pair (an emoji): a lone half breaks encoders such as the download name.
  const cut = oneLine.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '');
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

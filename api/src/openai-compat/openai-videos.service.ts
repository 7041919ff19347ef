import { Inject, Injectable } from '@nestjs/common';
import { JobStatus } from '@vidgen/contracts';
import { Readable } from 'node:stream';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { JobView } from '../jobs/job.presenter';
import { JobsService } from '../jobs/jobs.service';
import { VideoJobEntity } from '../jobs/video-job.entity';
import { VIDEO_PROVIDER, VideoProvider } from '../providers/video-provider';
import { VideoEntity } from '../videos/video.entity';
import { StoredFile, VideosService } from '../videos/videos.service';
import { OpenAiModel } from './dto/openai-model.dto';
import {
  CreateOpenAiVideoDto,
  DEFAULT_OPENAI_SECONDS,
  DEFAULT_OPENAI_SIZE,
  ListOpenAiVideosQuery,
  OPENAI_PAGE_SIZE_DEFAULT,
  OpenAiVariant,
  OpenAiVideoDeleted,
  OpenAiVideoList,
} from './dto/openai-video.dto';
import {
  offeredModels,
  orientationOfOpenAiSize,
  providerDurationFor,
  SORA_MODEL,
} from './openai-mapping';
import { OpenAiVideo, openAiVideoSourceOf, presentOpenAiVideo } from './openai-video';
import { OpenAiVideosRepository } from './openai-videos.repository';

/** When the models were first offered, as OpenAI's model objects tell (`created`). */
const MODELS_CREATED_AT = 1764777600;
const MODELS_OWNER = 'vidgen';

/** A file of a video with its media type, for the content route. */
export interface OpenAiContent {
  file: StoredFile;
  contentType: string;
}

/**
 * OpenAI's Videos API over the platform's videos: its requests become the platform's (sizes to
 * orientations, lengths to the provider's), its answers are the same videos presented its way.
 * Nothing is stored apart, so /api and the web app see every video made here and the other way
 * round.
 */
@Injectable()
export class OpenAiVideosService {
  constructor(
    private readonly videos: VideosService,
    private readonly jobs: JobsService,
    private readonly repository: OpenAiVideosRepository,
    @Inject(VIDEO_PROVIDER) private readonly provider: VideoProvider,
  ) {}

  models(): OpenAiModel[] {
    return offeredModels(this.provider).map((id) => ({
      id,
      object: 'model',
      created: MODELS_CREATED_AT,
      owned_by: MODELS_OWNER,
    }));
  }

  model(id: string): OpenAiModel {
    const model = this.models().find((offered) => offered.id === id);
    if (!model) throw new NotFoundError('There is no such model; GET /v1/models lists them.');
    return model;
  }

  async create(userId: string, input: CreateOpenAiVideoDto): Promise<OpenAiVideo> {
    this.assertOffered(input.model ?? SORA_MODEL);
    const created = await this.videos.create(userId, {
      prompt: input.prompt,
      orientation: orientationOfOpenAiSize(input.size ?? DEFAULT_OPENAI_SIZE),
      durationSeconds: providerDurationFor(input.seconds ?? DEFAULT_OPENAI_SECONDS, this.provider),
    });
    return presentOpenAiVideo(created.video, created.job);
  }

  async remix(sourceId: string, userId: string, prompt: string): Promise<OpenAiVideo> {
    const created = await this.videos.remix(sourceId, userId, prompt);
    return presentOpenAiVideo({ ...created.video, remixedFromVideoId: sourceId }, created.job);
  }

  async get(id: string, userId: string): Promise<OpenAiVideo> {
    const video = await this.videos.getOwned(id, userId);
    const jobs = await this.repository.currentJobs([video]);
    return this.present(video, jobs.get(video.id));
  }

  async list(userId: string, query: ListOpenAiVideosQuery): Promise<OpenAiVideoList> {
    const start = query.after ? await this.pageStart(query.after, userId) : null;
    const limit = query.limit ?? OPENAI_PAGE_SIZE_DEFAULT;
    const rows = await this.repository.page(userId, start, limit + 1, query.order ?? 'desc');
    const page = rows.slice(0, limit);
    const jobs = await this.repository.currentJobs(page);
    const data = await Promise.all(page.map((video) => this.present(video, jobs.get(video.id))));
    return {
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data[data.length - 1]?.id ?? null,
      has_more: rows.length > limit,
    };
  }

  async delete(id: string, userId: string): Promise<OpenAiVideoDeleted> {
    await this.videos.delete(id, userId);
    return { id, object: 'video.deleted', deleted: true };
  }

  /** The MP4, or its JPEG thumbnail; OpenAI's sprite sheets are not made here. */
  async content(id: string, userId: string, variant: OpenAiVariant): Promise<OpenAiContent> {
    if (variant === 'spritesheet') {
      throw ValidationError.field(
        'variant',
        'variant spritesheet is not offered: this platform makes a video and a thumbnail only.',
      );
    }
    return variant === 'thumbnail'
      ? { file: await this.videos.file(id, userId, 'thumbnail'), contentType: 'image/jpeg' }
      : { file: await this.videos.file(id, userId, 'video'), contentType: 'video/mp4' };
  }

  read(key: string, range?: { start: number; end: number }): Readable {
    return this.videos.read(key, range);
  }

  /** The video a page continues after: a cursor names one of the caller's videos. */
  private async pageStart(after: string, userId: string): Promise<VideoEntity> {
    try {
      return await this.videos.getOwned(after, userId);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      throw ValidationError.field(
        'after',
        'after names none of your videos: send the last_id of a previous page.',
      );
    }
  }

  private assertOffered(model: string): void {
    const offered = offeredModels(this.provider);
    if (!offered.includes(model)) {
      throw ValidationError.field(
        'model',
        `model must be one of ${offered.join(', ')} (GET /v1/models).`,
      );
    }
  }

  /** A running job's progress is read live: its row is saved at most once a second. */
  private async present(video: VideoEntity, job?: VideoJobEntity): Promise<OpenAiVideo> {
    const source = openAiVideoSourceOf(video);
    if (!job) return presentOpenAiVideo(source);
    const view =
      job.status === JobStatus.Running ? await this.jobs.present(job) : JobView.from(job);
    return presentOpenAiVideo(source, view);
  }
}

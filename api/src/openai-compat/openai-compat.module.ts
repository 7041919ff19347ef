import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { ProvidersModule } from '../providers/providers.module';
import { VideosModule } from '../videos/videos.module';
import { OpenAiFormBodies } from './form-bodies';
import { OpenAiModelsController } from './openai-models.controller';
import { OpenAiVideosController } from './openai-videos.controller';
import { OpenAiVideosRepository } from './openai-videos.repository';
import { OpenAiVideosService } from './openai-videos.service';

/** OpenAI's Videos API under /v1, over the platform's own videos: served by API processes. */
@Module({
  imports: [VideosModule, JobsModule, ProvidersModule],
  controllers: [OpenAiVideosController, OpenAiModelsController],
  providers: [OpenAiVideosService, OpenAiVideosRepository, OpenAiFormBodies],
})
export class OpenAiCompatModule {}

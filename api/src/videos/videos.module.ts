import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { ProvidersModule } from '../providers/providers.module';
import { VideoJobsController } from './video-jobs.controller';
import { VideosController } from './videos.controller';
import { VideosRepository } from './videos.repository';
import { VideosService } from './videos.service';

@Module({
  imports: [JobsModule, ProvidersModule],
  controllers: [VideosController, VideoJobsController],
  providers: [VideosRepository, VideosService],
  exports: [VideosService],
})
export class VideosModule {}

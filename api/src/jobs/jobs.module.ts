import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions.module';
import { MediaModule } from '../media/media.module';
import { ProvidersModule } from '../providers/providers.module';
import { JobCancellations } from './job-cancellations';
import { InProcessJobEvents, JobEvents } from './job-events';
import { InProcessJobQueue, JobQueue } from './job-queue';
import { JobRunner } from './job-runner';
import { JobStreams } from './job-streams';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

@Module({
  imports: [ProvidersModule, MediaModule, SessionsModule],
  controllers: [JobsController],
  providers: [
    JobsRepository,
    JobsService,
    JobStreams,
    JobCancellations,
    JobRunner,
    { provide: JobQueue, useClass: InProcessJobQueue },
    { provide: JobEvents, useClass: InProcessJobEvents },
  ],
  exports: [JobsService, JobsRepository, JobQueue],
})
export class JobsModule {}

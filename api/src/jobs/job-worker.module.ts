import { Module } from '@nestjs/common';
import { MediaModule } from '../media/media.module';
import { ProvidersModule } from '../providers/providers.module';
import { JobRunner } from './job-runner';
import { JobWorker } from './job-worker';
import { JobsModule } from './jobs.module';

/** Running jobs: present in worker processes (APP_ROLE=worker or all) only. */
@Module({
  imports: [JobsModule, ProvidersModule, MediaModule],
  providers: [JobRunner, JobWorker],
})
export class JobWorkerModule {}

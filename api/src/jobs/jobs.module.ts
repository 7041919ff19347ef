import { Abstract, FactoryProvider, Module, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { InProcessJobEvents } from './events/in-process-job-events';
import { JobEvents } from './events/job-events';
import { RedisJobEvents } from './events/redis-job-events';
import { JobCancellations } from './job-cancellations';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { InMemoryLiveProgress } from './progress/in-memory-live-progress';
import { LiveProgress } from './progress/live-progress';
import { RedisLiveProgress } from './progress/redis-live-progress';
import { BullmqJobQueue } from './queue/bullmq-job-queue';
import { InProcessJobQueue } from './queue/in-process-job-queue';
import { JobQueue } from './queue/job-queue';

/** The embedded adapter of a port, or its Redis one when REDIS_URL is set; only that one is built. */
function adapter<T>(port: Abstract<T>, embedded: Type<T>, redis: Type<T>): FactoryProvider<T> {
  return {
    provide: port,
    inject: [AppConfig, ModuleRef],
    useFactory: (config: AppConfig, moduleRef: ModuleRef) =>
      moduleRef.create(config.redis ? redis : embedded),
  };
}

/**
 * Jobs as every role sees them: their rows, their one transition function, and the ports that
 * carry them between processes (queue, events, live progress).
 */
@Module({
  providers: [
    JobsRepository,
    JobsService,
    JobCancellations,
    adapter(JobQueue, InProcessJobQueue, BullmqJobQueue),
    adapter(JobEvents, InProcessJobEvents, RedisJobEvents),
    adapter(LiveProgress, InMemoryLiveProgress, RedisLiveProgress),
  ],
  exports: [JobsService, JobsRepository, JobCancellations, JobQueue, JobEvents],
})
export class JobsModule {}

import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions.module';
import { JobStreams } from './job-streams';
import { JobsController } from './jobs.controller';
import { JobsModule } from './jobs.module';
import { JobEventRouter } from './streams/job-event-router';
import { StreamHeartbeat } from './streams/stream-heartbeat';
import { StreamLimits } from './streams/stream-limits';

/** The job routes and their live streams: served by API processes. */
@Module({
  imports: [JobsModule, SessionsModule],
  controllers: [JobsController],
  providers: [JobStreams, JobEventRouter, StreamHeartbeat, StreamLimits],
})
export class JobsHttpModule {}

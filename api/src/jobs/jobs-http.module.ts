import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions.module';
import { JobStreams } from './job-streams';
import { JobsController } from './jobs.controller';
import { JobsModule } from './jobs.module';

/** The job routes and their live streams: served by API processes. */
@Module({
  imports: [JobsModule, SessionsModule],
  controllers: [JobsController],
  providers: [JobStreams],
})
export class JobsHttpModule {}

import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { JobsModule } from '../jobs/jobs.module';
import { ProvidersModule } from '../providers/providers.module';
import { VideosModule } from '../videos/videos.module';
import { JobFollower } from './job-follower';
import { McpController } from './mcp.controller';
import { McpServers } from './mcp-servers';

/** The MCP server at /mcp: the video tools for agents, served by API processes. */
@Module({
  imports: [VideosModule, JobsModule, ProvidersModule, ApiKeysModule],
  controllers: [McpController],
  providers: [McpServers, JobFollower],
})
export class McpModule {}

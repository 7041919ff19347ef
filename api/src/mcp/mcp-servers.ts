import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolResult,
  ProgressToken,
  ServerNotification,
  ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { VideoStatus } from '@vidgen/contracts';
import { isUUID } from 'class-validator';
import { ApiKeyPrincipal } from '../auth/authenticated-user';
import { InvalidStateError, NotFoundError } from '../common/errors/domain-errors';
import { JobView } from '../jobs/job.presenter';
import { JobsService } from '../jobs/jobs.service';
import { VIDEO_PROVIDER, VideoProvider } from '../providers/video-provider';
import { VideosService } from '../videos/videos.service';
import { JobFollower } from './job-follower';
import { describeVideo, McpVideo, presentVideo } from './mcp-video';
import { createVideoBody, GenerateVideoArguments, inToolTerms } from './tool-arguments';
import { toolFailure, toolResult } from './tool-results';
import { SERVER_INFO, SERVER_INSTRUCTIONS, VideoTools, videoTools } from './video-tools';

type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** What a server is made for: one HTTP request of one caller (see McpController). */
export interface McpCall {
  caller: ApiKeyPrincipal;
  /** `https://host` as the client reached it, for absolute file URLs. */
  origin: string;
  requestId: string;
}

/**
 * Builds the MCP server of a request: the video tools, acting as the caller. Tools reuse the
 * services of the REST API, so their rules (validation, ownership, the cap on active jobs) and
 * their answers are the same.
 */
@Injectable()
export class McpServers {
  private readonly logger = new Logger('Mcp');
  private readonly tools: VideoTools;

  constructor(
    private readonly videos: VideosService,
    private readonly jobs: JobsService,
    private readonly follower: JobFollower,
    @Inject(VIDEO_PROVIDER) provider: VideoProvider,
  ) {
    this.tools = videoTools(provider);
  }

  create(call: McpCall): McpServer {
    const server = new McpServer(SERVER_INFO, { instructions: SERVER_INSTRUCTIONS });
    // A tool that fails answers in words (isError) instead of breaking the protocol exchange.
    const tool =
      <A>(work: (args: A, extra: ToolExtra) => Promise<CallToolResult>) =>
      async (args: A, extra: ToolExtra) => {
        try {
          return await work(args, extra);
        } catch (error) {
          return toolFailure(error, this.logger, call.requestId);
        }
      };

    server.registerTool(
      'generate_video',
      this.tools.generate_video,
      tool((args, extra) => this.generate(call, args, extra)),
    );
    server.registerTool(
      'get_video',
      this.tools.get_video,
      tool(({ id }) => this.get(call, id)),
    );
    server.registerTool(
      'list_videos',
      this.tools.list_videos,
      tool((args) => this.list(call, args)),
    );
    server.registerTool(
      'cancel_video',
      this.tools.cancel_video,
      tool(({ id }) => this.cancel(call, id)),
    );
    return server;
  }

  private async generate(
    call: McpCall,
    args: GenerateVideoArguments,
    extra: ToolExtra,
  ): Promise<CallToolResult> {
    const userId = call.caller.user.id;
    const created = await createVideoBody(args)
      .then((body) => this.videos.create(userId, body))
      .catch((error: unknown) => {
        throw inToolTerms(error);
      });
    const progressToken = extra._meta?.progressToken;
    if (progressToken === undefined) {
      return videoResult(presentVideo(created.video, created.job, call.origin));
    }
    const last = await this.follower.follow(
      created.job.id,
      call.caller,
      (job) => reportProgress(extra, progressToken, job),
      extra.signal,
    );
    const video = await this.videos.get(created.video.id, userId);
    return videoResult(presentVideo(video, last, call.origin));
  }

  private async get(call: McpCall, id: string): Promise<CallToolResult> {
    const userId = call.caller.user.id;
    const video = await this.videos.get(asVideoId(id), userId);
    const job = await this.jobs.get(video.jobId, userId);
    return videoResult(presentVideo(video, job, call.origin));
  }

  private async list(
    call: McpCall,
    { limit, cursor }: { limit?: number; cursor?: string },
  ): Promise<CallToolResult> {
    const userId = call.caller.user.id;
    // The active jobs at once, for their progress, rather than one read per video.
    const [page, active] = await Promise.all([
      this.videos.list(userId, { limit, cursor }),
      this.jobs.list(userId, true),
    ]);
    const jobs = new Map(active.map((job) => [job.id, job]));
    const videos = page.items.map((video) =>
      presentVideo(video, jobs.get(video.jobId), call.origin),
    );
    const summary =
      videos.length === 0
        ? 'No videos.'
        : `${videos.length} video${videos.length === 1 ? '' : 's'}, newest first.` +
          (page.nextCursor ? ' More follow: call list_videos with the nextCursor as cursor.' : '');
    return toolResult(summary, { videos, nextCursor: page.nextCursor });
  }

  private async cancel(call: McpCall, id: string): Promise<CallToolResult> {
    const userId = call.caller.user.id;
    const video = await this.videos.get(asVideoId(id), userId);
    if (video.status !== VideoStatus.Queued && video.status !== VideoStatus.Running) {
      throw new InvalidStateError(
        `Video ${video.id} is ${video.status}: only a queued or running video can be cancelled.`,
      );
    }
    const job = await this.jobs.cancel(video.jobId, userId);
    return videoResult(presentVideo(await this.videos.get(video.id, userId), job, call.origin));
  }
}

function videoResult(video: McpVideo): CallToolResult {
  return toolResult(describeVideo(video), video);
}

/** An id that is not a UUID names nothing of the caller's: the same answer as a foreign id. */
function asVideoId(id: string): string {
  if (!isUUID(id)) throw new NotFoundError('There is no video with this id.');
  return id;
}

async function reportProgress(
  extra: ToolExtra,
  progressToken: ProgressToken,
  job: JobView,
): Promise<void> {
  // A client that went away is noticed through the request's signal; a notification that could
  // not be sent is no reason to stop following.
  await extra
    .sendNotification({
      method: 'notifications/progress',
      params: { progressToken, progress: job.progress, total: 100, message: job.stage },
    })
    .catch(() => undefined);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayContext } from './gateway-context';
import { ParsedRequest } from './http-util';
import { VideoKit, VideosDialect } from './video-dialect';
import { GoSora2ApiVideos } from './videos-go-sora2api';
import { Grok2ApiVideos } from './videos-grok2api';
import { ModifiedSora2ApiVideos } from './videos-modified-sora2api';
import { NewApiVideos } from './videos-new-api';
import { OpenAiVideos } from './videos-openai';

/** The `/v1/videos` dialects the fake speaks, one gateway each (section C of the protocols page). */
export const VIDEOS_DIALECTS = {
  openai: OpenAiVideos,
  'new-api': NewApiVideos,
  'go-sora2api': GoSora2ApiVideos,
  grok2api: Grok2ApiVideos,
  'modified-sora2api': ModifiedSora2ApiVideos,
} satisfies Record<string, new (kit: VideoKit) => VideosDialect>;
export type VideosDialectName = keyof typeof VIDEOS_DIALECTS;

export function isVideosDialect(name: string): name is VideosDialectName {
  return Object.prototype.hasOwnProperty.call(VIDEOS_DIALECTS, name);
}

/** `/v1/videos...` in the dialect the gateway was started with; jobs in memory. */
export class VideosApi {
  private readonly dialect: VideosDialect;

  constructor(ctx: GatewayContext) {
    this.dialect = new VIDEOS_DIALECTS[ctx.videosDialect](new VideoKit(ctx));
  }

  /** Prompt markers `POST /v1/videos` understands. */
  get scenarios(): readonly string[] {
    return this.dialect.scenarios;
  }

  /** False when the path is not one the dialect serves. */
  handle(req: IncomingMessage, res: ServerResponse, parsed: ParsedRequest): boolean {
    return this.dialect.handle(req, res, parsed);
  }
}

import { Body, Controller, Delete, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OPENAI_PREFIX } from '@vidgen/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { UuidParam } from '../common/http/uuid-param';
import { ApiRangeContent } from '../videos/file-responses';
import { sendFile } from '../videos/send-file';
import {
  CreateOpenAiVideoDto,
  ListOpenAiVideosQuery,
  OpenAiContentQuery,
  OpenAiVideoDeleted,
  OpenAiVideoList,
  RemixOpenAiVideoDto,
} from './dto/openai-video.dto';
import { OPENAI_TAG, OpenAiAuthenticated, OpenAiBodyErrors, OpenAiErrors } from './openai-swagger';
import { OpenAiVideo } from './openai-video';
import { OpenAiVideosService } from './openai-videos.service';

const VideoId = () => UuidParam('id', 'There is no video with this id.');

@ApiTags(OPENAI_TAG)
@Controller(`${OPENAI_PREFIX}/videos`)
@OpenAiAuthenticated()
export class OpenAiVideosController {
  constructor(private readonly videos: OpenAiVideosService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start generating a video (OpenAI: videos.create). Answers at once, queued.',
    description:
      'JSON or multipart/form-data (the `openai` package sends a form). The video also shows in GET /api/videos and in the web app.',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: CreateOpenAiVideoDto })
  @ApiOkResponse({ type: OpenAiVideo })
  @OpenAiBodyErrors()
  @OpenAiErrors(429)
  create(
    @CurrentUser() principal: AuthenticatedUser,
    @Body() body: CreateOpenAiVideoDto,
  ): Promise<OpenAiVideo> {
    return this.videos.create(principal.user.id, body);
  }

  @Get()
  @ApiOperation({ summary: "The caller's videos, newest first by default (OpenAI: videos.list)." })
  @ApiOkResponse({ type: OpenAiVideoList })
  @OpenAiErrors(400)
  list(
    @CurrentUser() principal: AuthenticatedUser,
    @Query() query: ListOpenAiVideosQuery,
  ): Promise<OpenAiVideoList> {
    return this.videos.list(principal.user.id, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One video, with its progress (OpenAI: videos.retrieve).' })
  @ApiOkResponse({ type: OpenAiVideo })
  @OpenAiErrors(404)
  get(@CurrentUser() principal: AuthenticatedUser, @VideoId() id: string): Promise<OpenAiVideo> {
    return this.videos.get(id, principal.user.id);
  }

  @Delete(':id')
  @ApiOperation({
    summary:
      'Delete the video and its files; a running generation is stopped (OpenAI: videos.delete).',
  })
  @ApiOkResponse({ type: OpenAiVideoDeleted })
  @OpenAiBodyErrors()
  @OpenAiErrors(404)
  delete(
    @CurrentUser() principal: AuthenticatedUser,
    @VideoId() id: string,
  ): Promise<OpenAiVideoDeleted> {
    return this.videos.delete(id, principal.user.id);
  }

  @Get(':id/content')
  @ApiOperation({
    summary: 'The MP4, or its thumbnail (OpenAI: videos.downloadContent). Supports Range (206).',
  })
  @ApiRangeContent('video/mp4', 'image/jpeg')
  @OpenAiErrors(400, 404, 416)
  async content(
    @CurrentUser() principal: AuthenticatedUser,
    @VideoId() id: string,
    @Query() query: OpenAiContentQuery,
    @Headers('range') range: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { file, contentType } = await this.videos.content(
      id,
      principal.user.id,
      query.variant ?? 'video',
    );
    await sendFile(reply, file, contentType, range, undefined, (r) =>
      this.videos.read(file.key, r),
    );
  }

  @Post(':id/remix')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'A new video from an edited prompt with the same size and length (OpenAI: videos.remix); it names its source in `remixed_from_video_id`.',
  })
  @ApiOkResponse({ type: OpenAiVideo })
  @OpenAiBodyErrors()
  @OpenAiErrors(404, 429)
  remix(
    @CurrentUser() principal: AuthenticatedUser,
    @VideoId() id: string,
    @Body() body: RemixOpenAiVideoDto,
  ): Promise<OpenAiVideo> {
    return this.videos.remix(id, principal.user.id, body.prompt);
  }
}

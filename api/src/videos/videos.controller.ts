import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { UuidParam } from '../common/http/uuid-param';
import { ApiErrors } from '../common/swagger/api-error.view';
import {
  ContentQuery,
  CreateVideoDto,
  ListVideosQuery,
  UpdateVideoDto,
  VideoAndJobView,
  VideoListView,
  VideoResponseView,
} from './dto/video.dto';
import { IdempotencyKey } from './idempotency-key.header';
import { ApiRangeContent, BINARY } from './file-responses';
import { sendFile } from './send-file';
import { VideosService } from './videos.service';

const VideoId = () => UuidParam('id', 'There is no video with this id.');

@ApiTags('videos')
@Controller('videos')
@Authenticated()
export class VideosController {
  constructor(private readonly videos: VideosService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start generating a video. Answers at once; follow the job for progress.',
  })
  @ApiResponse({ status: 202, type: VideoAndJobView })
  @ApiErrors(400, 409, 413, 429)
  create(
    @CurrentUser() principal: AuthenticatedUser,
    @Body() body: CreateVideoDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<VideoAndJobView> {
    return this.videos.create(principal.user.id, body, idempotencyKey);
  }

  @Get()
  @ApiOperation({
    summary: "The caller's videos, newest first, with filters, search and cursor paging.",
  })
  @ApiOkResponse({ type: VideoListView })
  @ApiErrors(400)
  list(
    @CurrentUser() principal: AuthenticatedUser,
    @Query() query: ListVideosQuery,
  ): Promise<VideoListView> {
    return this.videos.list(principal.user.id, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One video.' })
  @ApiOkResponse({ type: VideoResponseView })
  @ApiErrors(404)
  async get(
    @CurrentUser() principal: AuthenticatedUser,
    @VideoId() id: string,
  ): Promise<VideoResponseView> {
    return { video: await this.videos.get(id, principal.user.id) };
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, or mark as favorite.' })
  @ApiOkResponse({ type: VideoResponseView })
  @ApiErrors(400, 404)
  async update(
    @CurrentUser() principal: AuthenticatedUser,
    @VideoId() id: string,
    @Body() body: UpdateVideoDto,
  ): Promise<VideoResponseView> {
    return { video: await this.videos.update(id, principal.user.id, body) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the video and its files; a running generation is stopped.' })
  @ApiResponse({ status: 204 })
  @ApiErrors(404)
  delete(@CurrentUser() principal: AuthenticatedUser, @VideoId() id: string): Promise<void> {
    return this.videos.delete(id, principal.user.id);
  }

  @Get(':id/content')
  @ApiOperation({
    summary: 'The MP4. Supports Range requests (206); `?download=1` for a download.',
  })
  @ApiRangeContent('video/mp4')
  @ApiErrors(400, 404, 416)
  async content(
    @CurrentUser() principal: AuthenticatedUser,
    @VideoId() id: string,
    @Query() query: ContentQuery,
    @Headers('range') range: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.videos.file(id, principal.user.id, 'video');
    const download = query.download === '1' || query.download === 'true';
    await sendFile(
      reply,
      file,
      'video/mp4',
      range,
      download ? `${file.video.title}.mp4` : undefined,
      (r) => this.videos.read(file.key, r),
    );
  }

  @Get(':id/thumbnail')
  @ApiOperation({ summary: 'A JPEG still of the video.' })
  @ApiProduces('image/jpeg')
  @ApiResponse({ status: 200, description: 'The image.', schema: BINARY })
  @ApiErrors(404)
  async thumbnail(
    @CurrentUser() principal: AuthenticatedUser,
    @VideoId() id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.videos.file(id, principal.user.id, 'thumbnail');
    await sendFile(reply, file, 'image/jpeg', undefined, undefined, (r) =>
      this.videos.read(file.key, r),
    );
  }
}

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
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { ValidationError } from '../common/errors/domain-errors';
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
import { sendFile } from './send-file';
import { VideosService } from './videos.service';

const VideoId = () => UuidParam('id', 'There is no video with this id.');

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

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
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Replays the first answer for the same key and body.',
  })
  @ApiResponse({ status: 202, type: VideoAndJobView })
  @ApiErrors(400, 409, 413, 429)
  create(
    @CurrentUser() principal: AuthenticatedUser,
    @Body() body: CreateVideoDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<VideoAndJobView> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw ValidationError.field(
        'Idempotency-Key',
        'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      );
    }
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
  @ApiProduces('video/mp4')
  @ApiResponse({ status: 200, description: 'The whole file.' })
  @ApiResponse({ status: 206, description: 'The requested byte range.' })
  @ApiErrors(404, 416)
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

import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { UuidParam } from '../common/http/uuid-param';
import { ApiErrors } from '../common/swagger/api-error.view';
import { VideoAndJobView } from './dto/video.dto';
import { VideosService } from './videos.service';

/** The job route that creates a new attempt of a video; it lives with Videos, which owns creation. */
@ApiTags('jobs')
@Controller('jobs')
@Authenticated()
export class VideoJobsController {
  constructor(private readonly videos: VideosService) {}

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Generate a failed or cancelled video again, as a new attempt.' })
  @ApiResponse({ status: 202, type: VideoAndJobView })
  @ApiErrors(404, 409, 429)
  retry(
    @CurrentUser() principal: AuthenticatedUser,
    @UuidParam('id', 'There is no job with this id.') id: string,
  ) {
    return this.videos.retry(id, principal.user.id);
  }
}

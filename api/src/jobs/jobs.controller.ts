import {
  applyDecorators,
  Controller,
  Get,
  Headers,
  HttpCode,
  MessageEvent,
  Post,
  Query,
  Sse,
  SseSignal,
} from '@nestjs/common';
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { UuidParam } from '../common/http/uuid-param';
import { ApiErrors, errorResponse } from '../common/swagger/api-error.view';
import { JobListView, JobResponseView, ListJobsQuery } from './dto/job-responses';
import { JobStreams } from './job-streams';
import { JobsService } from './jobs.service';

const STREAM_DESCRIPTION =
  'Server-sent events. Each has an `id:` and an `event:` name (`snapshot`, `progress`, `status`, ' +
  '`succeeded`, `failed`, `cancelled`, or `ping` as a heartbeat) and JSON data `{job, video?}`. ' +
  "The id is a position in the caller's events (`<milliseconds>-<sequence>`, never going back; " +
  'snapshots and pings repeat the latest): send the last one received as `Last-Event-ID` when ' +
  'reconnecting, as an EventSource does. ' +
  'The session is checked again at each heartbeat: once it has ended (logout, a password change ' +
  'from another session, the account deleted, the token expired) the stream ends without a ' +
  'further event, and reconnecting answers 401. The first event carries a `retry:` field: the ' +
  'delay, a few seconds, after which an EventSource reconnects should the connection drop.';

/** The refusals of a stream beyond the limits, answered before any event. */
const ApiStreamLimits = () =>
  applyDecorators(
    ApiResponse({
      status: 429,
      ...errorResponse(
        429,
        '`TOO_MANY_STREAMS`: the account already holds as many streams as it may ' +
          '(SSE_MAX_STREAMS_PER_USER, counted per API process); see the Retry-After header.',
      ),
    }),
    ApiResponse({
      status: 503,
      ...errorResponse(
        503,
        '`SERVICE_UNAVAILABLE`: this API process holds as many streams as it may ' +
          '(SSE_MAX_STREAMS); see the Retry-After header.',
      ),
    }),
  );

const JobId = () => UuidParam('id', 'There is no job with this id.');

@ApiTags('jobs')
@Controller('jobs')
@Authenticated()
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly streams: JobStreams,
  ) {}

  @Get()
  @ApiOperation({ summary: "The caller's jobs; `active=true` for those queued or running." })
  @ApiOkResponse({ type: JobListView })
  @ApiErrors(400)
  async list(
    @CurrentUser() principal: AuthenticatedUser,
    @Query() query: ListJobsQuery,
  ): Promise<JobListView> {
    return { items: await this.jobs.list(principal.user.id, query.active === true) };
  }

  @Sse('stream')
  @ApiOperation({
    summary:
      "Live events of all the caller's jobs; starts with a snapshot of each active job; ends only with the session.",
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: STREAM_DESCRIPTION, schema: { type: 'string' } })
  @ApiStreamLimits()
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      'The id of the last event received, to resume from: the events missed since are sent first ' +
      '(status and terminal events; progress resumes with the next one). When the gap is older ' +
      'than what is kept (the last 100 such events of the last 15 minutes), the stream starts with ' +
      'snapshots of the active jobs and of those that ended since instead. Anything else than an ' +
      'id is ignored.',
  })
  streamAll(
    @CurrentUser() principal: AuthenticatedUser,
    @SseSignal() responseEnd: AbortSignal,
    @Headers('Last-Event-ID') lastEventId?: string,
  ): Observable<MessageEvent> {
    return this.streams.forUser(principal, responseEnd, lastEventId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One job.' })
  @ApiOkResponse({ type: JobResponseView })
  @ApiErrors(404)
  async get(
    @CurrentUser() principal: AuthenticatedUser,
    @JobId() id: string,
  ): Promise<JobResponseView> {
    return { job: await this.jobs.get(id, principal.user.id) };
  }

  @Sse(':id/stream')
  @ApiOperation({
    summary:
      'Live events of one job: a snapshot first, then changes, then one terminal event and the end.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: STREAM_DESCRIPTION, schema: { type: 'string' } })
  @ApiErrors(404)
  @ApiStreamLimits()
  async stream(
    @CurrentUser() principal: AuthenticatedUser,
    @JobId() id: string,
    @SseSignal() responseEnd: AbortSignal,
  ): Promise<Observable<MessageEvent>> {
    const job = await this.jobs.getOwned(id, principal.user.id);
    return this.streams.forJob(job, principal, responseEnd);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop a queued or running job; partial files are deleted.' })
  @ApiOkResponse({ type: JobResponseView })
  @ApiErrors(404, 409)
  async cancel(
    @CurrentUser() principal: AuthenticatedUser,
    @JobId() id: string,
  ): Promise<JobResponseView> {
    return { job: await this.jobs.cancel(id, principal.user.id) };
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { scenarioOf } from './gateway-context';
import {
  bearerToken,
  openAiError,
  openAiHeaders,
  ParsedRequest,
  send,
  sendOpenAi,
} from './http-util';
import { invalidValue, parseCreate } from './video-create';
import { behaviourOf, VideoKit, VideosDialect, videosRoute } from './video-dialect';
import {
  JobBehaviour,
  MODERATION_FAILURE,
  openAiVideoId,
  orientationOfSize,
  VideoJob,
} from './video-jobs';

const JOB_SCENARIOS: readonly JobBehaviour[] = [
  'success',
  'failed',
  'stall-poll',
  'no-progress',
  'jump',
  'poll-hang',
  'poll-cut-once',
  'oversized',
  'not-video',
  'redirect-private',
  'drip',
];

const NO_KEY =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.";

/** OpenAI's Videos API (`/v1/videos...`): the shape every other dialect starts from. */
export class OpenAiVideos implements VideosDialect {
  readonly scenarios: readonly string[] = [
    ...JOB_SCENARIOS,
    'http-429-once',
    'http-500-create',
    'bad-size',
  ];

  constructor(private readonly kit: VideoKit) {}

  private get jobs() {
    return this.kit.jobs;
  }

  handle(req: IncomingMessage, res: ServerResponse, parsed: ParsedRequest): boolean {
    const matched = videosRoute(parsed);
    if (!matched) return false;
    if (!this.authorized(req, res)) return true;
    const { route, id } = matched;
    switch (route) {
      case 'POST':
        this.create(res, parsed.body, parsed.jsonError !== undefined);
        break;
      case 'GET':
        this.list(res, parsed.query);
        break;
      case 'GET :id':
        this.withJob(res, id, (job) => this.poll(res, job));
        break;
      case 'DELETE :id':
        this.withJob(res, id, (job) => {
          this.jobs.delete(job.id);
          sendOpenAi(res, 200, { id: job.id, object: 'video.deleted', deleted: true });
        });
        break;
      case 'GET :id/content':
        this.withJob(res, id, (job) =>
          this.content(res, job, parsed.query.get('variant') ?? 'video'),
        );
        break;
      case 'POST :id/remix':
        this.withJob(res, id, (job) => this.remix(res, job, parsed.body));
        break;
      default:
        openAiError(res, 404, {
          message: `Invalid URL (${parsed.method} ${parsed.pathname})`,
          type: 'invalid_request_error',
        });
    }
    return true;
  }

  private authorized(req: IncomingMessage, res: ServerResponse): boolean {
    const token = bearerToken(req);
    if (token === this.kit.ctx.apiKey) return true;
    if (!token) {
      openAiError(res, 401, { message: NO_KEY, type: 'invalid_request_error' });
    } else {
      const masked =
        token.length > 8
          ? `${token.slice(0, 3)}${'*'.repeat(token.length - 7)}${token.slice(-4)}`
          : '***';
      const message = `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`;
      openAiError(res, 401, { message, type: 'invalid_request_error', code: 'invalid_api_key' });
    }
    return false;
  }

  private create(res: ServerResponse, body: unknown, badJson: boolean): void {
    const parsed = parseCreate(badJson ? undefined : body);
    if ('error' in parsed) {
      return openAiError(res, 400, { ...parsed.error, type: 'invalid_request_error' });
    }
    const { params } = parsed;
    const scenario = scenarioOf(params.prompt);
    if (!this.scenarios.includes(scenario)) {
      const message = `fake gateway: unknown scenario "${scenario}" (known: ${this.scenarios.join(', ')})`;
      return openAiError(res, 400, { message, type: 'invalid_request_error', param: 'prompt' });
    }
    if (scenario === 'bad-size') {
      // A gateway whose upstream accounts cannot render this size, refused at validation.
      const message = `Invalid value: '${params.size}'. This size is not supported for '${params.model}' on this deployment.`;
      return openAiError(res, 422, {
        message,
        type: 'invalid_request_error',
        param: 'size',
        code: 'invalid_value',
      });
    }
    if (scenario === 'http-429-once' && this.kit.ctx.failFirst(`videos:${params.prompt}`)) {
      const message = `Rate limit reached for ${params.model} in organization org-fake on requests per min (RPM): Limit 2, Used 2, Requested 1. Please try again in 1s.`;
      return openAiError(
        res,
        429,
        { message, type: 'requests', code: 'rate_limit_exceeded' },
        { 'retry-after': '1' },
      );
    }
    if (scenario === 'http-500-create') {
      const message = 'The server had an error while processing your request. Sorry about that!';
      return openAiError(res, 500, { message, type: 'server_error' });
    }
    const { prompt, model, seconds, size } = params;
    const job = this.createJob({ prompt, model, seconds, size }, scenario, null);
    sendOpenAi(res, 200, this.jobs.present(job), this.pollHeaders(job));
  }

  private createJob(
    fields: Pick<VideoJob, 'prompt' | 'model' | 'seconds' | 'size'>,
    scenario: string,
    remixedFrom: string | null,
  ): VideoJob {
    return this.jobs.create(openAiVideoId(), {
      ...fields,
      orientation: orientationOfSize(fields.size),
      lengthSeconds: Number(fields.seconds),
      behaviour: behaviourOf(scenario, JOB_SCENARIOS),
      failure: { ...MODERATION_FAILURE },
      remixedFrom,
    });
  }

  private remix(res: ServerResponse, source: VideoJob, body: unknown): void {
    const prompt = (body as { prompt?: unknown } | undefined)?.prompt;
    if (typeof prompt !== 'string' || prompt === '') {
      return openAiError(res, 400, {
        message: "Missing required parameter: 'prompt'.",
        type: 'invalid_request_error',
        param: 'prompt',
        code: 'missing_required_parameter',
      });
    }
    if (this.jobs.state(source).status !== 'completed') {
      return openAiError(res, 400, {
        message: `Video '${source.id}' is not completed and cannot be remixed.`,
        type: 'invalid_request_error',
      });
    }
    const { model, seconds, size } = source;
    const job = this.createJob({ prompt, model, seconds, size }, scenarioOf(prompt), source.id);
    sendOpenAi(res, 200, this.jobs.present(job), this.pollHeaders(job));
  }

  private poll(res: ServerResponse, job: VideoJob): void {
    if (this.kit.heldPoll(res, job)) return;
    sendOpenAi(res, 200, this.jobs.present(job), this.pollHeaders(job));
  }

  private list(res: ServerResponse, query: URLSearchParams): void {
    const all = this.jobs.list();
    if (query.get('order') === 'asc') all.reverse();
    const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 20) || 20));
    const after = query.get('after');
    const start = after ? all.findIndex((job) => job.id === after) + 1 : 0;
    const page = all.slice(start, start + limit);
    sendOpenAi(res, 200, {
      object: 'list',
      data: page.map((job) => this.jobs.present(job)),
      first_id: page[0]?.id ?? null,
      last_id: page[page.length - 1]?.id ?? null,
      has_more: start + limit < all.length,
    });
  }

  private content(res: ServerResponse, job: VideoJob, variant: string): void {
    const invalid = invalidValue('variant', variant, ['video', 'thumbnail', 'spritesheet']);
    if (invalid) return openAiError(res, 400, { ...invalid, type: 'invalid_request_error' });
    const { status } = this.jobs.state(job);
    if (status !== 'completed') {
      const message = `Video '${job.id}' is not ready: its status is ${status}. Download the content once it is completed.`;
      return openAiError(res, 404, { message, type: 'invalid_request_error' });
    }
    if (variant === 'video') return this.kit.serveVideo(res, job, openAiHeaders());
    send(res, 200, this.kit.ctx.media.thumbnail[job.orientation], {
      ...openAiHeaders(),
      'content-type': 'image/jpeg',
    });
  }

  private withJob(res: ServerResponse, id: string, then: (job: VideoJob) => void): void {
    const job = this.jobs.get(id);
    if (job) return then(job);
    const message = `Video with id '${id}' not found.`;
    openAiError(res, 404, {
      message,
      type: 'invalid_request_error',
      param: null,
      code: 'video_not_found',
    });
  }

  /** How long OpenAI asks a poller to wait; absent once the job has ended. */
  private pollHeaders(job: VideoJob): Record<string, string> {
    const { status } = this.jobs.state(job);
    if (status === 'completed' || status === 'failed') return {};
    const ms = Math.min(2000, Math.max(10, Math.round(this.kit.ctx.jobDurationMs / 10)));
    return {
      'openai-poll-after-ms': String(ms),
      'retry-after': String(Math.max(1, Math.ceil(ms / 1000))),
    };
  }
}

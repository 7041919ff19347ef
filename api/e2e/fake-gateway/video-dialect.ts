import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayContext } from './gateway-context';
import { ParsedRequest, send } from './http-util';
import { loadClip } from './clips';
import { DIMENSIONS } from './media';
import { isMultipartBody } from './multipart';
import { isFileBehaviour, JobBehaviour, VideoJob, VideoJobs } from './video-jobs';

/**
 * One gateway's `/v1/videos` (section C of the protocols page): its ids, statuses, progress
 * numbers, error shapes and quirks, over the jobs every dialect shares.
 */
export interface VideosDialect {
  /** Prompt markers `POST /v1/videos` understands. */
  readonly scenarios: readonly string[];
  /** Serves `/v1/videos...` and the dialect's own file paths; false when the path is not its. */
  handle(req: IncomingMessage, res: ServerResponse, parsed: ParsedRequest): boolean;
}

/** A `/v1/videos` request: `POST`, `GET`, `GET :id`, `GET :id/content`, `DELETE :id`, ... */
export interface VideosRoute {
  route: string;
  id: string;
}

export function videosRoute(parsed: ParsedRequest): VideosRoute | null {
  const match = /^\/v1\/videos(?:\/([^/]+)(?:\/(content|remix))?)?\/?$/.exec(parsed.pathname);
  if (!match) return null;
  const [, id = '', action] = match;
  const target = id ? (action ? `:id/${action}` : ':id') : '';
  return { route: `${parsed.method} ${target}`.trim(), id: decodeURIComponent(id) };
}

/** The jobs, the clips, and what every dialect does alike (held polls, served files). */
export class VideoKit {
  readonly jobs: VideoJobs;
  /** `poll-cut-once` jobs whose one cut poll has happened. */
  private readonly cutPolls = new Set<string>();

  constructor(readonly ctx: GatewayContext) {
    this.jobs = new VideoJobs(ctx.jobDurationMs);
  }

  /** True when a poll was held open (`poll-hang`) or cut (`poll-cut-once`), not answered. */
  heldPoll(res: ServerResponse, job: VideoJob): boolean {
    if (job.behaviour === 'poll-hang') {
      // Held open until the gateway closes: the client's idle timeout must end it.
      this.ctx.closing.addEventListener('abort', () => res.destroy(), { once: true });
      return true;
    }
    if (job.behaviour === 'poll-cut-once' && !this.cutPolls.has(job.id)) {
      this.cutPolls.add(job.id);
      res.socket?.destroy();
      return true;
    }
    return false;
  }

  /** The job's video: a clip of the shape it was made in, or what a file behaviour serves. */
  serveVideo(res: ServerResponse, job: VideoJob, headers: Record<string, string> = {}): void {
    if (isFileBehaviour(job.behaviour)) return this.ctx.files.serve(job.behaviour, 'GET', res);
    void loadClip({ ...DIMENSIONS[job.orientation], seconds: job.lengthSeconds }).then(
      (clip) => send(res, 200, clip, { ...headers, 'content-type': 'video/mp4' }),
      (error: unknown) => {
        console.error('fake gateway: no clip', error);
        res.destroy();
      },
    );
  }
}

/** The behaviour a scenario name stands for, when it is one every dialect knows by that name. */
export function behaviourOf(scenario: string, known: readonly JobBehaviour[]): JobBehaviour {
  return (known as readonly string[]).includes(scenario) ? (scenario as JobBehaviour) : 'success';
}

/**
 * The text fields of a form, multipart or urlencoded; undefined for any other body (JSON).
 * FastAPI's `Form(...)` reads both.
 */
export function formFields(
  req: IncomingMessage,
  parsed: ParsedRequest,
): Record<string, string> | undefined {
  if (isMultipartBody(parsed.body)) return parsed.body.fields;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded')) return undefined;
  return Object.fromEntries(new URLSearchParams(parsed.raw.toString('utf8')));
}

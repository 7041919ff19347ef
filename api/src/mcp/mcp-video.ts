import { Orientation, VideoStatus } from '@vidgen/contracts';
import { z } from 'zod';
import { isActive } from '../jobs/job-state';
import { JobView } from '../jobs/job.presenter';
import { VideoView } from '../videos/video.presenter';

/**
 * A video as the MCP tools answer it: what an agent needs to report on it and fetch it, with the
 * progress of its current attempt folded in and the file URLs absolute.
 */
export const mcpVideoSchema = z.object({
  id: z.string().describe('The video id, for get_video and cancel_video.'),
  title: z.string(),
  prompt: z.string(),
  status: z.enum(VideoStatus).describe('queued, running, ready, failed or cancelled.'),
  progress: z
    .number()
    .nullable()
    .describe('0 to 100 while queued or running, 100 once ready; null once failed or cancelled.'),
  stage: z
    .string()
    .nullable()
    .describe('What the generation is doing now, in words; null unless queued or running.'),
  orientation: z.enum(Orientation),
  durationSeconds: z.number().describe('Requested length, then the real length once ready.'),
  width: z.number().nullable(),
  height: z.number().nullable(),
  contentUrl: z
    .string()
    .nullable()
    .describe(
      'The MP4, once ready. Fetch it with the same Authorization header as this MCP server.',
    ),
  thumbnailUrl: z.string().nullable().describe('A JPEG still, once there is one; same header.'),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});

export type McpVideo = z.infer<typeof mcpVideoSchema>;

/**
 * The video with `job`'s progress when `job` is its current attempt and both are still active:
 * read a moment apart, one may have ended already. `origin` (`https://host`) makes the file URLs
 * absolute: an agent fetches them outside this protocol.
 */
export function presentVideo(video: VideoView, job: JobView | undefined, origin: string): McpVideo {
  const videoActive = video.status === VideoStatus.Queued || video.status === VideoStatus.Running;
  const current = videoActive && job?.id === video.jobId && isActive(job.status) ? job : undefined;
  return {
    id: video.id,
    title: video.title,
    prompt: video.prompt,
    status: video.status,
    progress: video.status === VideoStatus.Ready ? 100 : (current?.progress ?? null),
    stage: current?.stage ?? null,
    orientation: video.orientation,
    durationSeconds: video.durationSeconds,
    width: video.width,
    height: video.height,
    contentUrl: video.contentUrl && new URL(video.contentUrl, origin).href,
    thumbnailUrl: video.thumbnailUrl && new URL(video.thumbnailUrl, origin).href,
    error: video.error,
    createdAt: video.createdAt,
    completedAt: video.completedAt,
  };
}

/** One sentence on the video's state, the first thing an agent reads of a tool's answer. */
export function describeVideo(video: McpVideo): string {
  const name = `Video ${video.id}`;
  switch (video.status) {
    case VideoStatus.Queued:
      return `${name} is queued${video.stage ? `: ${video.stage}` : ''}.`;
    case VideoStatus.Running:
      return `${name} is being generated: ${video.progress ?? 0}%${video.stage ? ` (${video.stage})` : ''}.`;
    case VideoStatus.Ready:
      return (
        `${name} is ready: ${video.contentUrl}` +
        (video.thumbnailUrl ? `, thumbnail ${video.thumbnailUrl}` : '') +
        '. Fetch them with the Authorization header of this MCP server.'
      );
    case VideoStatus.Failed:
      return `${name} failed: ${video.error?.message ?? 'no reason was given.'}`;
    case VideoStatus.Cancelled:
      return `${name} was cancelled.`;
  }
}

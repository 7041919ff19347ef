import {
  MAX_DURATION_SECONDS,
  MIN_DURATION_SECONDS,
  Orientation,
  PROMPT_MAX_LENGTH,
  VIDEO_PAGE_SIZE_DEFAULT,
  VIDEO_PAGE_SIZE_MAX,
} from '@vidgen/contracts';
import { z } from 'zod';
import { VideoProvider } from '../providers/video-provider';
import { mcpVideoSchema } from './mcp-video';

export const SERVER_INFO = { name: 'vidgen', title: 'VidGen', version: '1.0.0' };

/** What an agent is told about the server as a whole, once it connects. */
export const SERVER_INSTRUCTIONS =
  'Generates short videos from text prompts. generate_video starts one and answers with its id ' +
  'at once; generation takes seconds (local preview) to minutes (AI providers). Send a progress ' +
  'token with the call to have it wait for the end and report progress meanwhile, or call ' +
  'get_video now and then. A ready video has a contentUrl: download it with the same ' +
  'Authorization header as this server.';

const videoId = z.string().describe('The id of a video, as generate_video or list_videos gave it.');

const videoListSchema = z.object({
  videos: z.array(mcpVideoSchema),
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass as cursor for the next page; null on the last page.'),
});

/**
 * How each tool presents itself to agents: what it does, its arguments and its answer. The
 * lengths generate_video offers are the configured provider's, as GET /api/providers tells.
 */
export function videoTools({ label, durationOptions }: VideoProvider) {
  return {
    generate_video: {
      title: 'Generate a video',
      description:
        "Starts generating a video from a text prompt and answers with the video's id and status " +
        '(queued) at once. When the call carries a progress token, it waits instead until the ' +
        'video is ready, failed or cancelled, sending progress notifications (0 to 100, with the ' +
        'stage as message), and answers with the final state.',
      inputSchema: {
        prompt: z
          .string()
          .min(1)
          .max(PROMPT_MAX_LENGTH)
          .describe('What the video shows: subject, setting, action, camera, style.'),
        orientation: z
          .enum(Orientation)
          .default(Orientation.Portrait)
          .describe('portrait (taller than wide, the default) or landscape (wider than tall).'),
        duration: z
          .number()
          .int()
          .min(MIN_DURATION_SECONDS)
          .max(MAX_DURATION_SECONDS)
          .optional()
          .describe(
            `Length in seconds. ${label} offers ${durationOptions.join(', ')}; ` +
              `${durationOptions[0]} if left out.`,
          ),
      },
      outputSchema: mcpVideoSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    get_video: {
      title: 'Get a video',
      description:
        'One video: its status (queued, running, ready, failed, cancelled), progress 0 to 100, ' +
        'and once ready the absolute URLs of the MP4 and its thumbnail, to download with the ' +
        'same Authorization header as this server.',
      inputSchema: { id: videoId },
      outputSchema: mcpVideoSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    list_videos: {
      title: 'List videos',
      description:
        "The caller's videos, newest first, a page at a time: pass a page's nextCursor as " +
        'cursor for the next one.',
      inputSchema: {
        limit: z
          .number()
          .int()
          .min(1)
          .max(VIDEO_PAGE_SIZE_MAX)
          .optional()
          .describe(
            `Videos per page, 1 to ${VIDEO_PAGE_SIZE_MAX}; ${VIDEO_PAGE_SIZE_DEFAULT} if left out.`,
          ),
        cursor: z.string().optional().describe('The nextCursor of the previous page.'),
      },
      outputSchema: videoListSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    cancel_video: {
      title: 'Cancel a video',
      description:
        'Stops the generation of a queued or running video; it becomes cancelled. A video that ' +
        'has finished cannot be cancelled.',
      inputSchema: { id: videoId },
      outputSchema: mcpVideoSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
  };
}

export type VideoTools = ReturnType<typeof videoTools>;

import { Orientation } from '@vidgen/contracts';
import { UpstreamConfig } from '../../config/app-config';
import { lengthInModelName } from '../upstream/model-names';

/**
 * Lengths a duration-aware template offers. The gateways also know `-25s`, but only paid
 * accounts can make it, so it is not offered unless a fixed model name says so.
 */
export const TEMPLATE_DURATIONS: readonly number[] = [10, 15];
/** Older model names without a length (`sora-video-portrait`) make 10-second videos. */
const UNNAMED_MODEL_DURATION = 10;

/**
 * The lengths to offer: VIDEO_SECONDS_OPTIONS when set (grok2api reads the length from
 * `video_config`, not from the model name), else the template's, else the one length the fixed
 * (portrait) model name makes.
 */
export function chatStreamDurations(upstream: UpstreamConfig): number[] {
  if (upstream.secondsOptions) return [...upstream.secondsOptions];
  if (upstream.modelTemplate?.includes('{duration}')) return [...TEMPLATE_DURATIONS];
  return [
    lengthInModelName(upstream.modelTemplate ?? upstream.modelPortrait) ?? UNNAMED_MODEL_DURATION,
  ];
}

/**
 * grok2api v2 reads orientation and length from `video_config`, not from the model name. Builds
 * from 2026-04-08 know `seconds`, `size` and `resolution_name`; older ones `aspect_ratio` and
 * `video_length`. Each ignores the keys it does not know (pydantic's default), so both sets go
 * together, and sora2api, its forks and grok2api v1 ignore the whole object. 720p is the current
 * builds' default resolution and the better of the older builds' two.
 */
export function chatStreamVideoConfig(
  orientation: Orientation,
  durationSeconds: number,
): Record<string, string | number> {
  const landscape = orientation === Orientation.Landscape;
  return {
    seconds: durationSeconds,
    size: landscape ? '1280x720' : '720x1280',
    resolution_name: '720p',
    aspect_ratio: landscape ? '16:9' : '9:16',
    video_length: durationSeconds,
  };
}

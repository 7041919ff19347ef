import { Orientation } from '@vidgen/contracts';
import { UpstreamConfig } from '../../config/app-config';

/**
 * Lengths a duration-aware template offers. The gateways also know `-25s`, but only paid
 * accounts can make it, so it is not offered unless a fixed model name says so.
 */
export const TEMPLATE_DURATIONS: readonly number[] = [10, 15];
/** Older model names without a length (`sora-video-portrait`) make 10-second videos. */
const UNNAMED_MODEL_DURATION = 10;

/**
 * The gateway's model for a video: orientation and length are part of the model name. A
 * template (`sora2-{orientation}-{duration}s`) wins over the two fixed names.
 */
export function chatStreamModel(
  upstream: UpstreamConfig,
  orientation: Orientation,
  durationSeconds: number,
): string {
  if (upstream.modelTemplate) {
    return upstream.modelTemplate
      .split('{orientation}')
      .join(orientation)
      .split('{duration}')
      .join(String(durationSeconds));
  }
  return orientation === Orientation.Landscape ? upstream.modelLandscape : upstream.modelPortrait;
}

/** The lengths to offer: the template's, or the one length the fixed (portrait) model name makes. */
export function chatStreamDurations(upstream: UpstreamConfig): number[] {
  if (upstream.modelTemplate?.includes('{duration}')) return [...TEMPLATE_DURATIONS];
  const name = upstream.modelTemplate ?? upstream.modelPortrait;
  const named = /-(\d{1,3})s(?:$|-)/.exec(name);
  return [named ? Number(named[1]) : UNNAMED_MODEL_DURATION];
}

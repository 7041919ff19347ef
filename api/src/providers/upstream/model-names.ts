import { Orientation } from '@vidgen/contracts';
import { UpstreamConfig } from '../../config/app-config';

/**
 * The gateway model for a video, in both upstream protocols: the template filled in
 * (`sora2-{orientation}-{duration}s`) wins over the two fixed names, since gateways such as
 * sora2api and go-sora2api read orientation and length from the model name alone.
 */
export function upstreamModel(
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

/** The length a model name carries (`sora-2-portrait-10s` → 10), or null. */
export function lengthInModelName(name: string): number | null {
  const named = /-(\d{1,3})s(?:$|-)/.exec(name);
  return named ? Number(named[1]) : null;
}

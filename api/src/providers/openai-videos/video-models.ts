import { UpstreamConfig } from '../../config/app-config';
import { lengthInModelName } from '../upstream/model-names';

/** The lengths OpenAI's Videos API makes (`seconds` is sent as a string); the first is its default. */
export const VIDEO_SECONDS: readonly number[] = [4, 8, 12];
/**
 * The lengths offered when the template names the length: such a gateway reads it from the name
 * (go-sora2api: 10, 15, and 25 s for paid accounts only, so not offered unless set).
 */
export const NAMED_SECONDS: readonly number[] = [10, 15];

/**
 * The lengths to offer: VIDEO_SECONDS_OPTIONS; else those a length in the template stands for;
 * else the one length both fixed names carry (`sora-2-portrait-10s`), since a gateway that reads
 * it from the name makes that whatever `seconds` says; else what OpenAI's API makes.
 */
export function jobDurations(upstream: UpstreamConfig): number[] {
  if (upstream.secondsOptions) return [...upstream.secondsOptions];
  if (upstream.modelTemplate?.includes('{duration}')) return [...NAMED_SECONDS];
  const [portrait, landscape] = [
    upstream.modelTemplate ?? upstream.modelPortrait,
    upstream.modelLandscape,
  ].map(lengthInModelName);
  if (portrait !== null && (upstream.modelTemplate || portrait === landscape)) return [portrait];
  return [...VIDEO_SECONDS];
}

/** The models in a few words, for the provider's label. */
export function modelsLabel(upstream: UpstreamConfig): string {
  if (upstream.modelTemplate) return upstream.modelTemplate;
  const { modelPortrait, modelLandscape } = upstream;
  return modelPortrait === modelLandscape ? modelPortrait : `${modelPortrait} / ${modelLandscape}`;
}

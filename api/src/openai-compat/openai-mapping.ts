import { Orientation } from '@vidgen/contracts';
import { VideoProvider } from '../providers/video-provider';
import { OPENAI_SIZES, OpenAiSeconds, OpenAiSize } from './openai-video';

/**
 * The model name OpenAI's clients send by default. It means the platform's own generator, so that
 * code written for OpenAI runs unchanged; the generator's own name (`local`, `openai-videos`...)
 * means the same.
 */
export const SORA_MODEL = 'sora-2';

/** The model names /v1 accepts and lists: the configured generator's, then `sora-2`. */
export function offeredModels(provider: Pick<VideoProvider, 'name'>): string[] {
  return [...new Set([provider.name, SORA_MODEL])];
}

export function orientationOfOpenAiSize(size: OpenAiSize): Orientation {
  return size === OPENAI_SIZES.landscape ? Orientation.Landscape : Orientation.Portrait;
}

/**
 * The length to ask the provider for: the OpenAI length when the provider makes it, else the
 * nearest of the lengths it offers, the longer one when two are as near (never less than asked
 * when it can be helped).
 */
export function providerDurationFor(
  seconds: OpenAiSeconds,
  provider: Pick<VideoProvider, 'acceptsDuration' | 'durationOptions'>,
): number {
  const wanted = Number(seconds);
  if (provider.acceptsDuration(wanted)) return wanted;
  let nearest = provider.durationOptions[0];
  for (const option of provider.durationOptions) {
    const closer = Math.abs(option - wanted) - Math.abs(nearest - wanted);
    if (closer < 0 || (closer === 0 && option > nearest)) nearest = option;
  }
  return nearest;
}

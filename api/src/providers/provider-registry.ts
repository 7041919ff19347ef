import { Type } from '@nestjs/common';
import { VideoProviderName } from '../config/app-config';
import { ChatStreamVideoProvider } from './chat-stream/chat-stream-video-provider';
import { LocalVideoProvider } from './local/local-video-provider';
import { OpenAiVideosVideoProvider } from './openai-videos/openai-videos-video-provider';
import { VideoProvider } from './video-provider';

/**
 * Every adapter of the VideoProvider port, by the name `VIDEO_PROVIDER` selects. Keyed by the
 * config's own list, so adding a name there fails to compile until its adapter is listed here.
 */
export const VIDEO_PROVIDER_ADAPTERS: {
  readonly [name in VideoProviderName]: Type<VideoProvider>;
} = {
  local: LocalVideoProvider,
  'chat-stream': ChatStreamVideoProvider,
  'openai-videos': OpenAiVideosVideoProvider,
};

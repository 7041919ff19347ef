import { Module } from '@nestjs/common';
import { FfmpegMediaTool } from './ffmpeg-media-tool';
import { MediaTool } from './media-tool';

/** Provides the MediaTool port; ffmpeg/ffprobe are the only adapter today. */
@Module({
  providers: [{ provide: MediaTool, useClass: FfmpegMediaTool }],
  exports: [MediaTool],
})
export class MediaModule {}

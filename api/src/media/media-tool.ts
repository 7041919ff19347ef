export interface MediaInfo {
  width: number;
  height: number;
  durationSeconds: number;
  /** e.g. `h264` */
  videoCodec: string;
  /** e.g. `mov,mp4,m4a,3gp,3g2,mj2` */
  formatName: string;
  sizeBytes: number;
}

/**
 * The port for inspecting and transforming media files (ffprobe and ffmpeg in production).
 * `probe` rejects with a MediaError when the file is not a readable video.
 */
export abstract class MediaTool {
  abstract probe(path: string): Promise<MediaInfo>;
  /** Writes a still image (JPEG) of the video at `atSeconds` (clamped to the duration). */
  abstract makeThumbnail(videoPath: string, imagePath: string, atSeconds: number): Promise<void>;
}

export class MediaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaError';
  }
}

import { isLengthFarFromRequest, orientationOfSize, Video, VideoStatus } from '@vidgen/contracts';

/**
 * How a ready video differs from what was asked for, one sentence each: gateways may answer with
 * another orientation (when the server keeps such files) or another length than requested.
 */
export function requestDifferences(video: Video): string[] {
  if (video.status !== VideoStatus.Ready || !video.width || !video.height) return [];
  const differences: string[] = [];
  const shape = orientationOfSize(video.width, video.height) ?? 'square';
  if (shape !== video.requestedOrientation) {
    differences.push(
      `You asked for ${video.requestedOrientation}; the video service made a ${shape} video ` +
        `(${video.width} × ${video.height}).`,
    );
  }
  if (isLengthFarFromRequest(video.requestedDurationSeconds, video.durationSeconds)) {
    differences.push(
      `You asked for ${video.requestedDurationSeconds} s; the video is ` +
        `${formatSeconds(video.durationSeconds)} s long.`,
    );
  }
  return differences;
}

/** At most one decimal, as the Details list shows lengths. */
function formatSeconds(seconds: number): string {
  return String(Math.round(seconds * 10) / 10);
}

import { JobStatus, Video, VideoJob, VideoStatus } from '@vidgen/contracts';

/** Why there is no video, in words: the server's own message (a whole sentence) when it gave one. */
export function failureMessage(job: VideoJob | null, video: Video | null): string {
  const cancelled = job?.status === JobStatus.Cancelled || video?.status === VideoStatus.Cancelled;
  if (cancelled) return 'The generation was cancelled before it finished.';
  const reason = job?.error?.message || video?.error?.message;
  return reason || 'The video could not be generated.';
}

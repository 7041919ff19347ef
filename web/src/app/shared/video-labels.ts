import { Pipe, PipeTransform } from '@angular/core';
import { Orientation, ProviderInfo, VideoJob, VideoStatus } from '@vidgen/contracts';

export const LOCAL_PROVIDER = 'local';
export const LOCAL_PROVIDER_LABEL = 'Local preview (not AI)';

/**
 * The name a video's provider goes by: the active provider's label when it made the video, else
 * the stored name. The built-in renderer must never pass for AI, so it always gets its own words.
 */
export function providerLabel(provider: string, active: ProviderInfo | null = null): string {
  if (provider === LOCAL_PROVIDER) return LOCAL_PROVIDER_LABEL;
  return active?.name === provider ? active.label : provider;
}

const STATUS_LABELS: Record<VideoStatus, string> = {
  [VideoStatus.Queued]: 'Queued',
  [VideoStatus.Running]: 'Generating',
  [VideoStatus.Ready]: 'Ready',
  [VideoStatus.Failed]: 'Failed',
  [VideoStatus.Cancelled]: 'Cancelled',
};

export function statusLabel(status: VideoStatus): string {
  return STATUS_LABELS[status] ?? status;
}

export function isInProgress(status: VideoStatus): boolean {
  return status === VideoStatus.Queued || status === VideoStatus.Running;
}

export function orientationLabel(orientation: Orientation): string {
  return orientation === Orientation.Landscape ? 'Landscape' : 'Portrait';
}

/** "01:05", or "1:02:03" past an hour. */
export function formatElapsed(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${pad(minutes)}:${pad(seconds)}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** From the moment the job was asked for until it finished (or now). */
export function jobElapsedMs(job: VideoJob, now: number): number {
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now;
  return end - Date.parse(job.createdAt);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** `video.provider | providerLabel: activeProvider()` (see ActiveProvider). */
@Pipe({ name: 'providerLabel' })
export class ProviderLabelPipe implements PipeTransform {
  transform(provider: string, active: ProviderInfo | null = null): string {
    return providerLabel(provider, active);
  }
}

@Pipe({ name: 'statusLabel' })
export class StatusLabelPipe implements PipeTransform {
  transform(status: VideoStatus): string {
    return statusLabel(status);
  }
}

@Pipe({ name: 'orientationLabel' })
export class OrientationLabelPipe implements PipeTransform {
  transform(orientation: Orientation): string {
    return orientationLabel(orientation);
  }
}

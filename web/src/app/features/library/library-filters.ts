import { Orientation, Video, VideoStatus } from '@vidgen/contracts';
import { VideoListFilters } from '../../core/api/videos-api';

export type StatusFilter = 'all' | 'ready' | 'active' | 'failed';
export type OrientationFilter = 'all' | Orientation;

export interface LibraryFilters {
  status: StatusFilter;
  orientation: OrientationFilter;
  favorites: boolean;
  q: string;
}

export const STATUS_FILTERS: readonly {
  value: StatusFilter;
  label: string;
  statuses: readonly VideoStatus[];
}[] = [
  { value: 'all', label: 'All', statuses: [] },
  { value: 'ready', label: 'Ready', statuses: [VideoStatus.Ready] },
  {
    value: 'active',
    label: 'In progress',
    statuses: [VideoStatus.Queued, VideoStatus.Running],
  },
  { value: 'failed', label: 'Failed', statuses: [VideoStatus.Failed] },
];

export const ORIENTATION_FILTERS: readonly {
  value: OrientationFilter;
  label: string;
}[] = [
  { value: 'all', label: 'All' },
  { value: Orientation.Portrait, label: 'Portrait' },
  { value: Orientation.Landscape, label: 'Landscape' },
];

function statusesOf(filter: StatusFilter): readonly VideoStatus[] {
  return STATUS_FILTERS.find((f) => f.value === filter)?.statuses ?? [];
}

export function toListFilters(filters: LibraryFilters): VideoListFilters {
  const statuses = statusesOf(filters.status);
  return {
    ...(statuses.length ? { status: statuses } : {}),
    ...(filters.orientation !== 'all' ? { orientation: filters.orientation } : {}),
    ...(filters.favorites ? { favorite: true } : {}),
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
  };
}

/**
 * Whether a video the live stream just told us about belongs in the current list. A search
 * never matches: how the server matches words is its business, so those wait for a reload.
 */
export function fitsFilters(video: Video, filters: LibraryFilters): boolean {
  const statuses = statusesOf(filters.status);
  return (
    (statuses.length === 0 || statuses.includes(video.status)) &&
    (filters.orientation === 'all' || filters.orientation === video.orientation) &&
    (!filters.favorites || video.favorite) &&
    !filters.q.trim()
  );
}

import { Orientation, VideoStatus } from '@vidgen/contracts';
import { aVideo } from '../../../testing/videos';
import { fitsFilters, LibraryFilters, toListFilters } from './library-filters';

const everything: LibraryFilters = {
  status: 'all',
  orientation: 'all',
  favorites: false,
  q: '',
};

describe('library filters', () => {
  it('asks for everything by default', () => {
    expect(toListFilters(everything)).toEqual({});
  });

  it('turns the choices into the list query', () => {
    expect(
      toListFilters({
        status: 'active',
        orientation: Orientation.Landscape,
        favorites: true,
        q: '  boat ',
      }),
    ).toEqual({
      status: [VideoStatus.Queued, VideoStatus.Running],
      orientation: Orientation.Landscape,
      favorite: true,
      q: 'boat',
    });
  });

  it('lets a live video into the list only when it matches', () => {
    const video = aVideo({ status: VideoStatus.Queued });
    expect(fitsFilters(video, everything)).toBe(true);
    expect(fitsFilters(video, { ...everything, status: 'active' })).toBe(true);
    expect(fitsFilters(video, { ...everything, status: 'ready' })).toBe(false);
    expect(fitsFilters(video, { ...everything, orientation: Orientation.Landscape })).toBe(false);
    expect(fitsFilters(video, { ...everything, favorites: true })).toBe(false);
    expect(fitsFilters(video, { ...everything, q: 'boat' })).toBe(false);
  });
});

import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PhotoSummary } from '../api/models';
import { PhotoTile, thumbnailSources } from './PhotoTile';

const photo = (thumbnails: PhotoSummary['thumbnails']): PhotoSummary => ({
  id: 'a', width: 3000, height: 2000, takenAt: null, timelineAt: '2024-03-12T18:05:00Z', thumbnailUrl: '/t/a', thumbnails, previewUrl: '/p/a',
  missing: false, favorite: false, archived: false,
});
const both = photo([{ url: '/t/a', width: 250, height: 167 }, { url: '/t/a-large', width: 600, height: 400 }]);

describe('PhotoTile', () => {
  it('offers the thumbnail and the large one by width for the tile, so a 2× screen takes the large one', () => {
    const { container } = render(<PhotoTile photo={both} style={{ width: 240.4, height: 160 }} selected={false} onOpen={() => {}} />);
    const img = container.querySelector('img')!;
    expect(img).toHaveAttribute('src', '/t/a');
    expect(img).toHaveAttribute('srcset', '/t/a 250w, /t/a-large 600w');
    expect(img).toHaveAttribute('sizes', '241px');
  });

  it('gives no srcset for a photo whose large thumbnail is not made yet, nor for a tile of unknown width', () => {
    expect(thumbnailSources(photo([{ url: '/t/a', width: 250, height: 167 }]), 240)).toEqual({});
    expect(thumbnailSources(both, undefined)).toEqual({});
    expect(thumbnailSources(both, '50%')).toEqual({});
  });
});

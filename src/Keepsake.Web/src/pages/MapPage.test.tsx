import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MapSettings, PhotoSummary } from '../api/models';
import { mockFetch } from '../test/fetchMock';
import MapPage from './MapPage';

const settings: MapSettings = {
  enabled: true,
  tileUrl: 'http://tiles.test/{z}/{x}/{y}.png',
  attribution: 'Tiles <by> the test',
  attributionUrl: 'http://tiles.test/copyright',
};

const photo = (id: string): PhotoSummary => ({
  id, width: 300, height: 200, takenAt: '2019-07-14T12:00:00', timelineAt: '2019-07-14T12:00:00Z', thumbnailUrl: `/t/${id}`, thumbnails: [], previewUrl: `/p/${id}`,
  missing: false, favorite: false, archived: false,
});

// Three photos taken in one spot in Rome, one in Paris.
const markers = [
  { id: 'rome-1', lat: 41.853, lon: 12.488833 },
  { id: 'rome-2', lat: 41.853, lon: 12.488833 },
  { id: 'rome-3', lat: 41.853, lon: 12.488833 },
  { id: 'paris', lat: 48.857833, lon: 2.297 },
];

const idsOf = (url: string) => new URLSearchParams(url.split('?')[1]).getAll('id');

function serve(pages: Record<string, { markers: typeof markers; nextCursor: string | null }> = { '': { markers, nextCursor: null } }) {
  return mockFetch({
    'GET /api/map/markers': (call) => ({ body: pages[new URLSearchParams(call.url.split('?')[1]).get('cursor') ?? ''] }),
    'GET /api/map/photos': (call) => ({ body: { items: idsOf(call.url).map(photo) } }),
    'GET /api/photos/rome-2': { body: { ...photo('rome-2'), fileName: 'rome-2.jpg', format: 'jpeg', sizeBytes: 1000, orientation: 1, uploadedAt: '2024-01-01T00:00:00Z', camera: null, location: null, originalUrl: '/o', weather: null } },
  });
}

// jsdom lays nothing out, so every element measures 0 × 0; Leaflet needs the map's size to place anything.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('MapPage', () => {
  it('draws the configured tiles with their credit, a cluster for photos taken together and a thumbnail for one alone', async () => {
    const fetch = serve();
    const { container } = render(<MapPage settings={settings} />);

    expect(await screen.findByText('4 photos with a place.')).toBeInTheDocument();
    const cluster = await screen.findByTitle('3 photos');
    expect(cluster).toHaveTextContent('3');
    await waitFor(() => expect(container.querySelector('.map-photo img')).toHaveAttribute('src', '/t/paris'));
    expect([...container.querySelectorAll<HTMLImageElement>('img.leaflet-tile')].map((t) => t.src)).toContainEqual(expect.stringMatching(/^http:\/\/tiles\.test\/\d+\/\d+\/\d+\.png$/));
    const credit = within(container.querySelector('.leaflet-control-attribution') as HTMLElement).getByRole('link', { name: 'Tiles <by> the test' });
    expect(credit).toHaveAttribute('href', 'http://tiles.test/copyright');
    expect(fetch.calls.filter((c) => c.url.startsWith('/api/map/photos')).map((c) => idsOf(c.url))).toEqual([['paris']]);
  });

  it('reads every page of markers', async () => {
    serve({ '': { markers: markers.slice(0, 2), nextCursor: 'next' }, next: { markers: markers.slice(2), nextCursor: null } });
    render(<MapPage settings={settings} />);

    expect(await screen.findByText('4 photos with a place.')).toBeInTheDocument();
  });

  it('lists the photos of a spot that zooming cannot part, and opens one in the viewer', async () => {
    const user = userEvent.setup();
    const fetch = serve();
    render(<MapPage settings={settings} />);

    await user.click(await screen.findByTitle('3 photos'));
    expect(fetch.calls.filter((c) => c.url.startsWith('/api/map/photos')).map((c) => idsOf(c.url))).toContainEqual(['rome-1', 'rome-2', 'rome-3']);
    expect(await screen.findByRole('heading', { name: '3 photos taken here' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /Photo 2 of 3/ }));

    const viewer = await screen.findByRole('dialog', { name: 'Photo viewer' });
    expect(await within(viewer).findByRole('img', { name: 'rome-2.jpg' })).toHaveAttribute('src', '/p/rome-2');
  });

  it('lists the latest hundred of a spot with more, and says how many there are', async () => {
    const user = userEvent.setup();
    const many = Array.from({ length: 150 }, (_, i) => ({ id: `p${i}`, lat: 41.853, lon: 12.488833 }));
    const fetch = serve({ '': { markers: many, nextCursor: null } });
    render(<MapPage settings={settings} />);

    await user.click(await screen.findByTitle('150 photos'));

    expect(await screen.findByRole('heading', { name: '150 photos taken here, the 100 latest shown' })).toBeInTheDocument();
    expect(fetch.calls.map((c) => idsOf(c.url)).at(-1)).toEqual(many.slice(0, 100).map((m) => m.id));
  });

  it('opens a photo alone in the viewer from its marker', async () => {
    const user = userEvent.setup();
    serve();
    const { container } = render(<MapPage settings={settings} />);

    await waitFor(() => expect(container.querySelector('.map-photo img')).not.toBeNull());
    await user.click(screen.getByTitle('Photo'));

    const viewer = await screen.findByRole('dialog', { name: 'Photo viewer' });
    expect(viewer.querySelector('.viewer-stage img')).toHaveAttribute('src', '/p/paris');
  });

  it('says so when no photo has a place', async () => {
    serve({ '': { markers: [], nextCursor: null } });
    render(<MapPage settings={settings} />);

    expect(await screen.findByText('None of your photos has a place yet.')).toBeInTheDocument();
  });
});

import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import type { PhotoDetails, PhotoSummary } from '../api/models';
import { SearchBox } from '../components/SearchBox';
import { SearchPage } from './SearchPage';

afterEach(() => vi.unstubAllGlobals());

const photo = (id: string, day: string): PhotoSummary => ({
  id, width: 300, height: 200, takenAt: `${day}T12:00:00`, timelineAt: `${day}T12:00:00Z`, thumbnailUrl: `/t/${id}`, thumbnails: [], previewUrl: `/p/${id}`,
  missing: false, favorite: false, archived: false,
});

const details = (id: string, description: string | null): PhotoDetails => ({
  id, fileName: `${id}.jpg`, format: 'jpeg', sizeBytes: 1000, width: 300, height: 200, orientation: 1, takenAt: '2019-07-14T12:00:00',
  takenAtSource: 'exif', uploadedAt: '2024-01-01T00:00:00Z', timelineAt: '2024-01-01T00:00:00Z', camera: null, location: null, place: null,
  thumbnailUrl: `/t/${id}`, previewUrl: `/p/${id}`, originalUrl: `/o/${id}`, missing: false, favorite: false, archived: false, description,
});

function Where() {
  const location = useLocation();
  return <output aria-label="address">{location.pathname + location.search}</output>;
}

function renderAt(url: string) {
  render(
    <MemoryRouter initialEntries={[url]}>
      <SearchBox />
      <Where />
      <Routes>
        <Route path="/" element={<p>Timeline</p>} />
        <Route path="/search" element={<SearchPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('SearchPage', () => {
  it('shows the matches in the order the server ranked them, without day headings, and opens one in the viewer', async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch({
      'GET /api/search': { body: { items: [photo('older', '2018-05-01'), photo('newer', '2019-07-14')], nextCursor: null } },
      'GET /api/photos/older': { body: details('older', 'Harbour at dusk') },
    });
    renderAt('/search?q=harbour%202019&favorite=true');

    expect(await screen.findByRole('heading', { level: 1, name: 'Search: harbour 2019' })).toBeInTheDocument();
    const tiles = await screen.findAllByRole('button', { name: /Photo taken/ });
    expect(tiles.map((t) => t.getAttribute('aria-label'))).toEqual(['Photo taken 1 May 2018, 12:00', 'Photo taken 14 Jul 2019, 12:00']);
    expect(screen.queryByRole('heading', { level: 3 })).not.toBeInTheDocument();
    const query = new URLSearchParams(calls[0].url.split('?')[1]);
    expect([query.get('q'), query.get('favorite')]).toEqual(['harbour 2019', 'true']);
    expect(screen.getByRole('searchbox', { name: 'Search photos' })).toHaveValue('harbour 2019');

    await user.click(tiles[0]);
    const viewer = await screen.findByRole('dialog', { name: 'Photo viewer' });
    expect(await within(viewer).findByText('Harbour at dusk')).toBeInTheDocument();
  });

  it('says when nothing matches', async () => {
    mockFetch({ 'GET /api/search': { body: { items: [], nextCursor: null } } });
    renderAt('/search?q=zanzibar');

    expect(await screen.findByText("No photos match 'zanzibar'.")).toBeInTheDocument();
  });

  it('shows the problem the server gives for a search it cannot run', async () => {
    mockFetch({
      'GET /api/search': { status: 400, body: { title: 'Search too long', status: 400, detail: 'A search holds at most 200 characters; this one has 201.' } },
    });
    renderAt('/search?q=x');

    expect(await screen.findByRole('alert')).toHaveTextContent('A search holds at most 200 characters; this one has 201.');
    expect(screen.queryByText(/No photos match/)).not.toBeInTheDocument();
  });

  it('is opened from the search box of the top bar with what was typed', async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch({ 'GET /api/search': { body: { items: [photo('a', '2019-07-14')], nextCursor: null } } });
    renderAt('/');

    await user.type(screen.getByRole('searchbox', { name: 'Search photos' }), '  kodak fz201 {Enter}');

    await waitFor(() => expect(screen.getByLabelText('address')).toHaveTextContent('/search?q=kodak+fz201'));
    await screen.findByRole('button', { name: /Photo taken/ });
    expect(new URLSearchParams(calls[0].url.split('?')[1]).get('q')).toBe('kodak fz201');
  });

  it('lets the owner write a description in the viewer', async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch({
      'GET /api/search': { body: { items: [photo('a', '2019-07-14')], nextCursor: null } },
      'GET /api/photos/a': { body: details('a', null) },
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'PUT /api/photos/a/description': { status: 204 },
    });
    renderAt('/search?q=paris');

    await user.click(await screen.findByRole('button', { name: /Photo taken/ }));
    const viewer = await screen.findByRole('dialog', { name: 'Photo viewer' });
    await user.click(await within(viewer).findByRole('button', { name: 'Add a description' }));
    await user.type(within(viewer).getByLabelText('Description'), 'Picnic by the Seine');
    await user.click(within(viewer).getByRole('button', { name: 'Save description' }));

    expect(await within(viewer).findByRole('button', { name: 'Edit description' })).toBeInTheDocument();
    expect(within(viewer).getByText('Picnic by the Seine')).toHaveClass('description-text');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ description: 'Picnic by the Seine' });
  });
});

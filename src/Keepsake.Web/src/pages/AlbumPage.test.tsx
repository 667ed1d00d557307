import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { AlbumPage } from './AlbumPage';

afterEach(() => vi.unstubAllGlobals());

const album = (photoCount: number) => ({
  id: 'al1', name: 'Summer', photoCount, coverPhotoId: null, coverThumbnailUrl: null, createdAt: '2024-08-01T10:00:00Z', updatedAt: '2024-08-01T10:00:00Z',
});

function renderAlbum() {
  render(
    <MemoryRouter initialEntries={['/albums/al1']}>
      <Routes>
        <Route path="/albums/:id" element={<AlbumPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('AlbumPage', () => {
  it('offers the album’s originals as one download', async () => {
    mockFetch({
      'GET /api/albums/al1': { body: album(2) },
      'GET /api/albums/al1/photos': { body: { items: [], nextCursor: null } },
    });
    renderAlbum();

    const link = await screen.findByRole('link', { name: 'Download all' });
    expect(link).toHaveAttribute('href', '/api/albums/al1/download');
    expect(link).toHaveAttribute('download');
  });

  it('offers no download for an empty album', async () => {
    mockFetch({
      'GET /api/albums/al1': { body: album(0) },
      'GET /api/albums/al1/photos': { body: { items: [], nextCursor: null } },
    });
    renderAlbum();

    expect(await screen.findByRole('heading', { name: 'Summer' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Download all' })).not.toBeInTheDocument();
  });
});

describe('AlbumPage, adding photos', () => {
  const photo = (id: string, day: string) => ({
    id, width: 300, height: 200, takenAt: `${day}T12:00:00`, timelineAt: `${day}T12:00:00Z`, thumbnailUrl: `/t/${id}`, thumbnails: [], previewUrl: `/p/${id}`,
    missing: false, favorite: false, archived: false,
  });

  it('picks photos from the timeline and adds the chosen ones in one request', async () => {
    const fetch = mockFetch({
      'GET /api/antiforgery': { body: { token: 't', headerName: 'X-XSRF-TOKEN' } },
      'GET /api/albums/al1': { body: album(0) },
      'GET /api/albums/al1/photos': { body: { items: [], nextCursor: null } },
      'GET /api/photos': { body: { items: [photo('p1', '2024-07-02'), photo('p2', '2024-07-01')], nextCursor: null } },
      'POST /api/albums/al1/photos': { body: album(2) },
    });
    const user = userEvent.setup();
    renderAlbum();

    await user.click(await screen.findByRole('button', { name: 'Add photos' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add photos to Summer' });
    expect(within(dialog).getByRole('button', { name: 'Add 0 photos' })).toBeDisabled();
    await user.click(await within(dialog).findByRole('button', { name: /2 Jul 2024/ }));
    await user.click(within(dialog).getByRole('button', { name: /1 Jul 2024/ }));
    await user.click(within(dialog).getByRole('button', { name: /1 Jul 2024/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Add 1 photo' }));

    expect(await screen.findByText('Added 1 photo to the album.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(fetch.calls.find((c) => c.method === 'POST')?.body).toEqual({ photoIds: ['p1'] });
    expect(screen.getByText(/^2 photos/)).toBeInTheDocument();
  });

  it('shows why the photos could not be added and keeps the choice', async () => {
    mockFetch({
      'GET /api/antiforgery': { body: { token: 't', headerName: 'X-XSRF-TOKEN' } },
      'GET /api/albums/al1': { body: album(0) },
      'GET /api/albums/al1/photos': { body: { items: [], nextCursor: null } },
      'GET /api/photos': { body: { items: [photo('p1', '2024-07-02')], nextCursor: null } },
      'POST /api/albums/al1/photos': { status: 404, body: { title: 'Album not found', status: 404, detail: 'This album was deleted.' } },
    });
    const user = userEvent.setup();
    renderAlbum();

    await user.click(await screen.findByRole('button', { name: 'Add photos' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('button', { name: /2 Jul 2024/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Add 1 photo' }));

    expect(await within(dialog).findByText(/This album was deleted/)).toBeInTheDocument();
    expect(within(dialog).getByText('1 photo chosen')).toBeInTheDocument();
  });
});

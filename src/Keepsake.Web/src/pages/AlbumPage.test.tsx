import { render, screen } from '@testing-library/react';
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

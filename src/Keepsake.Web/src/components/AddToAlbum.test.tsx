import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { AddToAlbum } from './AddToAlbum';

afterEach(() => vi.unstubAllGlobals());

const album = (id: string, name: string) => ({ id, name, photoCount: 0, coverPhotoId: null, coverThumbnailUrl: null, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z' });

describe('AddToAlbum', () => {
  it('adds the open photo to the album chosen and says so', async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch({
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'GET /api/albums': { body: [album('a1', 'Rome'), album('a2', 'Paris')] },
      'POST /api/albums/a2/photos': { body: album('a2', 'Paris') },
    });
    render(<MemoryRouter><AddToAlbum photoId="p1" /></MemoryRouter>);

    await user.click(screen.getByRole('button', { name: 'Add to album' }));
    await user.selectOptions(await screen.findByLabelText('Album'), 'Paris');
    await user.click(screen.getByRole('button', { name: 'Add' }));

    expect(await screen.findByRole('status')).toHaveTextContent('Added to Paris.');
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({ url: '/api/albums/a2/photos', body: { photoIds: ['p1'] } });
    expect(screen.queryByLabelText('Album')).not.toBeInTheDocument();
  });

  it('points to the Albums page when there is no album yet', async () => {
    const user = userEvent.setup();
    mockFetch({ 'GET /api/albums': { body: [] } });
    render(<MemoryRouter><AddToAlbum photoId="p1" /></MemoryRouter>);
    await user.click(screen.getByRole('button', { name: 'Add to album' }));
    expect(await screen.findByRole('link', { name: 'create one' })).toHaveAttribute('href', '/albums');
  });
});

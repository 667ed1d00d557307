import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import type { PhotoSummary } from '../api/models';
import { TrashPage } from './TrashPage';

afterEach(() => vi.unstubAllGlobals());

const p = (id: string, day: string): PhotoSummary => ({
  id, width: 300, height: 200, takenAt: `${day}T12:00:00`, timelineAt: `${day}T12:00:00Z`, thumbnailUrl: `/t/${id}`, thumbnails: [], previewUrl: `/p/${id}`,
  missing: false, favorite: false, archived: false,
});
const trashed = (id: string, day: string) => ({ photo: p(id, day), trashedAt: '2024-09-01T10:00:00Z', purgeAt: '2024-10-01T10:00:00Z' });

describe('TrashPage', () => {
  it('restores the selected photos, which leave the trash at once', async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch({
      'GET /api/trash': { body: { items: [trashed('a', '2024-08-02'), trashed('b', '2024-08-01')], nextCursor: null } },
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/trash/restore': { status: 204 },
    });
    render(<MemoryRouter><TrashPage /></MemoryRouter>);

    await user.click(await screen.findByRole('checkbox', { name: 'Select photo taken 2 Aug 2024, 12:00' }));
    await user.click(screen.getByRole('button', { name: 'Restore' }));

    expect(await screen.findByText(/Restored 1 photo\./)).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ photoIds: ['a'] });
    expect(screen.queryByRole('button', { name: /2 Aug 2024/ })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Photo taken 1 Aug 2024, 12:00' })).toBeInTheDocument();
  });

  it('empties the trash only after confirmation', async () => {
    const user = userEvent.setup();
    let emptied = false;
    const { calls } = mockFetch({
      'GET /api/trash': () => ({ body: { items: emptied ? [] : [trashed('a', '2024-08-02')], nextCursor: null } }),
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/trash/empty': () => {
        emptied = true;
        return { body: { deleted: 1 } };
      },
    });
    render(<MemoryRouter><TrashPage /></MemoryRouter>);

    await user.click(await screen.findByRole('button', { name: 'Empty trash' }));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Yes, empty the trash' }));

    expect(await screen.findByText('The trash is empty.', { selector: 'p.empty' })).toBeInTheDocument();
    expect(screen.getByText(/Deleted 1 photo for good\./)).toBeInTheDocument();
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/trash/empty']));
  });
});

import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { AdminPage } from './AdminPage';

afterEach(() => vi.unstubAllGlobals());

const user = (id: string, email: string) => ({ id, email, isAdmin: false, createdAt: '2026-01-01T10:00:00Z', disabled: false });

describe('AdminPage', () => {
  it('shows each user’s photos, those in the trash, and the storage their originals take', async () => {
    mockFetch({
      'GET /api/admin/users': { body: [user('u1', 'anna@example.com'), user('u2', 'ben@example.com')] },
      'GET /api/admin/usage': { body: [{ userId: 'u1', photos: 12, originalBytes: 3_500_000, photosInTrash: 2 }] },
    });
    render(<MemoryRouter><AdminPage /></MemoryRouter>);

    const anna = (await screen.findByRole('cell', { name: 'anna@example.com' })).closest('tr')!;
    const ben = screen.getByRole('cell', { name: 'ben@example.com' }).closest('tr')!;
    expect(within(anna).getAllByRole('cell').map((c) => c.textContent)).toEqual(
      expect.arrayContaining(['12 (2 in the trash)', expect.stringMatching(/^3\.\d MB$/)]));
    expect(within(ben).getAllByRole('cell').map((c) => c.textContent)).toEqual(expect.arrayContaining(['0', '0 B']));
  });
});

import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { AdminPage } from './AdminPage';

afterEach(() => vi.unstubAllGlobals());

/** The table row of a user (the address holds <wbr> break points, which jsdom's accessible names turn into spaces). */
const rowOf = (email: string) => screen.queryAllByRole('row').find((row) => row.querySelector('.email')?.textContent === email);
const findRowOf = (email: string) => waitFor(() => rowOf(email) ?? Promise.reject(new Error(`no row for ${email}`)));

const user = (id: string, email: string) => ({ id, email, isAdmin: false, createdAt: '2026-01-01T10:00:00Z', disabled: false });

describe('AdminPage', () => {
  it('shows each user’s photos, those in the trash, and the storage their originals take', async () => {
    mockFetch({
      'GET /api/admin/users': { body: [user('u1', 'anna@example.com'), user('u2', 'ben@example.com')] },
      'GET /api/admin/usage': { body: [{ userId: 'u1', photos: 12, originalBytes: 3_500_000, photosInTrash: 2 }] },
    });
    render(<MemoryRouter><AdminPage /></MemoryRouter>);

    const anna = await findRowOf('anna@example.com');
    const ben = rowOf('ben@example.com')!;
    expect(within(anna).getAllByRole('cell').map((c) => c.textContent)).toEqual(
      expect.arrayContaining(['12 (2 in the trash)', expect.stringMatching(/^3\.\d MB$/)]));
    expect(within(ben).getAllByRole('cell').map((c) => c.textContent)).toEqual(expect.arrayContaining(['0', '0 B']));
  });

  it('resets a user’s password from their Manage dialog and says what happened', async () => {
    const { calls } = mockFetch({
      'GET /api/admin/users': { body: [user('u1', 'anna@example.com')] },
      'GET /api/admin/usage': { body: [] },
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/admin/users/u1/password': { status: 204 },
    });
    render(<MemoryRouter><AdminPage /></MemoryRouter>);

    await userEvent.click(await screen.findByRole('button', { name: 'Manage anna@example.com' }));
    const dialog = screen.getByRole('dialog', { name: 'Manage anna@example.com' });
    await userEvent.type(within(dialog).getByLabelText('New password'), 'a fresh passphrase');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Set new password' }));

    expect(await within(dialog).findByRole('status')).toHaveTextContent('signed out everywhere');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ password: 'a fresh passphrase' });
  });

  it('erases a user only once confirmed, then drops them from the list', async () => {
    const { calls } = mockFetch({
      'GET /api/admin/users': { body: [user('u1', 'anna@example.com'), user('u2', 'ben@example.com')] },
      'GET /api/admin/usage': { body: [] },
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'DELETE /api/admin/users/u2': { status: 204 },
    });
    render(<MemoryRouter><AdminPage /></MemoryRouter>);

    await userEvent.click(await screen.findByRole('button', { name: 'Manage ben@example.com' }));
    await userEvent.click(screen.getByRole('button', { name: 'Erase account…' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Yes, erase for good' }));

    expect(await screen.findByText('Erased ben@example.com and everything they kept.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(rowOf('ben@example.com')).toBeUndefined();
    expect(rowOf('anna@example.com')).toBeDefined();
  });

  it('shows the server’s reason when the last admin may not stop being one', async () => {
    mockFetch({
      'GET /api/admin/users': { body: [{ ...user('u1', 'anna@example.com'), isAdmin: true }] },
      'GET /api/admin/usage': { body: [] },
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'PUT /api/admin/users/u1': { status: 409, body: { title: 'Last admin', status: 409, detail: 'This is the only enabled admin account.' } },
    });
    render(<MemoryRouter><AdminPage /></MemoryRouter>);

    await userEvent.click(await screen.findByRole('button', { name: 'Manage anna@example.com' }));
    const dialog = screen.getByRole('dialog', { name: 'Manage anna@example.com' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove administrator' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('This is the only enabled admin account.');
    expect(screen.getByRole('cell', { name: 'Administrator' })).toBeInTheDocument();
  });
});

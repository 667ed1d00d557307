import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthContext } from '../auth';
import { mockFetch } from '../test/fetchMock';
import type { User } from '../api/models';
import { AccountPage } from './AccountPage';

afterEach(() => vi.unstubAllGlobals());

const me: User = { id: 'u1', email: 'friend@example.com', isAdmin: false, createdAt: '2030-01-01T10:00:00Z', disabled: false };

function renderPage(setUser: (user: User | null) => void) {
  render(
    <AuthContext.Provider value={{ user: me, setUser }}>
      <MemoryRouter initialEntries={['/account']}>
        <Routes>
          <Route path="/account" element={<AccountPage />} />
          <Route path="/login" element={<p>Login page</p>} />
        </Routes>
      </MemoryRouter>
    </AuthContext.Provider>,
  );
}

describe('AccountPage', () => {
  it('deletes the account only once confirmed, with the password re-entered, then goes to the login page', async () => {
    const user = userEvent.setup();
    const setUser = vi.fn();
    const { calls } = mockFetch({
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/me/erase': { status: 204 },
    });
    renderPage(setUser);

    const erase = screen.getByRole('button', { name: 'Delete my account' });
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    expect(erase).toBeDisabled();
    await user.click(screen.getByRole('checkbox', { name: /erased for good/ }));
    await user.click(erase);

    expect(await screen.findByText('Login page')).toBeInTheDocument();
    expect(setUser).toHaveBeenCalledWith(null);
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({ password: 'correct horse battery' });
    expect(post.headers['x-xsrf-token']).toBe('tok');
  });

  it('says so and stays signed in when the password is wrong', async () => {
    const user = userEvent.setup();
    const setUser = vi.fn();
    mockFetch({
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/me/erase': { status: 403, body: { title: 'Wrong password', status: 403, detail: 'The password is not right; your account was not deleted.' } },
    });
    renderPage(setUser);

    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('checkbox', { name: /erased for good/ }));
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));

    expect(await screen.findByText(/your account was not deleted/)).toBeInTheDocument();
    expect(setUser).not.toHaveBeenCalled();
    expect(screen.getByRole('link', { name: 'Download my data' })).toHaveAttribute('href', '/api/me/export');
  });

  it('signs out everywhere, then goes to the login page', async () => {
    const user = userEvent.setup();
    const setUser = vi.fn();
    const { calls } = mockFetch({
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/auth/logout-everywhere': { status: 204 },
    });
    renderPage(setUser);

    await user.click(screen.getByRole('button', { name: 'Sign out everywhere' }));

    expect(await screen.findByText('Login page')).toBeInTheDocument();
    expect(setUser).toHaveBeenCalledWith(null);
    expect(calls.some((c) => c.method === 'POST' && c.url.endsWith('/api/auth/logout-everywhere'))).toBe(true);
  });
});

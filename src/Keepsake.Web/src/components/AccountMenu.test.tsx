import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../api/models';
import { AuthContext } from '../auth';
import { mockFetch } from '../test/fetchMock';
import { AccountMenu } from './AccountMenu';

afterEach(() => vi.unstubAllGlobals());

const member: User = { id: 'u2', email: 'grandma@example.com', isAdmin: false, createdAt: '2024-01-01T00:00:00Z', disabled: false };
const admin: User = { ...member, id: 'u1', email: 'owner@example.com', isAdmin: true };

function renderMenu(user: User, setUser = vi.fn()) {
  const Page = ({ name }: { name: string }) => (
    <>
      <AccountMenu user={user} />
      <p>{name}</p>
    </>
  );
  render(
    <AuthContext.Provider value={{ user, setUser }}>
      <MemoryRouter initialEntries={['/']}>
        <Routes>
          <Route path="/" element={<Page name="Photos page" />} />
          <Route path="/account" element={<Page name="Account page" />} />
          <Route path="/admin" element={<Page name="Admin page" />} />
          <Route path="/login" element={<p>Login page</p>} />
        </Routes>
      </MemoryRouter>
    </AuthContext.Provider>,
  );
  return setUser;
}

const avatar = (email: string) => screen.getByRole('button', { name: `Account menu for ${email}` });

describe('AccountMenu', () => {
  it('is a button with the initial that opens a menu of the e-mail, Account and Sign out, focused on its first item', async () => {
    const user = userEvent.setup();
    renderMenu(member);
    const button = avatar('grandma@example.com');
    expect(button).toHaveTextContent('G');
    expect(button).toHaveAttribute('aria-haspopup', 'menu');
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();

    await user.click(button);
    const menu = screen.getByRole('menu', { name: 'Signed in as grandma@example.com' });
    expect(button).toHaveAttribute('aria-expanded', 'true');
    expect(button).toHaveAttribute('aria-controls', menu.id);
    expect(menu).toHaveTextContent('grandma@example.com');
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Account', 'Sign out']);
    expect(screen.getByRole('menuitem', { name: 'Account' })).toHaveFocus();

    await user.click(screen.getByRole('menuitem', { name: 'Account' }));
    expect(screen.getByText('Account page')).toBeInTheDocument();
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
  });

  it('offers Admin to an administrator only', async () => {
    const user = userEvent.setup();
    renderMenu(admin);
    await user.click(avatar('owner@example.com'));
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Account', 'Admin', 'Sign out']);
    await user.click(screen.getByRole('menuitem', { name: 'Admin' }));
    expect(screen.getByText('Admin page')).toBeInTheDocument();
  });

  it('keeps the focus inside while open, moving with the arrows and Tab; Esc closes it and gives the focus back', async () => {
    const user = userEvent.setup();
    renderMenu(admin);
    avatar('owner@example.com').focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('menuitem', { name: 'Account' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: 'Admin' })).toHaveFocus();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: 'Account' })).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(screen.getByRole('menuitem', { name: 'Sign out' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('menuitem', { name: 'Account' })).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByRole('menuitem', { name: 'Sign out' })).toHaveFocus();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(avatar('owner@example.com')).toHaveFocus();
    expect(avatar('owner@example.com')).toHaveAttribute('aria-expanded', 'false');

    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: 'Account' })).toHaveFocus();
  });

  it('closes on a click outside it', async () => {
    const user = userEvent.setup();
    renderMenu(member);
    await user.click(avatar('grandma@example.com'));
    expect(screen.getByRole('menu')).toBeInTheDocument();
    await user.click(screen.getByText('Photos page'));
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
  });

  it('signs out through the API and goes to the login page', async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch({
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/auth/logout': { status: 204 },
    });
    const setUser = renderMenu(member);
    await user.click(avatar('grandma@example.com'));
    await user.click(screen.getByRole('menuitem', { name: 'Sign out' }));

    expect(await screen.findByText('Login page')).toBeInTheDocument();
    expect(setUser).toHaveBeenCalledWith(null);
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/auth/logout']);
  });

  it('says so when signing out fails, and stays signed in', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/auth/logout': { status: 503, body: { title: 'Service unavailable', status: 503 } },
    });
    const setUser = renderMenu(member);
    await user.click(avatar('grandma@example.com'));
    await user.click(screen.getByRole('menuitem', { name: 'Sign out' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not sign out');
    expect(setUser).not.toHaveBeenCalled();
    expect(screen.getByText('Photos page')).toBeInTheDocument();
  });
});

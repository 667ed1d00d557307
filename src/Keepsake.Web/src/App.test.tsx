import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { mockFetch } from './test/fetchMock';

afterEach(() => vi.unstubAllGlobals());

const owner = { id: 'u1', email: 'owner@example.com', isAdmin: true, createdAt: '2024-01-01T00:00:00Z' };

describe('App', () => {
  it('sends every visitor to the owner setup while it is needed', async () => {
    mockFetch({ 'GET /api/setup': { body: { needed: true } } });
    render(<MemoryRouter initialEntries={['/albums']}><App /></MemoryRouter>);
    expect(await screen.findByRole('button', { name: 'Create owner account' })).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toBeInTheDocument();
  });

  it('sends a 401 to the login page and returns to the page after logging in', async () => {
    const user = userEvent.setup();
    let signedIn = true;
    let expired = true;
    mockFetch({
      'GET /api/setup': { body: { needed: false } },
      'GET /api/auth/me': () => (signedIn ? { body: owner } : { status: 401 }),
      // The session ends between loading the app and loading the albums.
      'GET /api/albums': () => (expired ? { status: 401, body: { title: 'Unauthorized' } } : { body: [] }),
      'GET /api/antiforgery': { body: { token: 't', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/auth/login': () => {
        signedIn = true;
        expired = false;
        return { body: owner };
      },
    });
    render(<MemoryRouter initialEntries={['/albums']}><App /></MemoryRouter>);

    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Email'), 'owner@example.com');
    await user.type(screen.getByLabelText('Password'), 'pw');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Albums' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Account menu for owner@example.com' }));
    expect(screen.getByRole('menuitem', { name: 'Admin' })).toBeInTheDocument();
  });

  it('offers the Map page only while the map is on', async () => {
    const signedIn = { 'GET /api/setup': { body: { needed: false } }, 'GET /api/auth/me': { body: owner }, 'GET /api/albums': { body: [] } };
    mockFetch({ ...signedIn, 'GET /api/map/settings': { body: { enabled: false, tileUrl: null, attribution: null, attributionUrl: null } } });
    const off = render(<MemoryRouter initialEntries={['/map']}><App /></MemoryRouter>);
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Map' })).not.toBeInTheDocument();
    off.unmount();

    mockFetch({
      ...signedIn,
      'GET /api/map/settings': { body: { enabled: true, tileUrl: 'http://tiles.test/{z}/{x}/{y}.png', attribution: 'Test tiles', attributionUrl: null } },
      'GET /api/map/markers': { body: { markers: [], nextCursor: null } },
    });
    render(<MemoryRouter initialEntries={['/albums']}><App /></MemoryRouter>);
    await userEvent.setup().click(await screen.findByRole('link', { name: 'Map' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Map' })).toBeInTheDocument();
  });
});

import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import type { Share } from '../api/models';
import { ShareDialog } from './ShareDialog';

afterEach(() => vi.unstubAllGlobals());

describe('ShareDialog', () => {
  it('creates a link with expiry and password, shows the full URL to copy, and revokes', async () => {
    const user = userEvent.setup();
    let shares: Share[] = [];
    const { calls } = mockFetch({
      'GET /api/albums/al1/shares': () => ({ body: shares }),
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/albums/al1/shares': (call) => {
        const body = call.body as { expiresAt?: string; password?: string; includeLocation: boolean };
        const common = { expiresAt: body.expiresAt ?? null, hasPassword: !!body.password, createdAt: '2030-01-01T10:00:00Z', includeLocation: body.includeLocation };
        shares = [{ id: 's1', ...common, revokedAt: null, active: true }];
        return { status: 201, body: { id: 's1', token: 'TOKEN', url: '/s/TOKEN', ...common } };
      },
      'DELETE /api/shares/s1': () => {
        shares = [{ ...shares[0], revokedAt: '2030-01-02T10:00:00Z', active: false }];
        return { status: 204 };
      },
    });
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<ShareDialog albumId="al1" albumName="Beach" onClose={() => {}} />);

    const dialog = screen.getByRole('dialog', { name: 'Share album' });
    expect(await within(dialog).findByText('No links yet.')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('Expires'), '2031-06-30');
    await user.type(within(dialog).getByLabelText('Link password'), 'sunny days');
    expect(within(dialog).getByText(/at least 8 characters/)).toBeInTheDocument();
    expect(within(dialog).getByRole('checkbox', { name: 'Include location and camera details' })).not.toBeChecked();
    await user.click(within(dialog).getByRole('button', { name: 'Create link' }));

    const url = await within(dialog).findByRole('textbox', { name: 'New link' });
    expect(url).toHaveValue(`${window.location.origin}/s/TOKEN`);
    const post = calls.find((c) => c.method === 'POST')!;
    expect((post.body as { password: string }).password).toBe('sunny days');
    expect((post.body as { includeLocation: boolean }).includeLocation).toBe(false);
    expect(new Date((post.body as { expiresAt: string }).expiresAt).getFullYear()).toBe(2031);

    await user.click(within(dialog).getByRole('button', { name: 'Copy link' }));
    expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/s/TOKEN`);
    expect(await within(dialog).findByText('Link copied.')).toBeInTheDocument();

    const list = within(dialog).getByRole('list', { name: 'Share links' });
    await user.click(within(list).getByRole('button', { name: 'Revoke' }));
    expect(await within(list).findByText('Revoked')).toBeInTheDocument();
    expect(within(list).queryByRole('button', { name: 'Revoke' })).not.toBeInTheDocument();
    expect(calls.find((c) => c.method === 'DELETE')!.headers['x-xsrf-token']).toBe('tok');
  });

  it('includes location and camera details only when ticked, and says so in the list', async () => {
    const user = userEvent.setup();
    let shares: Share[] = [];
    const { calls } = mockFetch({
      'GET /api/albums/al1/shares': () => ({ body: shares }),
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/albums/al1/shares': (call) => {
        const body = call.body as { includeLocation: boolean };
        const common = { expiresAt: null, hasPassword: false, createdAt: '2030-01-01T10:00:00Z', includeLocation: body.includeLocation };
        shares = [{ id: 's2', ...common, revokedAt: null, active: true }];
        return { status: 201, body: { id: 's2', token: 'TOKEN2', url: '/s/TOKEN2', ...common } };
      },
    });
    render(<ShareDialog albumId="al1" albumName="Beach" onClose={() => {}} />);

    const dialog = screen.getByRole('dialog', { name: 'Share album' });
    await within(dialog).findByText('No links yet.');
    await user.click(within(dialog).getByRole('checkbox', { name: 'Include location and camera details' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create link' }));

    await within(dialog).findByRole('textbox', { name: 'New link' });
    expect((calls.find((c) => c.method === 'POST')!.body as { includeLocation: boolean }).includeLocation).toBe(true);
    const list = await within(dialog).findByRole('list', { name: 'Share links' });
    expect(within(list).getByText(/· location and camera/)).toBeInTheDocument();
    expect(within(dialog).getByRole('checkbox', { name: 'Include location and camera details' })).not.toBeChecked();
  });
});

import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceKey } from '../api/models';
import { mockFetch } from '../test/fetchMock';
import { DeviceKeysSection, pairingText } from './DeviceKeysSection';

afterEach(() => vi.unstubAllGlobals());

const antiforgery = { 'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } } };
const tablet: DeviceKey = { id: 'k1', name: 'Tablet', scope: 'read', createdAt: '2030-01-01T10:00:00Z', lastUsedAt: '2030-01-02T11:00:00Z' };
const oldPhone: DeviceKey = { id: 'k2', name: 'Old phone', scope: 'upload', createdAt: '2030-01-01T09:00:00Z', lastUsedAt: null };

describe('DeviceKeysSection', () => {
  it('lists each key with its name, scope, and when it was last used', async () => {
    mockFetch({ 'GET /api/auth/keys': { body: [tablet, oldPhone] } });
    render(<DeviceKeysSection />);

    const list = await screen.findByRole('list', { name: 'Device keys' });
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Tablet · Read only');
    expect(items[0]).toHaveTextContent(/last used .*2030/);
    expect(items[1]).toHaveTextContent('Old phone · Upload only');
    expect(items[1]).toHaveTextContent('never used');
  });

  it('creates a key with the chosen name and scope and shows it once, with a QR code of the server and the key', async () => {
    const user = userEvent.setup();
    const created = { id: 'k3', key: 'ks_0123456789abcdef0123456789abcdef_secretsecretsecretsecretsecretsecretsecr', name: "Anna's phone", scope: 'upload', createdAt: '2030-01-03T10:00:00Z' };
    let listed: DeviceKey[] = [];
    const { calls } = mockFetch({
      ...antiforgery,
      'GET /api/auth/keys': () => ({ body: listed }),
      'POST /api/auth/keys': () => {
        listed = [{ id: created.id, name: created.name, scope: created.scope, createdAt: created.createdAt, lastUsedAt: null }];
        return { status: 201, body: created };
      },
    });
    render(<DeviceKeysSection />);
    expect(await screen.findByText('No device keys yet.')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Device name'), "Anna's phone");
    await user.selectOptions(screen.getByLabelText('What it may do'), 'upload');
    await user.click(screen.getByRole('button', { name: 'Create key' }));

    const shown = await screen.findByRole('region', { name: 'New device key' });
    expect(within(shown).getByLabelText("Key for Anna's phone")).toHaveValue(created.key);
    expect(within(shown).getByLabelText('Server')).toHaveValue(window.location.origin);
    const qr = within(shown).getByRole('img', { name: /QR code/ });
    expect(qr.tagName.toLowerCase()).toBe('svg');
    expect(qr.querySelector('path')?.getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    expect(qr.getAttribute('style')).toBeNull();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: "Anna's phone", scope: 'upload' });
    expect(await screen.findByRole('list', { name: 'Device keys' })).toHaveTextContent("Anna's phone");

    await user.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByDisplayValue(created.key)).not.toBeInTheDocument();
  });

  it('shows the server problem when a key is refused', async () => {
    const user = userEvent.setup();
    mockFetch({
      ...antiforgery,
      'GET /api/auth/keys': { body: [] },
      'POST /api/auth/keys': {
        status: 400,
        body: { title: 'Invalid device key name', status: 400, errors: { name: ['A device key needs a name of 1 to 100 characters.'] } },
      },
    });
    render(<DeviceKeysSection />);

    await user.type(screen.getByLabelText('Device name'), ' ');
    await user.click(screen.getByRole('button', { name: 'Create key' }));

    expect(await screen.findByText(/1 to 100 characters/)).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'New device key' })).not.toBeInTheDocument();
  });

  it('revokes a key only once confirmed', async () => {
    const user = userEvent.setup();
    let listed = [tablet, oldPhone];
    const { calls } = mockFetch({
      ...antiforgery,
      'GET /api/auth/keys': () => ({ body: listed }),
      'DELETE /api/auth/keys/k1': () => {
        listed = [oldPhone];
        return { status: 204 };
      },
    });
    render(<DeviceKeysSection />);

    await user.click(await screen.findByRole('button', { name: 'Revoke Tablet' }));
    await user.click(within(screen.getByRole('group', { name: 'Confirm revoking Tablet' })).getByRole('button', { name: 'Cancel' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Revoke Tablet' }));
    await user.click(within(screen.getByRole('group', { name: 'Confirm revoking Tablet' })).getByRole('button', { name: 'Yes, revoke' }));

    await screen.findByRole('button', { name: 'Revoke Old phone' });
    expect(screen.queryByText('Tablet')).not.toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/auth/keys/k1']);
  });

  it('puts the server address and the key into the QR code as JSON', () => {
    expect(JSON.parse(pairingText('https://photos.example', 'ks_abc'))).toEqual({ server: 'https://photos.example', key: 'ks_abc' });
  });
});

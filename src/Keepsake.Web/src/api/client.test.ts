import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, setUnauthorizedHandler } from './api';
import { mockFetch } from './test/fetchMock';

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(null);
});

describe('api client', () => {
  it('fetches an antiforgery token and sends it on writes', async () => {
    let n = 0;
    const { calls } = mockFetch({
      'GET /api/antiforgery': () => ({ body: { token: `tok-${++n}`, headerName: 'X-XSRF-TOKEN' } }),
      'POST /api/albums': { status: 201, body: { id: 'a1', name: 'Trip' } },
      'DELETE /api/albums/a1': { status: 204 },
    });
    await expect(api('/api/albums', { method: 'POST', body: { name: 'Trip' } })).resolves.toEqual({ id: 'a1', name: 'Trip' });
    await expect(api('/api/albums/a1', { method: 'DELETE' })).resolves.toBeUndefined();

    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.headers['X-XSRF-TOKEN']).toBe('tok-1');
    expect(post.headers['Content-Type']).toBe('application/json');
    expect(post.body).toEqual({ name: 'Trip' });
    // A fresh token before each write: the cookie pair changes on login and logout.
    expect(calls.find((c) => c.method === 'DELETE')!.headers['X-XSRF-TOKEN']).toBe('tok-2');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/antiforgery', 'POST /api/albums', 'GET /api/antiforgery', 'DELETE /api/albums/a1',
    ]);
  });

  it('does not fetch a token for reads', async () => {
    const { calls } = mockFetch({ 'GET /api/albums': { body: [] } });
    await api('/api/albums');
    expect(calls).toHaveLength(1);
    expect(calls[0].headers['X-XSRF-TOKEN']).toBeUndefined();
  });

  it('calls the unauthorized handler on 401 and rejects with the problem detail', async () => {
    mockFetch({ 'GET /api/photos': { status: 401, body: { title: 'Unauthorized', status: 401, detail: 'Sign in again.' } } });
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    const error = await api('/api/photos').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).message).toBe('Sign in again.');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('leaves an expected 401 (login, share links) to the caller', async () => {
    mockFetch({
      'GET /api/antiforgery': { body: { token: 't', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/auth/login': { status: 401, body: { title: 'Login failed', detail: 'The e-mail address or password is not right.' } },
    });
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    await expect(api('/api/auth/login', { method: 'POST', body: {}, allowUnauthorized: true })).rejects.toThrow('The e-mail address or password is not right.');
    expect(handler).not.toHaveBeenCalled();
  });

  it('uses validation errors or the title when a problem has no detail', async () => {
    mockFetch({
      'GET /api/antiforgery': { body: { token: 't', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/albums': { status: 400, body: { title: 'Invalid album name', errors: { name: ['An album needs a name of 1 to 200 characters.'] } } },
      'GET /api/albums': { status: 500, body: { title: 'Something broke' } },
    });
    await expect(api('/api/albums', { method: 'POST', body: { name: '' } })).rejects.toThrow('An album needs a name of 1 to 200 characters.');
    await expect(api('/api/albums')).rejects.toThrow('Something broke');
  });
});

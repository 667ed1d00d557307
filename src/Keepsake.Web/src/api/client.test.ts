import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { client, linkTo, setUnauthorizedHandler, unwrap } from './client';
import { api } from './endpoints';
import { ApiError } from './problem';

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(null);
});

describe('the API client', () => {
  it('sends a fresh antiforgery token on every write, under the header name the server gives', async () => {
    let n = 0;
    const { calls } = mockFetch({
      'GET /api/antiforgery': () => ({ body: { token: `tok-${++n}`, headerName: 'X-XSRF-TOKEN' } }),
      'POST /api/albums': { status: 201, body: { id: 'a1', name: 'Trip' } },
      'DELETE /api/albums/a1': { status: 204 },
    });

    await expect(api.albums.create('Trip')).resolves.toEqual({ id: 'a1', name: 'Trip' });
    await expect(api.albums.delete('a1')).resolves.toBeUndefined();

    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.headers['x-xsrf-token']).toBe('tok-1');
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.body).toEqual({ name: 'Trip' });
    // A fresh token before each write: the cookie pair changes on login and logout.
    expect(calls.find((c) => c.method === 'DELETE')!.headers['x-xsrf-token']).toBe('tok-2');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/antiforgery', 'POST /api/albums', 'GET /api/antiforgery', 'DELETE /api/albums/a1',
    ]);
  });

  it('asks for no token on reads, and fills in path and query from the typed parameters', async () => {
    const { calls } = mockFetch({ 'GET /api/albums/a%2F1/photos': { body: { items: [], nextCursor: null } } });

    await api.albums.photos('a/1')('c1');

    expect(calls.map((c) => c.url)).toEqual(['/api/albums/a%2F1/photos?cursor=c1']);
    expect(calls[0].headers['x-xsrf-token']).toBeUndefined();
  });

  it('turns a validation problem into an ApiError with its title, detail and field errors', async () => {
    mockFetch({
      'GET /api/antiforgery': { body: { token: 't', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/albums': { status: 400, body: { title: 'Invalid album name', status: 400, errors: { name: ['An album needs a name of 1 to 200 characters.'] } } },
    });

    const error = await api.albums.create('').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      title: 'Invalid album name',
      detail: undefined,
      fieldErrors: { name: ['An album needs a name of 1 to 200 characters.'] },
      message: 'An album needs a name of 1 to 200 characters.',
    });
  });

  it('uses the detail, then the title, then the status for the message', async () => {
    mockFetch({
      'GET /api/albums': { status: 500, body: { title: 'Something broke' } },
      'GET /api/albums/a1': { status: 404, body: { title: 'Album not found', detail: 'No album a1 of yours.' } },
    });
    vi.mocked(fetch).mockImplementationOnce(async () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));

    await expect(api.albums.list()).rejects.toThrow('The request failed (502 Bad Gateway).');
    await expect(api.albums.list()).rejects.toThrow('Something broke');
    await expect(api.albums.get('a1')).rejects.toThrow('No album a1 of yours.');
  });

  it('calls the unauthorized handler on a 401 from a signed-in request', async () => {
    mockFetch({ 'GET /api/photos': { status: 401, body: { title: 'Unauthorized', status: 401, detail: 'Sign in again.' } } });
    const handler = vi.fn();
    setUnauthorizedHandler(handler);

    await expect(api.photos.pages('timeline')(null)).rejects.toMatchObject({ status: 401, message: 'Sign in again.' });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('leaves an expected 401 (login, share links) to the caller', async () => {
    mockFetch({
      'GET /api/antiforgery': { body: { token: 't', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/auth/login': { status: 401, body: { title: 'Login failed', detail: 'The e-mail address or password is not right.' } },
    });
    const handler = vi.fn();
    setUnauthorizedHandler(handler);

    await expect(api.auth.login({ email: 'a@example.com', password: 'x' })).rejects.toThrow('The e-mail address or password is not right.');
    expect(handler).not.toHaveBeenCalled();
  });

  it('reports an unreachable server as an ApiError with status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));

    await expect(unwrap(client.GET('/api/setup'))).rejects.toMatchObject({ status: 0, message: expect.stringContaining('Could not reach the Keepsake server') });
  });

  it('says the device is offline when the browser knows it is', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);

    await expect(unwrap(client.GET('/api/setup'))).rejects.toMatchObject({ status: 0, message: 'This device is offline. Keepsake works again once it is back online.' });
    vi.restoreAllMocks();
  });

  it('builds links for the browser to follow itself, with path parameters encoded', () => {
    expect(linkTo('/api/me/export')).toBe('/api/me/export');
    expect(linkTo('/api/photos/{id}/{variant}', { id: 'p 1', variant: 'original' })).toBe('/api/photos/p%201/original');
  });
});

import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch, type Call } from '../test/fetchMock';
import type { PhotoSummary } from '../api/models';
import { TimelinePage } from './TimelinePage';

afterEach(() => vi.unstubAllGlobals());

const p = (id: string, day: string): PhotoSummary => ({
  id, width: 300, height: 200, takenAt: `${day}T12:00:00`, timelineAt: `${day}T12:00:00Z`, thumbnailUrl: `/api/photos/${id}/thumbnail`, thumbnails: [], previewUrl: `/api/photos/${id}/preview`, missing: false, favorite: false, archived: false,
});

/** The server's month buckets and its ?month= pages over these photos (newest first), as one pair of routes. */
function timeline(photos: () => PhotoSummary[]) {
  const monthOf = (photo: PhotoSummary) => photo.timelineAt.slice(0, 7);
  return {
    'GET /api/timeline/buckets': () => {
      const counts = new Map<string, number>();
      photos().forEach((photo) => counts.set(monthOf(photo), (counts.get(monthOf(photo)) ?? 0) + 1));
      return { body: [...counts].map(([month, count]) => ({ month, count })) };
    },
    'GET /api/photos': (call: Call) => {
      const month = new URL(call.url, 'http://x').searchParams.get('month');
      return { body: { items: photos().filter((photo) => monthOf(photo) === month), nextCursor: null } };
    },
  };
}

describe('TimelinePage', () => {
  it('loads the months of the timeline by their buckets and adds the selected photos to an album', async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch({
      ...timeline(() => [p('a', '2024-08-02'), p('b', '2024-08-01'), p('c', '2024-07-30')]),
      'GET /api/albums': { body: [{ id: 'al1', name: 'Beach', photoCount: 0, coverPhotoId: null, coverThumbnailUrl: null, createdAt: '', updatedAt: '' }] },
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'POST /api/albums/al1/photos': { body: { id: 'al1', name: 'Beach', photoCount: 2 } },
    });
    render(<MemoryRouter><TimelinePage /></MemoryRouter>);

    expect(await screen.findByRole('button', { name: 'Photo taken 2 Aug 2024, 12:00' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Photo taken 30 Jul 2024, 12:00' })).toBeInTheDocument();
    expect(calls.filter((c) => c.url.startsWith('/api/photos?')).map((c) => new URL(c.url, 'http://x').searchParams.get('month')).sort()).toEqual(['2024-07', '2024-08']);
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent).filter((t) => /^\w+ 2024$/.test(t ?? ''))).toEqual(['August 2024', 'July 2024']);
    expect(screen.getAllByRole('heading', { level: 3 }).filter((h) => /2024/.test(h.textContent ?? ''))).toHaveLength(3);

    await user.click(screen.getByRole('checkbox', { name: 'Select photo taken 2 Aug 2024, 12:00' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select photo taken 30 Jul 2024, 12:00' }));
    expect(screen.getByText('2 selected')).toBeInTheDocument();
    expect(await screen.findByRole('option', { name: 'Beach' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add to album' }));

    expect(await screen.findByText(/Added 2 photos to Beach\./)).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({ photoIds: ['a', 'c'] });
    expect(post.headers['x-xsrf-token']).toBe('tok');
    expect(screen.queryByText('2 selected')).not.toBeInTheDocument();
  });
});

describe('TimelinePage opened by a link to a photo', () => {
  it('says so when the linked photo is not in the timeline, and leaves the link', async () => {
    mockFetch({ ...timeline(() => [p('a', '2024-08-02')]), 'GET /api/albums': { body: [] } });
    render(<MemoryRouter initialEntries={['/?photo=gone']}><TimelinePage /></MemoryRouter>);

    expect(await screen.findByText('The photo of that link is not in your timeline.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog', { name: 'Photo viewer' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Photo taken 2 Aug 2024, 12:00' })).toBeInTheDocument();
  });
});

describe('TimelinePage with expired file links', () => {
  it('loads the photos shown again for fresh signed URLs when a thumbnail fails, at most once a minute', async () => {
    let round = 0;
    const signed = (id: string, day: string): PhotoSummary => ({ ...p(id, day), thumbnailUrl: `/api/files/o/${id}/thumbnail/c?expires=${round}&sig=s` });
    const { calls } = mockFetch({
      ...timeline(() => [signed('a', '2024-08-02'), signed('b', '2024-08-01')]),
      'GET /api/albums': { body: [] },
    });
    const { container } = render(<MemoryRouter><TimelinePage /></MemoryRouter>);
    expect(await screen.findByRole('button', { name: 'Photo taken 1 Aug 2024, 12:00' })).toBeInTheDocument();
    const pagesAsked = () => calls.filter((c) => c.url.startsWith('/api/photos')).length;
    const thumbnails = () => [...container.querySelectorAll('img')].map((img) => img.getAttribute('src'));
    expect(pagesAsked()).toBe(1);

    round = 1;
    fireEvent.error(container.querySelector('img')!);

    await waitFor(() => expect(thumbnails()).toEqual(['/api/files/o/a/thumbnail/c?expires=1&sig=s', '/api/files/o/b/thumbnail/c?expires=1&sig=s']));
    expect(pagesAsked()).toBe(2);
    fireEvent.error(container.querySelector('img')!);
    expect(pagesAsked()).toBe(2);
  });
});

describe('TimelinePage views', () => {
  it('lists the favourites, and a photo taken out of them leaves the view at once', async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch({
      ...timeline(() => [{ ...p('a', '2024-08-02'), favorite: true }, { ...p('b', '2024-08-01'), favorite: true }]),
      'GET /api/albums': { body: [] },
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'DELETE /api/photos/a/favorite': { status: 204 },
    });
    render(<MemoryRouter><TimelinePage view="favorites" /></MemoryRouter>);

    expect(await screen.findByRole('heading', { level: 1, name: 'Favourites' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Photo taken 2 Aug 2024, 12:00, favourite' })).toBeInTheDocument();
    expect(screen.queryByText(/Drop some photos/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('checkbox', { name: 'Select photo taken 2 Aug 2024, 12:00, favourite' }));
    await user.click(screen.getByRole('button', { name: 'Remove from favourites' }));

    expect(await screen.findByText(/Removed 1 photo from your favourites\./)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/photos/a/favorite']);
    expect(screen.queryByRole('button', { name: /2 Aug 2024/ })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Photo taken 1 Aug 2024, 12:00, favourite' })).toBeInTheDocument();
  });

  it('marks a photo a favourite from the viewer, and archiving it takes it out of the timeline', async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch({
      ...timeline(() => [p('a', '2024-08-02'), p('b', '2024-08-01')]),
      'GET /api/photos/a': { body: { ...p('a', '2024-08-02'), fileName: 'a.jpg', format: 'jpeg', sizeBytes: 1, orientation: 1, uploadedAt: '2024-08-02T12:00:00Z', camera: null, location: null, originalUrl: '/api/photos/a/original' } },
      'GET /api/weather/photos': { body: [] },
      'GET /api/antiforgery': { body: { token: 'tok', headerName: 'X-XSRF-TOKEN' } },
      'PUT /api/photos/a/favorite': { status: 204 },
      'PUT /api/photos/a/archive': { status: 204 },
    });
    render(<MemoryRouter><TimelinePage /></MemoryRouter>);
    await user.click(await screen.findByRole('button', { name: 'Photo taken 2 Aug 2024, 12:00' }));
    await screen.findByRole('heading', { name: 'a.jpg' });

    await user.click(screen.getByRole('button', { name: 'Add to favourites' }));
    expect(await screen.findByRole('button', { name: 'Favourite', pressed: true })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Archive' }));

    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT').map((c) => c.url)).toEqual(['/api/photos/a/favorite', '/api/photos/a/archive']));
    await user.click(await screen.findByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('button', { name: /2 Aug 2024/ })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Photo taken 1 Aug 2024, 12:00' })).toBeInTheDocument();
  });
});

describe('TimelinePage memories', () => {
  it('shows the photos of this day in earlier years above the timeline, and opens them', async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch({
      ...timeline(() => [p('a', '2024-08-02')]),
      'GET /api/memories': { body: { date: '2026-08-24', years: [{ year: 2002, yearsAgo: 24, photos: [p('m1', '2002-08-24'), p('m2', '2002-08-24')] }] } },
      'GET /api/photos/m2': { body: { ...p('m2', '2002-08-24'), fileName: 'm2.jpg', format: 'jpeg', sizeBytes: 1, orientation: 1, uploadedAt: '2024-08-02T12:00:00Z', camera: null, location: null, originalUrl: '/api/photos/m2/original' } },
      'GET /api/weather/photos': { body: [] },
    });
    render(<MemoryRouter><TimelinePage /></MemoryRouter>);

    const strip = await screen.findByRole('region', { name: 'On this day' });
    expect(strip).toHaveTextContent('24 years ago · 2002');
    await user.click(screen.getByRole('button', { name: 'Photo of 2002, 2 of 2' }));

    expect(await screen.findByRole('heading', { name: 'm2.jpg' })).toBeInTheDocument();
    expect(calls.find((c) => c.url.startsWith('/api/memories'))!.url).toMatch(/^\/api\/memories\?date=\d{4}-\d\d-\d\d$/);
  });

  it('shows nothing when no earlier year has photos of this day', async () => {
    mockFetch({
      ...timeline(() => [p('a', '2024-08-02')]),
      'GET /api/memories': { body: { date: '2026-08-24', years: [] } },
      'GET /api/weather/photos': { body: [] },
    });
    render(<MemoryRouter><TimelinePage /></MemoryRouter>);

    expect(await screen.findByRole('button', { name: 'Photo taken 2 Aug 2024, 12:00' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'On this day' })).not.toBeInTheDocument();
  });
});

import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import type { PhotoSummary, PlaceSummary } from '../api/models';
import { PlacePhotosPage, PlacesPage } from './PlacesPage';

afterEach(() => vi.unstubAllGlobals());

const photo = (id: string, day = '2024-08-01'): PhotoSummary => ({
  id, width: 300, height: 200, takenAt: `${day}T12:00:00`, timelineAt: `${day}T12:00:00Z`, thumbnailUrl: `/t/${id}`, thumbnails: [], previewUrl: `/p/${id}`,
  missing: false, favorite: false, archived: false,
});

const place = (countryCode: string, country: string, city: string, region: string | null, count: number): PlaceSummary => ({
  countryCode, country, city, region, count, cover: photo(`${city}-cover`),
});

function renderAt(url: string) {
  render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path="/places" element={<PlacesPage />} />
        <Route path="/places/photos" element={<PlacePhotosPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('PlacesPage', () => {
  it('groups the places by country with their counts and covers, and loads more places on request', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/places': { body: { items: [place('FR', 'France', 'Paris', 'Île-de-France', 3), place('IT', 'Italy', 'Milan', 'Lombardy', 1)], nextCursor: 'next' } },
      'GET /api/places?cursor=next': { body: { items: [place('IT', 'Italy', 'Rome', 'Lazio', 2)], nextCursor: null } },
    });
    renderAt('/places');

    const france = await screen.findByRole('region', { name: /France/ });
    expect(within(france).getByRole('heading', { level: 2 })).toHaveTextContent('France 3 photos');
    expect(within(france).getByRole('link', { name: /Paris/ })).toHaveAttribute('href', '/places/photos?country=FR&city=Paris&region=%C3%8Ele-de-France');
    expect(within(france).getByRole('link', { name: /Paris/ }).querySelector('img')).toHaveAttribute('src', '/t/Paris-cover');

    await user.click(screen.getByRole('button', { name: 'More places' }));

    const italy = await screen.findByRole('region', { name: /Italy/ });
    expect(await within(italy).findByRole('link', { name: /Rome/ })).toHaveTextContent('Lazio · 2 photos');
    expect(within(italy).getByRole('heading', { level: 2 })).toHaveTextContent('Italy 3 photos');
    expect(screen.getAllByRole('heading', { level: 2 })).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'More places' })).not.toBeInTheDocument();
  });

  it('says so when no photo has a place yet', async () => {
    mockFetch({ 'GET /api/places': { body: { items: [], nextCursor: null } } });
    renderAt('/places');

    expect(await screen.findByText(/No places yet/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'GeoNames' })).toHaveAttribute('href', 'https://www.geonames.org/');
  });

  it('shows the photos of one place in the grid', async () => {
    const { calls } = mockFetch({
      'GET /api/places/photos': { body: { items: [photo('a', '2024-08-02'), photo('b', '2024-08-01')], nextCursor: null } },
    });
    renderAt('/places/photos?country=IT&city=Rome&region=Lazio');

    expect(await screen.findByRole('heading', { level: 1, name: 'Rome' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Photo taken 2 Aug 2024, 12:00' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Photo taken 1 Aug 2024, 12:00' })).toBeInTheDocument();
    const query = new URLSearchParams(calls[0].url.split('?')[1]);
    expect([query.get('country'), query.get('city'), query.get('region')]).toEqual(['IT', 'Rome', 'Lazio']);
  });
});

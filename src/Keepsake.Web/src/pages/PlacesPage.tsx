import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, type PlaceRef } from '../api/endpoints';
import type { PlaceSummary } from '../api/models';
import { ErrorMessage } from '../components/ErrorMessage';
import { PhotoGrid } from '../components/PhotoGrid';
import { Viewer } from '../components/Viewer';
import { ImageIcon } from '../icons';
import { usePhotoPages } from '../usePhotoPages';
import { useOpenPhoto } from '../useOpenPhoto';

interface CountryGroup {
  code: string;
  name: string;
  count: number;
  places: PlaceSummary[];
}

/** The places as they come (by country, then city), gathered under their countries. */
function byCountry(places: PlaceSummary[]): CountryGroup[] {
  const groups: CountryGroup[] = [];
  for (const place of places) {
    let group = groups.at(-1);
    if (group?.code !== place.countryCode) {
      group = { code: place.countryCode, name: place.country, count: 0, places: [] };
      groups.push(group);
    }
    group.count += place.count;
    group.places.push(place);
  }
  return groups;
}

const photoCount = (count: number) => `${count} ${count === 1 ? 'photo' : 'photos'}`;

function placeLink(place: PlaceSummary): string {
  const query = new URLSearchParams({ country: place.countryCode, city: place.city });
  if (place.region) query.set('region', place.region);
  return `/places/photos?${query.toString()}`;
}

/** Where the photos were taken: each country with its towns and cities, a cover and a count each. */
export function PlacesPage() {
  const [places, setPlaces] = useState<PlaceSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback((from: string | null) => {
    setLoading(true);
    setError(null);
    api.places.page(from).then(
      (page) => {
        setPlaces((prev) => (from === null ? page.items : [...prev, ...page.items]));
        setCursor(page.nextCursor);
        setLoaded(true);
      },
      setError,
    ).finally(() => setLoading(false));
  }, []);

  useEffect(() => load(null), [load]);

  // Signed thumbnail URLs expire: a cover that fails loads the places again, with fresh URLs.
  const refreshCovers = useCallback(() => {
    if (!loading) load(null);
  }, [load, loading]);

  const countries = useMemo(() => byCountry(places), [places]);

  return (
    <section className="page">
      <div className="page-head">
        <h1>Places</h1>
      </div>
      <ErrorMessage error={error} what="Could not load your places" onRetry={() => load(places.length === 0 ? null : cursor)} />
      {!loaded && !error ? <p className="muted" role="status">Loading places…</p> : null}
      {loaded && places.length === 0 ? (
        <p className="empty">No places yet. Photos taken with the location on are gathered here by the town they were taken in.</p>
      ) : null}
      {countries.map((country) => (
        <section key={country.code} aria-labelledby={`country-${country.code}`} className="place-country">
          <h2 id={`country-${country.code}`}>
            {country.name} <span className="muted small">{photoCount(country.count)}</span>
          </h2>
          <ul className="album-grid" role="list">
            {country.places.map((place) => (
              <li key={`${place.city}\u001f${place.region ?? ''}`}>
                <Link to={placeLink(place)} className="album-card">
                  <span className="album-cover">
                    {place.cover.missing ? <ImageIcon /> : <img src={place.cover.thumbnailUrl} alt="" loading="lazy" onError={refreshCovers} />}
                  </span>
                  <span className="album-name">{place.city}</span>
                  <span className="muted small">
                    {place.region ? `${place.region} · ` : ''}
                    {photoCount(place.count)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {cursor && !error ? (
        <p>
          <button type="button" className="button" onClick={() => load(cursor)} disabled={loading}>
            {loading ? 'Loading…' : 'More places'}
          </button>
        </p>
      ) : null}
      <p className="muted small">
        Place names © <a href="https://www.geonames.org/" target="_blank" rel="noopener noreferrer">GeoNames</a>,{' '}
        <a href="https://creativecommons.org/licenses/by/4.0/" target="_blank" rel="noopener noreferrer">CC BY 4.0</a>, named on this server.
      </p>
    </section>
  );
}

/** The photos of one place (`?country=IT&city=Rome&region=Lazio`), in the grid and viewer the timeline uses. */
export function PlacePhotosPage() {
  const [params] = useSearchParams();
  const country = params.get('country') ?? '';
  const city = params.get('city') ?? '';
  const region = params.get('region');
  const place: PlaceRef = useMemo(() => ({ country, city, region }), [country, city, region]);
  const pages = usePhotoPages(useMemo(() => api.places.photos(place), [place]));
  const [open, setOpen, leaveViewer] = useOpenPhoto(pages.items);

  async function onDelete(photoId: string) {
    await api.photos.delete(photoId);
    leaveViewer([photoId]);
    pages.remove(photoId);
  }

  return (
    <section className="page">
      <p className="crumb"><Link to="/places">← Places</Link></p>
      <div className="page-head">
        <h1>{city}</h1>
      </div>
      {region ? <p className="muted">{region}</p> : null}
      <ErrorMessage error={pages.error} what="Could not load the photos of this place" onRetry={pages.reload} />
      {!pages.loading && !pages.error && pages.items.length === 0 ? <p className="empty">No photos of this place.</p> : null}
      <PhotoGrid items={pages.items} onOpen={setOpen} hasMore={pages.hasMore} loading={pages.loading} onLoadMore={pages.loadMore} canLoad={!pages.error} onImageError={pages.refreshLinks} />
      {open !== null && pages.items[open] ? (
        <Viewer
          items={pages.items}
          index={open}
          onIndexChange={setOpen}
          onClose={() => setOpen(null)}
          loadDetails={api.photos.get}
          onDelete={onDelete}
          onDescribe={api.photos.describe}
          onImageError={pages.refreshLinks}
        />
      ) : null}
    </section>
  );
}

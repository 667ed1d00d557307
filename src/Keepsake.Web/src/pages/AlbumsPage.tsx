import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../api/endpoints';
import type { Album } from '../api/models';
import { ErrorMessage } from '../components/ErrorMessage';
import { FormFields } from '../components/FormFields';
import { ImageIcon } from '../icons';
import { useFormSubmit } from '../useFormSubmit';
import { LINK_REFRESH_INTERVAL_MS } from '../usePhotoPages';

export function AlbumsPage() {
  const [albums, setAlbums] = useState<Album[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [name, setName] = useState('');
  const navigate = useNavigate();
  const coversRefreshed = useRef(Number.NEGATIVE_INFINITY);

  /** A cover failed to load: its signed URL may have expired, so the list is read again for fresh ones. */
  function refreshCovers() {
    if (Date.now() - coversRefreshed.current < LINK_REFRESH_INTERVAL_MS) return;
    coversRefreshed.current = Date.now();
    setAttempt((a) => a + 1);
  }

  useEffect(() => {
    setError(null);
    api.albums.list().then(setAlbums, setError);
  }, [attempt]);

  const form = useFormSubmit(
    () => api.albums.create(name.trim()),
    (album) => navigate(`/albums/${album.id}`),
  );

  return (
    <section className="page">
      <div className="page-head">
        <h1>Albums</h1>
      </div>
      <form className="inline-form card" onSubmit={form.onSubmit}>
        <FormFields form={form}>
          <label htmlFor="new-album">New album</label>
          <input id="new-album" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="Summer 2024" aria-invalid={form.invalid('name')} />
          <button type="submit" className="button primary">
            {form.submitting ? 'Creating…' : 'Create album'}
          </button>
          <ErrorMessage error={form.error} what="Could not create the album" />
        </FormFields>
      </form>
      <ErrorMessage error={error} what="Could not load your albums" onRetry={() => setAttempt((a) => a + 1)} />
      {albums === null && !error ? <p className="muted" role="status">Loading albums…</p> : null}
      {albums && albums.length === 0 ? <p className="empty">No albums yet. Give your first one a name above.</p> : null}
      {albums && albums.length > 0 ? (
        <ul className="album-grid" role="list">
          {albums.map((album) => (
            <li key={album.id}>
              <Link to={`/albums/${album.id}`} className="album-card">
                <span className="album-cover">
                  {album.coverThumbnailUrl ? <img src={album.coverThumbnailUrl} alt="" loading="lazy" onError={refreshCovers} /> : <ImageIcon />}
                </span>
                <span className="album-name" title={album.name}>{album.name}</span>
                <span className="muted small">
                  {album.photoCount} {album.photoCount === 1 ? 'photo' : 'photos'}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

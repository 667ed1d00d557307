import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { ImageIcon } from '../icons';
import type { Album } from '../types';

export function AlbumsPage() {
  const [albums, setAlbums] = useState<Album[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>(null);
  const navigate = useNavigate();

  useEffect(() => {
    setError(null);
    api<Album[]>('/api/albums').then(setAlbums, setError);
  }, [attempt]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setCreating(true);
    setCreateError(null);
    try {
      const album = await api<Album>('/api/albums', { method: 'POST', body: { name: name.trim() } });
      navigate(`/albums/${album.id}`);
    } catch (err) {
      setCreateError(err);
      setCreating(false);
    }
  }

  return (
    <section className="page">
      <div className="page-head">
        <h1>Albums</h1>
      </div>
      <form className="inline-form card" onSubmit={create}>
        <label htmlFor="new-album">New album</label>
        <input id="new-album" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="Summer 2024" />
        <button type="submit" className="button primary" disabled={creating}>
          {creating ? 'Creating…' : 'Create album'}
        </button>
        <ErrorMessage error={createError} what="Could not create the album" />
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
                  {album.coverThumbnailUrl ? <img src={album.coverThumbnailUrl} alt="" loading="lazy" /> : <ImageIcon />}
                </span>
                <span className="album-name">{album.name}</span>
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

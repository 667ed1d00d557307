import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/endpoints';
import type { Album } from '../api/models';
import { useFormSubmit } from '../useFormSubmit';
import { ErrorMessage } from './ErrorMessage';
import { FormFields } from './FormFields';

/**
 * The viewer's "Add to album" for one photo: the button opens a choice of the user's albums (asked for then), and says
 * which album took the photo.
 */
export function AddToAlbum({ photoId }: { photoId: string }) {
  const [choosing, setChoosing] = useState(false);
  const [albums, setAlbums] = useState<Album[] | null>(null);
  const [albumId, setAlbumId] = useState('');
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [added, setAdded] = useState<string | null>(null);
  const selectId = useId();

  useEffect(() => {
    if (!choosing) return;
    let live = true;
    setLoadError(null);
    api.albums.list().then(
      (list) => {
        if (!live) return;
        setAlbums(list);
        setAlbumId((current) => current || list[0]?.id || '');
      },
      (e: unknown) => live && setLoadError(e),
    );
    return () => {
      live = false;
    };
  }, [choosing, attempt]);

  const form = useFormSubmit(
    () => api.albums.addPhotos(albumId, [photoId]),
    (album) => {
      setAdded(`Added to ${album.name}.`);
      setChoosing(false);
    },
  );

  if (!choosing) {
    return (
      <>
        <button type="button" className="button" onClick={() => { setAdded(null); setChoosing(true); }}>Add to album</button>
        {added ? <p className="viewer-added" role="status">{added}</p> : null}
      </>
    );
  }
  return (
    <form className="viewer-add-album" onSubmit={form.onSubmit} aria-label="Add to album">
      <FormFields form={form}>
        {albums && albums.length > 0 ? (
          <>
            <label htmlFor={selectId}>Album</label>
            <select id={selectId} value={albumId} onChange={(e) => setAlbumId(e.target.value)} autoFocus>
              {albums.map((a) => (
                <option key={a.id} value={a.id}>{a.name}</option>
              ))}
            </select>
            <button type="submit" className="button primary" disabled={!albumId}>{form.submitting ? 'Adding…' : 'Add'}</button>
          </>
        ) : albums ? (
          <span>No albums yet: <Link to="/albums">create one</Link> first.</span>
        ) : loadError ? null : (
          <span className="muted" role="status">Loading albums…</span>
        )}
        <button type="button" className="button subtle" onClick={() => setChoosing(false)}>Cancel</button>
        <ErrorMessage error={loadError} what="Could not load albums" onRetry={() => setAttempt((a) => a + 1)} />
        <ErrorMessage error={form.error} what="Could not add the photo" />
      </FormFields>
    </form>
  );
}

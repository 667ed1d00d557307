import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/endpoints';
import type { Album, Weather } from '../api/models';
import { ErrorMessage } from '../components/ErrorMessage';
import { FormFields } from '../components/FormFields';
import { PhotoGrid } from '../components/PhotoGrid';
import { UploadPanel } from '../components/UploadPanel';
import { Viewer } from '../components/Viewer';
import { useFormSubmit } from '../useFormSubmit';
import { usePhotoPages } from '../usePhotoPages';

export function TimelinePage() {
  const pages = usePhotoPages(api.photos.page);
  const [open, setOpen] = useState<number | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const weather = usePhotoWeather(pages.items.map((p) => p.id).join(','));

  function toggle(id: string) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  async function onDelete(id: string) {
    await api.photos.delete(id);
    const remaining = pages.items.length - 1;
    pages.remove(id);
    setSelected((prev) => {
      const next = new Set(prev);
      next.delete(id);
      return next;
    });
    if (remaining <= 0) setOpen(null);
    else if (open !== null && open >= remaining) setOpen(remaining - 1);
  }

  return (
    <section className="page">
      <div className="page-head">
        <h1>Photos</h1>
      </div>
      <UploadPanel onUploaded={pages.reload} />
      {selected.size > 0 ? (
        <SelectionBar
          selected={selected}
          onClear={() => setSelected(new Set())}
          onAdded={(message) => {
            setNotice(message);
            setSelected(new Set());
          }}
        />
      ) : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}{' '}
          <button type="button" className="button subtle" onClick={() => setNotice(null)}>Dismiss</button>
        </p>
      ) : null}
      <ErrorMessage error={pages.error} what="Could not load your photos" onRetry={pages.reload} />
      {!pages.loading && !pages.error && pages.items.length === 0 ? (
        <p className="empty">No photos yet. Drop some photos above or use “Choose photos”.</p>
      ) : null}
      <PhotoGrid
        items={pages.items}
        onOpen={setOpen}
        selected={selected}
        onToggle={toggle}
        hasMore={pages.hasMore}
        loading={pages.loading}
        onLoadMore={pages.loadMore}
        canLoad={!pages.error}
        weatherOf={(id) => weather.get(id)}
        onImageError={pages.refreshLinks}
      />
      {open !== null && pages.items[open] ? (
        <Viewer items={pages.items} index={open} onIndexChange={setOpen} onClose={() => setOpen(null)} loadDetails={api.photos.get} onDelete={onDelete} onImageError={pages.refreshLinks} />
      ) : null}
    </section>
  );
}

function SelectionBar({ selected, onClear, onAdded }: { selected: ReadonlySet<string>; onClear: () => void; onAdded: (message: string) => void }) {
  const [albums, setAlbums] = useState<Album[] | null>(null);
  const [albumId, setAlbumId] = useState('');
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setLoadError(null);
    api.albums.list().then(
      (list) => {
        setAlbums(list);
        setAlbumId((current) => current || list[0]?.id || '');
      },
      setLoadError,
    );
  }, [attempt]);

  const form = useFormSubmit(
    () => api.albums.addPhotos(albumId, [...selected]),
    (album) => onAdded(`Added ${selected.size} ${selected.size === 1 ? 'photo' : 'photos'} to ${album.name}.`),
  );

  return (
    <form className="selection-bar" onSubmit={form.onSubmit} aria-label="Selection">
      <FormFields form={form}>
        <strong>{selected.size} selected</strong>
        {albums && albums.length > 0 ? (
          <>
            <label htmlFor="add-to-album">Album</label>
            <select id="add-to-album" value={albumId} onChange={(e) => setAlbumId(e.target.value)}>
              {albums.map((a) => (
                <option key={a.id} value={a.id}>{a.name}</option>
              ))}
            </select>
            <button type="submit" className="button primary" disabled={!albumId}>
              {form.submitting ? 'Adding…' : 'Add to album'}
            </button>
          </>
        ) : albums ? (
          <span>
            No albums yet: <Link to="/albums">create one</Link> first.
          </span>
        ) : null}
        <button type="button" className="button subtle" onClick={onClear}>
          Clear selection
        </button>
        <ErrorMessage error={loadError} what="Could not load albums" onRetry={() => setAttempt((a) => a + 1)} />
        <ErrorMessage error={form.error} what="Could not add the photos" />
      </FormFields>
    </form>
  );
}

/** The weather of the timeline's photos, asked for once per photo as pages arrive; photos without any are simply absent. */
function usePhotoWeather(commaSeparatedIds: string): ReadonlyMap<string, Weather> {
  const [weather, setWeather] = useState<ReadonlyMap<string, Weather>>(new Map());
  const asked = useRef(new Set<string>());

  useEffect(() => {
    const fresh = commaSeparatedIds.split(',').filter((id) => id && !asked.current.has(id));
    if (fresh.length === 0) return;
    fresh.forEach((id) => asked.current.add(id));
    for (let i = 0; i < fresh.length; i += 100) {
      const chunk = fresh.slice(i, i + 100);
      api.photos.weather(chunk).then(
        (found) => {
          if (found.length === 0) return;
          setWeather((prev) => {
            const next = new Map(prev);
            found.forEach((w) => next.set(w.photoId, w.weather));
            return next;
          });
        },
        // Weather only decorates the day headings: without it they stay plain.
        () => chunk.forEach((id) => asked.current.delete(id)),
      );
    }
  }, [commaSeparatedIds]);

  return weather;
}

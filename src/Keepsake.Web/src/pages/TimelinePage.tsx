import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, type TimelineView } from '../api/endpoints';
import type { Album, PhotoSummary, Weather } from '../api/models';
import { AddToAlbum } from '../components/AddToAlbum';
import { ErrorMessage } from '../components/ErrorMessage';
import { Notice } from '../components/Notice';
import { FormFields } from '../components/FormFields';
import { MemoriesStrip } from '../components/MemoriesStrip';
import { VirtualTimeline } from '../components/VirtualTimeline';
import { UploadPanel } from '../components/UploadPanel';
import { Viewer } from '../components/Viewer';
import { useFormSubmit } from '../useFormSubmit';
import { useLinkedPhoto } from '../timeline/useLinkedPhoto';
import { useTimelineMonths } from '../timeline/useTimelineMonths';
import { useOpenPhoto } from '../useOpenPhoto';

const views: Record<TimelineView, { title: string; empty: string }> = {
  timeline: { title: 'Photos', empty: 'No photos yet. Drop some photos above or use “Choose photos”.' },
  favorites: { title: 'Favourites', empty: 'No favourites yet. Open a photo and choose “Favourite”, or select photos and favourite them.' },
  archive: { title: 'Archive', empty: 'Nothing archived. Archived photos leave the timeline but stay in their albums.' },
};

/** Whether a photo with these marks is listed in a view; one that no longer is leaves it at once. */
function belongsIn(view: TimelineView, photo: Pick<PhotoSummary, 'favorite' | 'archived'>) {
  if (view === 'favorites') return photo.favorite === true;
  return (photo.archived === true) === (view === 'archive');
}

export function TimelinePage({ view = 'timeline' }: { view?: TimelineView }) {
  const pages = useTimelineMonths(view);
  const items = useMemo(() => (pages.buckets ?? []).flatMap((b) => pages.loaded.get(b.month) ?? []), [pages.buckets, pages.loaded]);
  const [open, setOpen, leaveViewer] = useOpenPhoto(items);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const [memory, setMemory] = useState<{ photos: PhotoSummary[]; index: number } | null>(null);
  const weather = usePhotoWeather(useMemo(() => items.map((p) => p.id).join(','), [items]));
  const [params] = useSearchParams();
  const linked = useLinkedPhoto(open === null ? params.get('photo') : null, pages.buckets, pages.loaded, (photo) => belongsIn(view, photo));
  const linkedMissing = linked !== null && 'missing' in linked;

  useEffect(() => {
    if (!linkedMissing) return;
    setNotice(`The photo of that link is not in ${view === 'timeline' ? 'your timeline' : `your ${views[view].title.toLowerCase()}`}.`);
    setOpen(null);
  }, [linkedMissing, view, setOpen]);

  function toggle(id: string) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  /** Takes a photo out of this view, keeping the viewer on a photo that is still there. */
  function leave(id: string) {
    leaveViewer([id]);
    pages.remove(id);
    setSelected((prev) => {
      const next = new Set(prev);
      next.delete(id);
      return next;
    });
  }

  async function onDelete(id: string) {
    await api.photos.delete(id);
    leave(id);
  }

  async function mark(ids: string[], change: Pick<PhotoSummary, 'favorite'> | Pick<PhotoSummary, 'archived'>) {
    await Promise.all(ids.map((id) => ('favorite' in change ? api.photos.favorite(id, change.favorite === true) : api.photos.archive(id, change.archived === true))));
    for (const id of ids) {
      const photo = items.find((p) => p.id === id);
      if (photo && !belongsIn(view, { ...photo, ...change })) leave(id);
      else pages.update(id, change);
    }
  }

  return (
    <section className="page">
      <div className="page-head">
        <h1>{views[view].title}</h1>
      </div>
      {view === 'timeline' ? <UploadPanel onUploaded={pages.reload} /> : null}
      {view === 'timeline' ? <MemoriesStrip onOpen={(photos, index) => setMemory({ photos, index })} /> : null}
      {selected.size > 0 ? (
        <SelectionBar
          selected={selected}
          view={view}
          onMark={async (change, message) => {
            await mark([...selected], change);
            setNotice(message);
            setSelected(new Set());
          }}
          onDelete={async () => {
            const ids = [...selected];
            await api.photos.deleteMany(ids);
            ids.forEach(leave);
            setNotice(`Moved ${ids.length} ${ids.length === 1 ? 'photo' : 'photos'} to the trash.`);
          }}
          onClear={() => setSelected(new Set())}
          onAdded={(message) => {
            setNotice(message);
            setSelected(new Set());
          }}
        />
      ) : null}
      <Notice text={notice} onDismiss={() => setNotice(null)} />
      <ErrorMessage error={pages.error} what="Could not load your photos" onRetry={pages.reload} />
      {pages.buckets?.length === 0 && !pages.error ? <p className="empty">{views[view].empty}</p> : null}
      {pages.buckets === null && !pages.error ? <p className="muted" role="status">Loading photos…</p> : null}
      <VirtualTimeline
        buckets={pages.buckets ?? []}
        loaded={pages.loaded}
        want={pages.want}
        onOpen={setOpen}
        selected={selected}
        onToggle={toggle}
        onSelectMany={(ids) => setSelected((prev) => new Set([...prev, ...ids]))}
        weatherOf={(id) => weather.get(id)}
        onImageError={pages.refreshLinks}
        goTo={linked !== null && 'month' in linked ? linked.month : null}
      />
      {memory ? (
        <Viewer
          items={memory.photos}
          index={memory.index}
          onIndexChange={(index) => setMemory({ ...memory, index })}
          onClose={() => setMemory(null)}
          loadDetails={api.photos.get}
        />
      ) : null}
      {open !== null && items[open] ? (
        <Viewer
          items={items}
          index={open}
          onIndexChange={setOpen}
          onClose={() => setOpen(null)}
          loadDetails={api.photos.get}
          onDelete={onDelete}
          onMark={(id, change) => mark([id], change)}
          onDescribe={api.photos.describe}
          actions={(photo) => <AddToAlbum key={photo.id} photoId={photo.id} />}
          onImageError={pages.refreshLinks}
        />
      ) : null}
    </section>
  );
}

type Mark = Pick<PhotoSummary, 'favorite'> | Pick<PhotoSummary, 'archived'>;

interface SelectionBarProps {
  selected: ReadonlySet<string>;
  onClear: () => void;
  onAdded: (message: string) => void;
  onMark: (change: Mark, message: string) => Promise<void>;
  onDelete: () => Promise<void>;
  view: TimelineView;
}

/** What a selection can be marked with in each view: the archive's photos are taken out of it, the others put in. */
function markActions(view: TimelineView, photos: string): { label: string; change: Mark; message: string }[] {
  const favourite = view === 'favorites'
    ? { label: 'Remove from favourites', change: { favorite: false }, message: `Removed ${photos} from your favourites.` }
    : { label: 'Favourite', change: { favorite: true }, message: `Added ${photos} to your favourites.` };
  const archive = view === 'archive'
    ? { label: 'Unarchive', change: { archived: false }, message: `Put ${photos} back in the timeline.` }
    : { label: 'Archive', change: { archived: true }, message: `Archived ${photos}.` };
  return [favourite, archive];
}

function SelectionBar({ selected, onClear, onAdded, onMark, onDelete, view }: SelectionBarProps) {
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
  const [marking, setMarking] = useState(false);
  const [markError, setMarkError] = useState<unknown>(null);
  const photos = `${selected.size} ${selected.size === 1 ? 'photo' : 'photos'}`;

  async function markAll(change: Mark, message: string) {
    await changeAll(() => onMark(change, message));
  }

  async function changeAll(change: () => Promise<void>) {
    setMarking(true);
    setMarkError(null);
    try {
      await change();
    } catch (e) {
      setMarkError(e);
    } finally {
      setMarking(false);
    }
  }

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
        {markActions(view, photos).map((action) => (
          <button key={action.label} type="button" className="button" disabled={marking} onClick={() => markAll(action.change, action.message)}>
            {action.label}
          </button>
        ))}
        <button type="button" className="button danger" disabled={marking} onClick={() => changeAll(onDelete)}>
          Delete
        </button>
        <button type="button" className="button subtle" onClick={onClear}>
          Clear selection
        </button>
        <ErrorMessage error={markError} what="Could not change the photos" />
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

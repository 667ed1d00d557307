import { useMemo, useState } from 'react';
import { api, type PageLoader } from '../api/endpoints';
import { ErrorMessage } from '../components/ErrorMessage';
import { Notice } from '../components/Notice';
import { PhotoGrid } from '../components/PhotoGrid';
import { Viewer, type DeleteWording } from '../components/Viewer';
import { formatDateTime } from '../format';
import { usePhotoPages } from '../usePhotoPages';
import { useOpenPhoto } from '../useOpenPhoto';

const deleteForGood: DeleteWording = {
  button: 'Delete for good',
  confirm: 'Delete this photo for good? Its files are removed now and it cannot be restored.',
  yes: 'Yes, delete for good',
  failed: 'Could not delete the photo',
};

/** Deleted photos, the latest first: restore them in place, or delete them for good before their time is up. */
export function TrashPage() {
  const [purgeAt, setPurgeAt] = useState<ReadonlyMap<string, string>>(new Map());
  const loader = useMemo<PageLoader>(
    () => async (cursor) => {
      const page = await api.trash.page(cursor);
      setPurgeAt((prev) => new Map([...prev, ...page.items.map((t) => [t.photo.id, t.purgeAt] as const)]));
      return { items: page.items.map((t) => t.photo), nextCursor: page.nextCursor };
    },
    [],
  );
  const pages = usePhotoPages(loader);
  const [open, setOpen, leaveViewer] = useOpenPhoto(pages.items);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirmingEmpty, setConfirmingEmpty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  function leave(ids: string[]) {
    leaveViewer(ids);
    ids.forEach(pages.remove);
    setSelected((prev) => new Set([...prev].filter((id) => !ids.includes(id))));
  }

  /** Runs a change of the trash; the photos named leave the page, and the notice says what was done. */
  async function act(what: () => Promise<string>, ids: string[]) {
    setBusy(true);
    setError(null);
    try {
      const message = await what();
      leave(ids);
      setNotice(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const photos = (n: number) => `${n} ${n === 1 ? 'photo' : 'photos'}`;
  const openPhoto = open !== null ? pages.items[open] : undefined;

  return (
    <section className="page">
      <div className="page-head">
        <h1>Trash</h1>
        {pages.items.length > 0 && !confirmingEmpty ? (
          <button type="button" className="button danger" onClick={() => setConfirmingEmpty(true)} disabled={busy}>
            Empty trash
          </button>
        ) : null}
      </div>
      <p className="muted">Deleted photos stay here for 30 days, out of your timeline, albums and share links, then they are deleted for good.</p>
      {confirmingEmpty ? (
        <div className="confirm" role="group" aria-label="Confirm empty trash">
          <p>Delete every photo in the trash for good? This cannot be undone.</p>
          <div className="row">
            <button
              type="button"
              className="button danger"
              disabled={busy}
              autoFocus
              onClick={() =>
                act(async () => {
                  const emptied = await api.trash.empty();
                  setConfirmingEmpty(false);
                  pages.reload();
                  return `Deleted ${photos(emptied.deleted)} for good.`;
                }, [])
              }
            >
              {busy ? 'Deleting…' : 'Yes, empty the trash'}
            </button>
            <button type="button" className="button" onClick={() => setConfirmingEmpty(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {selected.size > 0 ? (
        <div className="selection-bar" role="group" aria-label="Selection">
          <strong>{selected.size} selected</strong>
          <button type="button" className="button primary" disabled={busy}
            onClick={() => act(async () => {
              await api.trash.restore([...selected]);
              return `Restored ${photos(selected.size)}.`;
            }, [...selected])}>
            Restore
          </button>
          <button type="button" className="button subtle" onClick={() => setSelected(new Set())}>Clear selection</button>
        </div>
      ) : null}
      <Notice text={notice} onDismiss={() => setNotice(null)} />
      <ErrorMessage error={error} what="Could not change the trash" />
      <ErrorMessage error={pages.error} what="Could not load the trash" onRetry={pages.reload} />
      {!pages.loading && !pages.error && pages.items.length === 0 ? <p className="empty">The trash is empty.</p> : null}
      <PhotoGrid
        items={pages.items}
        onOpen={setOpen}
        selected={selected}
        onToggle={(id) =>
          setSelected((prev) => {
            const next = new Set(prev);
            if (next.has(id)) next.delete(id);
            else next.add(id);
            return next;
          })
        }
        hasMore={pages.hasMore}
        loading={pages.loading}
        onLoadMore={pages.loadMore}
        canLoad={!pages.error}
        onImageError={pages.refreshLinks}
      />
      {openPhoto ? (
        <Viewer
          items={pages.items}
          index={open!}
          onIndexChange={setOpen}
          onClose={() => setOpen(null)}
          loadDetails={api.photos.get}
          onDelete={async (id) => {
            await api.trash.deleteForGood(id);
            leave([id]);
          }}
          deleteWording={deleteForGood}
          actions={(photo) => (
            <>
              {purgeAt.get(photo.id) ? <p className="muted">Deleted for good on {formatDateTime(purgeAt.get(photo.id)!)}.</p> : null}
              <button type="button" className="button primary" disabled={busy}
                onClick={() => act(async () => {
                  await api.trash.restore([photo.id]);
                  return 'Restored 1 photo.';
                }, [photo.id])}>
                Restore
              </button>
            </>
          )}
          onImageError={pages.refreshLinks}
        />
      ) : null}
    </section>
  );
}

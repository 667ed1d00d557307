import { useMemo, useState } from 'react';
import { api } from '../api/endpoints';
import type { Album } from '../api/models';
import { usePhotoPages } from '../usePhotoPages';
import { useFormSubmit } from '../useFormSubmit';
import { CloseIcon } from '../icons';
import { Dialog } from './Dialog';
import { ErrorMessage } from './ErrorMessage';
import { FormFields } from './FormFields';
import { PhotoGrid } from './PhotoGrid';

interface AddPhotosDialogProps {
  album: Album;
  /** The photos went in: the album as it is now, and how many were chosen. */
  onAdded: (album: Album, count: number) => void;
  onClose: () => void;
}

/**
 * Picks photos from the timeline for an album: a tap on a photo chooses it (shift-click a run of them), and the
 * album takes the chosen ones in one request. Photos it holds already are no error.
 */
export function AddPhotosDialog({ album, onAdded, onClose }: AddPhotosDialogProps) {
  const pages = usePhotoPages(useMemo(() => api.photos.pages('timeline'), []));
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setChosen((previous) => {
      const next = new Set(previous);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const form = useFormSubmit(
    () => api.albums.addPhotos(album.id, [...chosen]),
    (updated) => onAdded(updated, chosen.size),
  );
  const count = `${chosen.size} ${chosen.size === 1 ? 'photo' : 'photos'}`;

  return (
    <Dialog label={`Add photos to ${album.name}`} onClose={onClose} className="dialog dialog-wide">
      <div className="dialog-head">
        <h2>Add photos to “{album.name}”</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <ErrorMessage error={pages.error} what="Could not load your photos" onRetry={pages.reload} />
      {!pages.loading && !pages.error && pages.items.length === 0 ? <p className="empty">Your timeline has no photos yet.</p> : null}
      <PhotoGrid items={pages.items} onOpen={(index) => toggle(pages.items[index].id)} selected={chosen} onToggle={toggle}
        onSelectMany={(ids) => setChosen((previous) => new Set([...previous, ...ids]))}
        hasMore={pages.hasMore} loading={pages.loading} onLoadMore={pages.loadMore} canLoad={!pages.error} onImageError={pages.refreshLinks} />
      <form className="row picker-actions" onSubmit={form.onSubmit}>
        <FormFields form={form}>
          <span className="muted" role="status">{chosen.size === 0 ? 'Choose the photos to add.' : `${count} chosen`}</span>
          <button type="submit" className="button primary" disabled={chosen.size === 0 || form.submitting}>
            {form.submitting ? 'Adding…' : `Add ${count}`}
          </button>
          <button type="button" className="button" onClick={onClose}>Cancel</button>
          <ErrorMessage error={form.error} what="Could not add the photos" />
        </FormFields>
      </form>
    </Dialog>
  );
}

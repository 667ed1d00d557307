import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, type SearchFilters } from '../api/endpoints';
import { ErrorMessage } from '../components/ErrorMessage';
import { PhotoGrid } from '../components/PhotoGrid';
import { Viewer } from '../components/Viewer';
import { usePhotoPages } from '../usePhotoPages';
import { useOpenPhoto } from '../useOpenPhoto';

/** The filters a search address may carry beside `q`, passed on to the server as they are. */
function filtersOf(params: URLSearchParams): SearchFilters {
  const favorite = params.get('favorite');
  return {
    q: params.get('q') ?? undefined,
    favorite: favorite === null ? undefined : favorite === 'true',
    type: params.get('type') ?? undefined,
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    album: params.get('album') ?? undefined,
  };
}

/** The photos that match a search (`/search?q=paris 2019`), most relevant first, in the grid and viewer the timeline uses. */
export function SearchPage() {
  const [params] = useSearchParams();
  const key = params.toString();
  const filters = useMemo(() => filtersOf(new URLSearchParams(key)), [key]);
  const pages = usePhotoPages(useMemo(() => api.search.pages(filters), [filters]));
  const [open, setOpen, leaveViewer] = useOpenPhoto(pages.items);
  const q = filters.q?.trim() ?? '';

  async function onDelete(photoId: string) {
    await api.photos.delete(photoId);
    leaveViewer([photoId]);
    pages.remove(photoId);
  }

  async function onMark(photoId: string, change: { favorite: boolean } | { archived: boolean }) {
    if ('favorite' in change) await api.photos.favorite(photoId, change.favorite);
    else await api.photos.archive(photoId, change.archived);
    pages.update(photoId, change);
  }

  return (
    <section className="page">
      <div className="page-head">
        <h1>{q ? `Search: ${q}` : 'Search'}</h1>
      </div>
      <ErrorMessage error={pages.error} what="Could not search" />
      {!pages.loading && !pages.error && pages.items.length === 0 ? (
        <p className="empty">{q ? `No photos match '${q}'.` : 'No photos match these filters.'}</p>
      ) : null}
      <PhotoGrid flat items={pages.items} onOpen={setOpen} hasMore={pages.hasMore} loading={pages.loading} onLoadMore={pages.loadMore}
        canLoad={!pages.error} onImageError={pages.refreshLinks} />
      {open !== null && pages.items[open] ? (
        <Viewer
          items={pages.items}
          index={open}
          onIndexChange={setOpen}
          onClose={() => setOpen(null)}
          loadDetails={api.photos.get}
          onDelete={onDelete}
          onMark={onMark}
          onDescribe={api.photos.describe}
          onImageError={pages.refreshLinks}
        />
      ) : null}
    </section>
  );
}

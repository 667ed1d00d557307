import { useCallback, useEffect, useRef, useState } from 'react';
import type { PageLoader } from './api/endpoints';
import type { PhotoSummary } from './api/models';

export interface PhotoPages {
  items: PhotoSummary[];
  hasMore: boolean;
  loading: boolean;
  error: unknown;
  loadMore: () => void;
  reload: () => void;
  remove: (id: string) => void;
  /** Changes a photo shown, e.g. its favourite mark. */
  update: (id: string, change: Partial<PhotoSummary>) => void;
  /** An image failed: its signed URL may have expired. Loads the photos shown so far again, with fresh URLs. */
  refreshLinks: () => void;
}

/** Signed file URLs last minutes; a failing image refreshes them at most this often (a missing file fails for good). */
export const LINK_REFRESH_INTERVAL_MS = 60_000;

/** Keyset-paged photos from `loadPage` (the timeline, an album or a share link); a new loader starts again from the top. */
export function usePhotoPages(loadPage: PageLoader | null): PhotoPages {
  const [items, setItems] = useState<PhotoSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const busy = useRef(false);
  const shown = useRef(0);
  shown.current = items.length;
  const lastRefresh = useRef(Number.NEGATIVE_INFINITY);

  const fetchPage = useCallback(
    (from: string | null, replace: boolean) => {
      if (!loadPage) return;
      const gen = ++generation.current;
      busy.current = true;
      setLoading(true);
      setError(null);
      loadPage(from)
        .then((page) => {
          if (gen !== generation.current) return;
          setItems((prev) => {
            if (replace) return page.items;
            const seen = new Set(prev.map((p) => p.id));
            return [...prev, ...page.items.filter((p) => !seen.has(p.id))];
          });
          setCursor(page.nextCursor);
          setHasMore(page.nextCursor != null);
        })
        .catch((e: unknown) => {
          if (gen === generation.current) setError(e);
        })
        .finally(() => {
          if (gen === generation.current) {
            busy.current = false;
            setLoading(false);
          }
        });
    },
    [loadPage],
  );

  useEffect(() => {
    setItems([]);
    setCursor(null);
    setHasMore(true);
    fetchPage(null, true);
  }, [fetchPage]);

  const loadMore = useCallback(() => {
    if (busy.current || !hasMore || error) return;
    fetchPage(cursor, false);
  }, [cursor, hasMore, error, fetchPage]);

  const reload = useCallback(() => fetchPage(null, true), [fetchPage]);
  const retry = useCallback(() => fetchPage(items.length === 0 ? null : cursor, items.length === 0), [fetchPage, cursor, items.length]);
  const remove = useCallback((id: string) => setItems((prev) => prev.filter((p) => p.id !== id)), []);
  const update = useCallback(
    (id: string, change: Partial<PhotoSummary>) => setItems((prev) => prev.map((p) => (p.id === id ? { ...p, ...change } : p))),
    [],
  );

  const refreshLinks = useCallback(() => {
    const now = Date.now();
    if (!loadPage || busy.current || now - lastRefresh.current < LINK_REFRESH_INTERVAL_MS) return;
    lastRefresh.current = now;
    const gen = ++generation.current;
    busy.current = true;
    const wanted = shown.current;
    (async () => {
      let photos: PhotoSummary[] = [];
      let next: string | null = null;
      do {
        const page = await loadPage(next);
        photos = [...photos, ...page.items];
        next = page.nextCursor;
      } while (next != null && photos.length < wanted);
      return { photos, next };
    })()
      .then(({ photos, next }) => {
        if (gen !== generation.current) return;
        setItems(photos);
        setCursor(next);
        setHasMore(next != null);
      })
      // The grid keeps what it shows; the next failing image tries again after the interval.
      .catch(() => undefined)
      .finally(() => {
        if (gen === generation.current) busy.current = false;
      });
  }, [loadPage]);

  return { items, hasMore, loading, error, loadMore, reload: error ? retry : reload, remove, update, refreshLinks };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type TimelineView } from '../api/endpoints';
import type { PhotoSummary, TimelineBucket } from '../api/models';
import { LINK_REFRESH_INTERVAL_MS } from '../usePhotoPages';

export interface TimelineMonths {
  /** The view's months, newest first; null until they arrive. */
  buckets: TimelineBucket[] | null;
  /** The photos of each month loaded so far. */
  loaded: ReadonlyMap<string, PhotoSummary[]>;
  error: unknown;
  /** Loads these months (nearest first), forgetting months asked for before that have not started. */
  want: (months: string[]) => void;
  /** Asks for the months again (after an upload); the photos shown stay until the new ones arrive. */
  reload: () => void;
  remove: (id: string) => void;
  update: (id: string, change: Partial<PhotoSummary>) => void;
  /** An image failed: its signed URL may have expired. Loads the months shown again, at most once a minute. */
  refreshLinks: () => void;
}

/** Months loaded at the same time: enough to fill a jump's screen quickly without queueing the whole timeline. */
const PARALLEL_MONTHS = 2;

async function loadMonth(view: TimelineView, month: string): Promise<PhotoSummary[]> {
  const page = api.photos.month(view, month);
  const photos: PhotoSummary[] = [];
  let cursor: string | null = null;
  do {
    const next = await page(cursor);
    photos.push(...next.items);
    cursor = next.nextCursor;
  } while (cursor != null);
  return photos;
}

/** A view's timeline as month buckets whose photos are loaded when the grid comes near them. */
export function useTimelineMonths(view: TimelineView): TimelineMonths {
  const [buckets, setBuckets] = useState<TimelineBucket[] | null>(null);
  const [loaded, setLoaded] = useState<ReadonlyMap<string, PhotoSummary[]>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const generation = useRef(0);
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;
  const running = useRef(new Set<string>());
  const queue = useRef<string[]>([]);
  const lastRefresh = useRef(Number.NEGATIVE_INFINITY);

  const pump = useCallback(() => {
    while (running.current.size < PARALLEL_MONTHS && queue.current.length > 0) {
      const month = queue.current.shift()!;
      if (running.current.has(month) || loadedRef.current.has(month)) continue;
      const gen = generation.current;
      running.current.add(month);
      loadMonth(view, month).then(
        (photos) => {
          if (gen !== generation.current) return;
          running.current.delete(month);
          setLoaded((prev) => new Map(prev).set(month, photos));
          pump();
        },
        (e: unknown) => {
          if (gen !== generation.current) return;
          running.current.delete(month);
          setError(e);
        },
      );
    }
  }, [view]);

  useEffect(() => {
    const gen = ++generation.current;
    running.current.clear();
    queue.current = [];
    setError(null);
    api.photos.buckets(view).then(
      (found) => {
        if (gen !== generation.current) return;
        setBuckets(found);
        // Months shown before keep their photos until fresh ones replace them, so the grid does not flash.
        const stale = [...loadedRef.current.keys()];
        Promise.all(stale.map(async (month) => [month, await loadMonth(view, month)] as const)).then(
          // Merged, not replaced: months first loaded while these were asked for again stay.
          (fresh) => gen === generation.current && setLoaded((prev) => new Map([...prev, ...fresh])),
          (e: unknown) => gen === generation.current && setError(e),
        );
      },
      (e: unknown) => gen === generation.current && setError(e),
    );
  }, [view, attempt]);

  useEffect(() => {
    setBuckets(null);
    setLoaded(new Map());
  }, [view]);

  const want = useCallback((months: string[]) => {
    queue.current = months.filter((m) => !loadedRef.current.has(m) && !running.current.has(m));
    pump();
  }, [pump]);

  const reload = useCallback(() => setAttempt((a) => a + 1), []);

  const remove = useCallback((id: string) => {
    const from = [...loadedRef.current].find(([, photos]) => photos.some((p) => p.id === id))?.[0];
    if (from === undefined) return;
    setLoaded((prev) => new Map(prev).set(from, (prev.get(from) ?? []).filter((p) => p.id !== id)));
    setBuckets((prev) => prev?.map((b) => (b.month === from ? { ...b, count: b.count - 1 } : b)).filter((b) => b.count > 0) ?? null);
  }, []);

  const update = useCallback((id: string, change: Partial<PhotoSummary>) => {
    setLoaded((prev) => {
      const next = new Map(prev);
      for (const [month, photos] of prev) {
        if (photos.some((p) => p.id === id)) next.set(month, photos.map((p) => (p.id === id ? { ...p, ...change } : p)));
      }
      return next;
    });
  }, []);

  const refreshLinks = useCallback(() => {
    const now = Date.now();
    if (now - lastRefresh.current < LINK_REFRESH_INTERVAL_MS) return;
    lastRefresh.current = now;
    reload();
  }, [reload]);

  return { buckets, loaded, error, want, reload, remove, update, refreshLinks };
}

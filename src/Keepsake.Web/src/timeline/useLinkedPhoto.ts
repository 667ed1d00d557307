import { useEffect, useRef, useState } from 'react';
import { api } from '../api/endpoints';
import type { PhotoDetails, TimelineBucket } from '../api/models';

/** Where a link to a photo leads: the month of the timeline to go to, or nowhere, since this view does not list it. */
export type LinkedPhoto = { month: string } | { missing: true } | null;

/**
 * A link to a photo (`?photo=<id>`) that is not among the photos loaded, as a long timeline loads only the months near
 * the window: the server says which month the photo is in, so the timeline can go there and load it, and the viewer
 * opens once it has. A photo that is gone, that `lists` says the view leaves out, whose month the view has no bucket
 * for, or that its month did not hold once loaded, is `missing`. `id` is null while no such link is open.
 */
export function useLinkedPhoto(
  id: string | null,
  buckets: readonly TimelineBucket[] | null,
  loaded: ReadonlyMap<string, unknown>,
  lists: (photo: PhotoDetails) => boolean,
): LinkedPhoto {
  const [found, setFound] = useState<{ id: string; month: string | null } | null>(null);
  const listsRef = useRef(lists);
  listsRef.current = lists;
  const ready = buckets !== null;

  useEffect(() => {
    if (id === null || !ready) return;
    let current = true;
    api.photos.get(id).then(
      (photo) => current && setFound({ id, month: listsRef.current(photo) ? photo.timelineAt.slice(0, 7) : null }),
      () => current && setFound({ id, month: null }),
    );
    return () => {
      current = false;
    };
  }, [id, ready]);

  if (id === null || found?.id !== id) return null;
  const month = found.month;
  if (month === null || !buckets?.some((b) => b.month === month) || loaded.has(month)) return { missing: true };
  return { month };
}

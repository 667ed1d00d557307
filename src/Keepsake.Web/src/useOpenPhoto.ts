import { useCallback, useRef } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';

const param = 'photo';

/**
 * Which of `items` the viewer shows, kept in the address as `?photo=<id>`: opening a photo adds a history entry, so Back
 * closes the viewer and a copied link opens the same photo once it is listed; moving to the next photo replaces the
 * entry, so Back never steps through the photos seen. The page's other parameters are kept.
 */
export function useOpenPhoto(
  items: readonly { id: string }[],
): [number | null, (index: number | null) => void, (gone: readonly string[]) => void] {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const id = params.get(param);
  const index = id === null ? -1 : items.findIndex((p) => p.id === id);
  const openedHere = (location.state as { viewer?: boolean } | null)?.viewer === true;
  // What the address says now: a removal that finishes after the viewer was closed (Esc while a delete is on its way)
  // must not open it again on the next photo.
  const shown = useRef(id);
  shown.current = id;

  const setOpen = useCallback(
    (next: number | null) => {
      if (next === null) {
        if (openedHere) {
          navigate(-1);
        } else {
          setParams((prev) => {
            const kept = new URLSearchParams(prev);
            kept.delete(param);
            return kept;
          }, { replace: true });
        }
        return;
      }
      const target = items[next];
      if (!target) return;
      setParams((prev) => {
        const moved = new URLSearchParams(prev);
        moved.set(param, target.id);
        return moved;
      }, { replace: id !== null, state: id !== null ? location.state : { viewer: true } });
    },
    [items, id, openedHere, navigate, setParams, location.state],
  );

  /** Photos that leave the list (deleted, archived, removed): the viewer moves on to the next one left, else closes. */
  const leave = useCallback(
    (gone: readonly string[]) => {
      if (shown.current === null || !gone.includes(shown.current)) return;
      const at = items.findIndex((p) => p.id === id);
      const left = (p: { id: string }) => !gone.includes(p.id);
      const next = items.slice(at + 1).find(left) ?? items.slice(0, Math.max(at, 0)).reverse().find(left);
      setOpen(next ? items.indexOf(next) : null);
    },
    [id, items, setOpen],
  );

  return [index >= 0 ? index : null, setOpen, leave];
}

import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent, type RefObject } from 'react';
import type { PhotoSummary } from '../api/models';
import { moveFrom } from './navigation';

/** How long a finger rests on a photo before it is selected (and selection mode starts). */
export const LONG_PRESS_MS = 500;
/** A finger resting on a photo may tremble this far (CSS pixels); further, it is scrolling. */
const PRESS_SLOP = 10;

interface GridInteractionOptions {
  container: RefObject<HTMLElement | null>;
  /** Loaded photos in timeline order, with their row (see tilePlaces). */
  places: readonly { photo: PhotoSummary; row: number; center: number }[];
  rows: readonly number[][];
  selected?: ReadonlySet<string>;
  onToggle?: (id: string) => void;
  onSelectMany?: (ids: string[]) => void;
  onOpen: (index: number) => void;
  /** Brings a photo into view before it takes the focus (it may not be drawn yet). */
  reveal?: (index: number) => void;
}

/**
 * The grid's keyboard and pointer behaviour: one tab stop (roving tabindex) moved by the arrow keys, Home and End; Enter
 * opens, Space selects; shift selects a range from the last photo selected; a long press on a phone starts selecting,
 * after which a tap selects instead of opening.
 */
export function useGridInteraction({ container, places, rows, selected, onToggle, onSelectMany, onOpen, reveal }: GridInteractionOptions) {
  const [activeId, setActiveId] = useState<string | null>(null);
  const [focusWanted, setFocusWanted] = useState(0);
  const anchor = useRef<string | null>(null);
  const pressTimer = useRef<number | undefined>(undefined);
  const pressed = useRef(false);
  const touching = useRef(false);
  const indexOf = useMemo(() => new Map(places.map((p, i) => [p.photo.id, i])), [places]);
  const active = activeId !== null && indexOf.has(activeId) ? activeId : places[0]?.photo.id ?? null;

  // Only a key that moved the tab stop moves the focus, once; later renders (a scroll) leave the focus alone.
  const focusTarget = useRef({ active, virtual: reveal !== undefined });
  focusTarget.current = { active, virtual: reveal !== undefined };
  useEffect(() => {
    const { active: id, virtual } = focusTarget.current;
    if (focusWanted === 0 || id === null) return;
    // A virtual grid has scrolled the tile into view itself (reveal); a plain one lets the browser do it.
    container.current?.querySelector<HTMLElement>(`[data-photo-id="${CSS.escape(id)}"]`)?.focus({ preventScroll: virtual });
  }, [focusWanted, container]);

  useEffect(() => () => window.clearTimeout(pressTimer.current), []);

  function toggle(id: string, range: boolean) {
    if (!onToggle) return;
    const from = anchor.current !== null ? indexOf.get(anchor.current) : undefined;
    const to = indexOf.get(id);
    if (range && from !== undefined && to !== undefined && onSelectMany) {
      const [a, b] = from < to ? [from, to] : [to, from];
      onSelectMany(places.slice(a, b + 1).map((p) => p.photo.id));
    } else onToggle(id);
    anchor.current = id;
  }

  function tileProps(photo: PhotoSummary) {
    const index = indexOf.get(photo.id) ?? 0;
    return {
      selected: selected?.has(photo.id) ?? false,
      tabIndex: photo.id === active ? 0 : -1,
      onToggle: onToggle ? toggle : undefined,
      onFocus: () => setActiveId(photo.id),
      onOpen: (event: MouseEvent) => {
        if (pressed.current) {
          pressed.current = false;
          return;
        }
        if (onToggle && event.shiftKey) toggle(photo.id, true);
        else if (onToggle && touching.current && (selected?.size ?? 0) > 0) toggle(photo.id, false);
        else onOpen(index);
      },
      onKeyDown: (event: KeyboardEvent) => {
        if (event.key === ' ' && onToggle) {
          event.preventDefault();
          toggle(photo.id, event.shiftKey);
          return;
        }
        const next = moveFrom(index, event.key, places, rows);
        if (next === null) return;
        event.preventDefault();
        reveal?.(next);
        setActiveId(places[next].photo.id);
        setFocusWanted((n) => n + 1);
      },
      onPointerDown: (event: PointerEvent) => {
        touching.current = event.pointerType === 'touch';
        pressed.current = false;
        window.clearTimeout(pressTimer.current);
        if (!touching.current || !onToggle) return;
        // A finger that moves is scrolling, and one lifted or gone was a tap: neither selects.
        const tile = event.currentTarget as HTMLElement;
        const from = { x: event.clientX, y: event.clientY };
        const ends = ['pointerup', 'pointercancel', 'pointerleave'] as const;
        const stop = () => {
          window.clearTimeout(pressTimer.current);
          tile.removeEventListener('pointermove', onMove);
          ends.forEach((type) => tile.removeEventListener(type, stop));
        };
        const onMove = (move: globalThis.PointerEvent) => {
          if (Math.hypot(move.clientX - from.x, move.clientY - from.y) > PRESS_SLOP) stop();
        };
        tile.addEventListener('pointermove', onMove);
        ends.forEach((type) => tile.addEventListener(type, stop));
        pressTimer.current = window.setTimeout(() => {
          stop();
          pressed.current = true;
          toggle(photo.id, false);
        }, LONG_PRESS_MS);
      },
    };
  }

  return { tileProps, tabStop: active === null ? undefined : indexOf.get(active), selecting: (selected?.size ?? 0) > 0 };
}

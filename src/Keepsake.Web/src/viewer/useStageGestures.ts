import { useRef, useState, type PointerEvent } from 'react';
import { DOUBLE_TAP_SCALE, panned, UNZOOMED, zoomAround, type Zoom } from './zoom';

/** A finger that moved less than this (CSS pixels) tapped. */
const TAP_SLOP = 10;
/** A finger that moved this far one way swiped. */
const SWIPE_DISTANCE = 60;
/** Two taps this close in time (ms) are a double tap. */
const DOUBLE_TAP_MS = 300;

interface GestureOptions {
  /** The photo shown: its zoom is its own and starts at 1× when another is shown. */
  photoId: string;
  onPrevious?: () => void;
  onNext?: () => void;
  onClose: () => void;
  onShowInfo: () => void;
}

type Point = { x: number; y: number };
type Gesture =
  | { kind: 'one'; start: Point; startZoom: Zoom; moved: boolean }
  | { kind: 'pinch'; startDistance: number; startMiddle: Point; startZoom: Zoom }
  /** A pinch ended with a finger still down: nothing happens until every finger is lifted. */
  | { kind: 'settling' };

const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
const middle = (a: Point, b: Point) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/** A point of the window, from the middle of the element; and the element's size. */
function placeIn(element: HTMLElement, point: Point) {
  const box = element.getBoundingClientRect();
  return { at: { x: point.x - (box.left + box.width / 2), y: point.y - (box.top + box.height / 2) }, area: { width: box.width, height: box.height } };
}

/**
 * The viewer's touch (and mouse) gestures on the photo, from Pointer Events: a swipe left or right moves to the next
 * or previous photo, down closes, up shows the details; a double tap zooms to 2.5× around the tapped point and back;
 * two fingers pinch; a zoomed photo follows one finger instead of swiping. `drag` is how far an unzoomed photo
 * follows the finger before it is let go.
 */
export function useStageGestures({ photoId, onPrevious, onNext, onClose, onShowInfo }: GestureOptions) {
  const [zoomed, setZoomed] = useState<{ id: string; zoom: Zoom }>({ id: photoId, zoom: UNZOOMED });
  const [drag, setDrag] = useState<Point | null>(null);
  const pointers = useRef(new Map<number, Point>());
  const gesture = useRef<Gesture | null>(null);
  const lastTap = useRef<{ time: number; point: Point } | null>(null);
  const zoom = zoomed.id === photoId ? zoomed.zoom : UNZOOMED;
  const setZoom = (next: Zoom) => setZoomed({ id: photoId, zoom: next });

  function onPointerDown(event: PointerEvent<HTMLElement>) {
    // The buttons over the photo keep their own clicks.
    if ((event.target as HTMLElement).closest('button, a')) return;
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    const [first, second] = [...pointers.current.values()];
    if (second) {
      gesture.current = { kind: 'pinch', startDistance: Math.max(1, distance(first, second)), startMiddle: middle(first, second), startZoom: zoom };
      setDrag(null);
    } else {
      gesture.current = { kind: 'one', start: first, startZoom: zoom, moved: false };
    }
  }

  function onPointerMove(event: PointerEvent<HTMLElement>) {
    if (!pointers.current.has(event.pointerId)) return;
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    const current = gesture.current;
    if (current?.kind === 'pinch') {
      const [first, second] = [...pointers.current.values()];
      if (!second) return;
      const now = middle(first, second);
      const { at, area } = placeIn(event.currentTarget, current.startMiddle);
      const scaled = zoomAround(current.startZoom, current.startZoom.scale * (distance(first, second) / current.startDistance), at, area);
      setZoom(panned(scaled, { x: now.x - current.startMiddle.x, y: now.y - current.startMiddle.y }, area));
    } else if (current?.kind === 'one') {
      const by = { x: event.clientX - current.start.x, y: event.clientY - current.start.y };
      if (!current.moved && Math.hypot(by.x, by.y) < TAP_SLOP) return;
      current.moved = true;
      if (current.startZoom.scale > 1) setZoom(panned(current.startZoom, by, placeIn(event.currentTarget, current.start).area));
      else setDrag(by);
    }
  }

  function onPointerUp(event: PointerEvent<HTMLElement>) {
    if (!pointers.current.delete(event.pointerId)) return;
    const current = gesture.current;
    gesture.current = pointers.current.size > 0 ? { kind: 'settling' } : null;
    setDrag(null);
    if (current?.kind !== 'one') return;
    const by = { x: event.clientX - current.start.x, y: event.clientY - current.start.y };
    if (!current.moved) {
      tapped({ x: event.clientX, y: event.clientY }, event.currentTarget, event.timeStamp);
      return;
    }
    lastTap.current = null;
    if (current.startZoom.scale > 1) return;
    const across = Math.abs(by.x) > Math.abs(by.y);
    if (across && by.x <= -SWIPE_DISTANCE) onNext?.();
    else if (across && by.x >= SWIPE_DISTANCE) onPrevious?.();
    else if (!across && by.y >= SWIPE_DISTANCE) onClose();
    else if (!across && by.y <= -SWIPE_DISTANCE) onShowInfo();
  }

  function tapped(point: Point, element: HTMLElement, time: number) {
    const previous = lastTap.current;
    if (previous && time - previous.time <= DOUBLE_TAP_MS && distance(previous.point, point) < TAP_SLOP * 3) {
      lastTap.current = null;
      const { at, area } = placeIn(element, point);
      setZoom(zoom.scale > 1 ? UNZOOMED : zoomAround(zoom, DOUBLE_TAP_SCALE, at, area));
    } else {
      lastTap.current = { time, point };
    }
  }

  function onPointerCancel(event: PointerEvent<HTMLElement>) {
    pointers.current.delete(event.pointerId);
    gesture.current = pointers.current.size > 0 ? { kind: 'settling' } : null;
    setDrag(null);
  }

  return {
    zoom,
    drag,
    /** While a finger moves the photo it follows at once; otherwise it eases into place. */
    moving: drag !== null || gesture.current !== null,
    handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel },
  };
}

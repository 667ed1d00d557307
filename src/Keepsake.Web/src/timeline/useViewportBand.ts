import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { MonthLayout } from './layout';

/** The part of the timeline the window shows: `top` is how far the window has scrolled past the grid's top. */
export interface Band {
  top: number;
  height: number;
  width: number;
}

/** A width for the first layout before the grid is measured (and in test DOMs that measure nothing). */
const FALLBACK_WIDTH = 1000;

function measure(node: HTMLElement | null): Band {
  const width = node?.clientWidth || FALLBACK_WIDTH;
  return { top: node ? -node.getBoundingClientRect().top : 0, height: window.innerHeight || 800, width };
}

/** Follows the window's scroll and size, once a frame at most. */
export function useViewportBand(container: RefObject<HTMLElement | null>): Band {
  const [band, setBand] = useState<Band>(() => measure(null));
  useEffect(() => {
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const next = measure(container.current);
        setBand((prev) => (prev.top === next.top && prev.height === next.height && prev.width === next.width ? prev : next));
      });
    };
    update();
    window.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', update);
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    if (container.current) observer?.observe(container.current);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', update);
      window.removeEventListener('resize', update);
      observer?.disconnect();
    };
  }, [container]);
  return band;
}

/**
 * Keeps what the user looks at in place when months above it change height (a month loaded and laid out for real, a
 * photo removed): the month at the top of the window keeps its distance to it, before the browser paints. After a jump
 * the month jumped to is `pinned` at the top instead (the window may not reach it before the months below are loaded),
 * until the user scrolls by themselves.
 */
export function useScrollAnchor(container: RefObject<HTMLElement | null>, months: readonly MonthLayout[], pinned: string | null, release: () => void) {
  const previous = useRef<ReadonlyMap<string, number>>(new Map());
  useEffect(() => {
    // Anything the user does to scroll, except with the scrubber itself, lets the pinned month go.
    if (pinned === null) return;
    const onUserScroll = (event: Event) => {
      if (!(event.target instanceof Element && event.target.closest('[role="slider"]'))) release();
    };
    const events = ['wheel', 'touchstart', 'pointerdown', 'keydown'] as const;
    events.forEach((name) => window.addEventListener(name, onUserScroll, { passive: true }));
    return () => events.forEach((name) => window.removeEventListener(name, onUserScroll));
  }, [pinned, release]);
  useLayoutEffect(() => {
    const tops = new Map(months.map((m) => [m.month, m.top]));
    const before = previous.current;
    previous.current = tops;
    const node = container.current;
    if (!node) return;
    const scrolled = -node.getBoundingClientRect().top;
    if (pinned !== null && tops.has(pinned)) {
      const shift = tops.get(pinned)! - scrolled;
      if (shift !== 0) window.scrollBy(0, shift);
      return;
    }
    if (before.size === 0 || scrolled <= 0) return;
    // The month that was at the window's top, by its former place.
    let anchor: string | null = null;
    let anchorTop = 0;
    for (const [month, top] of before) {
      if (top <= scrolled && top >= anchorTop && tops.has(month)) {
        anchor = month;
        anchorTop = top;
      }
    }
    if (anchor === null) return;
    const shift = tops.get(anchor)! - anchorTop;
    if (shift !== 0) window.scrollBy(0, shift);
  }, [months, container, pinned]);
}

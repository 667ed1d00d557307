import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { formatMonth } from '../format';
import { indexAt } from '../timeline/layout';

interface DateScrubberProps {
  /** Newest first, each at its place in the timeline. */
  months: readonly { month: string; top: number }[];
  /** The timeline's whole height and how far the window is into it. */
  height: number;
  scrolled: number;
  viewport: number;
  /** The month last jumped to, while the timeline holds it at the top; else the month at the window's top is current. */
  current?: string | null;
  /** Scrolls the timeline to the top of this month. */
  onJump: (month: { month: string; top: number }) => void;
}

/** Years closer than this on the bar than the last one labelled are left unlabelled. */
const MIN_LABEL_GAP_PX = 18;

/**
 * A bar beside the timeline standing for its whole height, with its years marked: pointing shows the month there,
 * clicking or dragging goes to it; from the keyboard it is a slider over the months (arrows a month, Page keys a year).
 */
export function DateScrubber({ months, height, scrolled, viewport, current: jumped, onJump }: DateScrubberProps) {
  const bar = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ index: number; y: number } | null>(null);
  const dragging = useRef(false);
  if (months.length === 0 || height <= 0) return null;

  const held = jumped ? months.findIndex((m) => m.month === jumped) : -1;
  const current = held >= 0 ? held : indexAt(months, Math.max(0, scrolled) + 1, (m) => m.top);
  const barHeight = bar.current?.clientHeight || viewport;
  const fractionOf = (top: number) => Math.min(1, Math.max(0, top / height));

  function monthAtPointer(event: PointerEvent) {
    const rect = bar.current!.getBoundingClientRect();
    const y = Math.min(rect.height, Math.max(0, event.clientY - rect.top));
    return { index: indexAt(months, (y / (rect.height || 1)) * height, (m) => m.top), y };
  }

  function jumpTo(index: number) {
    onJump(months[Math.min(months.length - 1, Math.max(0, index))]);
  }

  function onKeyDown(event: KeyboardEvent) {
    const steps: Record<string, number> = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -1, ArrowRight: 1, PageUp: -12, PageDown: 12 };
    let target: number | null = event.key in steps ? current + steps[event.key] : null;
    if (event.key === 'Home') target = 0;
    if (event.key === 'End') target = months.length - 1;
    if (target === null) return;
    event.preventDefault();
    jumpTo(target);
  }

  let lastLabel = Number.NEGATIVE_INFINITY;
  const years = months.flatMap((m, i) => {
    const year = m.month.slice(0, 4);
    if (i > 0 && months[i - 1].month.slice(0, 4) === year) return [];
    const y = fractionOf(m.top) * barHeight;
    if (y - lastLabel < MIN_LABEL_GAP_PX) return [];
    lastLabel = y;
    return [{ year, at: fractionOf(m.top) }];
  });

  return (
    <div ref={bar} className="scrubber" role="slider" tabIndex={0} aria-label="Go to a month" aria-orientation="vertical"
      aria-valuemin={0} aria-valuemax={months.length - 1} aria-valuenow={current} aria-valuetext={formatMonth(months[current].month)}
      onKeyDown={onKeyDown}
      onPointerDown={(e) => {
        dragging.current = true;
        e.currentTarget.setPointerCapture?.(e.pointerId);
        const at = monthAtPointer(e);
        setHover(at);
        jumpTo(at.index);
      }}
      onPointerMove={(e) => {
        const at = monthAtPointer(e);
        setHover(at);
        if (dragging.current && at.index !== current) jumpTo(at.index);
      }}
      onPointerUp={() => {
        dragging.current = false;
      }}
      onPointerCancel={() => {
        dragging.current = false;
        setHover(null);
      }}
      onPointerLeave={() => !dragging.current && setHover(null)}>
      {years.map((y) => (
        <span key={y.year} className="scrubber-year" style={{ top: `${y.at * 100}%` }} aria-hidden="true">{y.year}</span>
      ))}
      <span className="scrubber-thumb" style={{ top: `${fractionOf(scrolled) * 100}%` }} aria-hidden="true" />
      {hover ? (
        <span className="scrubber-hover" style={{ top: hover.y }} aria-hidden="true">{formatMonth(months[hover.index].month)}</span>
      ) : null}
    </div>
  );
}

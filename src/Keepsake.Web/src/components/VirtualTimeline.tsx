import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PhotoSummary, TimelineBucket, Weather } from '../api/models';
import { blocksBetween, layoutTimeline, metricsFor } from '../timeline/layout';
import { tilePlaces } from '../timeline/navigation';
import { useGridInteraction } from '../timeline/useGridInteraction';
import { useScrollAnchor, useViewportBand } from '../timeline/useViewportBand';
import { DateScrubber } from './DateScrubber';
import { TimelineBlocks } from './TimelineBlocks';

interface VirtualTimelineProps {
  buckets: readonly TimelineBucket[];
  loaded: ReadonlyMap<string, PhotoSummary[]>;
  /** Asks for the photos of these months, nearest first. */
  want: (months: string[]) => void;
  /** Opens the photo at this place of the loaded photos in timeline order. */
  onOpen: (index: number) => void;
  selected?: ReadonlySet<string>;
  onToggle?: (id: string) => void;
  onSelectMany?: (ids: string[]) => void;
  weatherOf?: (photoId: string) => Weather | undefined;
  onImageError?: () => void;
  /** A month to go to as the scrubber would, e.g. that of a linked photo not loaded yet. */
  goTo?: string | null;
}

/** Rows drawn beyond the window, as a share of its height, so a scroll finds them ready. */
const DRAW_AHEAD = 0.75;
/** Months loaded beyond the window, as a share of its height. */
const LOAD_AHEAD = 2;
/** The scrubber appears once the timeline is this many windows tall; a shorter one is scrolled through as quickly. */
const SCRUBBER_FROM = 3;
/** A timeline of at most this many photos is loaded and drawn whole: no lighter page would come of leaving parts out. */
const SMALL_TIMELINE = 150;

/**
 * The timeline of a view as justified rows, month after month, for any number of photos: every month has its place
 * (estimated until loaded), only the rows near the window are in the page, and months load as they come near it.
 */
export function VirtualTimeline({ buckets, loaded, want, onOpen, selected, onToggle, onSelectMany, weatherOf, onImageError, goTo }: VirtualTimelineProps) {
  const container = useRef<HTMLDivElement>(null);
  const band = useViewportBand(container);
  const metrics = useMemo(() => metricsFor(band.width), [band.width]);
  const layout = useMemo(() => layoutTimeline(buckets, loaded, metrics), [buckets, loaded, metrics]);
  const { places, rows } = useMemo(() => tilePlaces(layout.months), [layout]);
  // The month the scrubber went to stays at the top while the months around it load, until the user scrolls.
  const [pinned, setPinned] = useState<string | null>(null);
  const unpin = useCallback(() => setPinned(null), []);
  useScrollAnchor(container, layout.months, pinned, unpin);
  useEffect(() => {
    if (goTo) setPinned(goTo);
  }, [goTo]);

  const scrollTo = useCallback((y: number) => {
    const gridTop = (container.current?.getBoundingClientRect().top ?? 0) + window.scrollY;
    window.scrollTo({ top: gridTop + y });
  }, []);

  const reveal = useCallback((index: number) => {
    const place = places[index];
    if (!place) return;
    if (place.top < band.top) scrollTo(place.top - metrics.dayHeading);
    else if (place.top + place.height > band.top + band.height) scrollTo(place.top + place.height - band.height + metrics.gap);
  }, [places, band, scrollTo, metrics]);

  const interaction = useGridInteraction({ container, places, rows, selected, onToggle, onSelectMany, onOpen, reveal });

  const small = buckets.reduce((sum, b) => sum + b.count, 0) <= SMALL_TIMELINE;
  useEffect(() => {
    const from = small ? Number.NEGATIVE_INFINITY : band.top - band.height * LOAD_AHEAD;
    const to = small ? Number.POSITIVE_INFINITY : band.top + band.height * (1 + LOAD_AHEAD);
    const middle = band.top + band.height / 2;
    const near = layout.months.filter((m) => !m.loaded && m.top + m.height >= from && m.top <= to);
    near.sort((a, b) => Math.abs(a.top + a.height / 2 - middle) - Math.abs(b.top + b.height / 2 - middle));
    want(near.map((m) => m.month));
  }, [band, layout, want, small]);

  const drawn = small
    ? blocksBetween(layout.months, 0, layout.height)
    : blocksBetween(layout.months, band.top - band.height * DRAW_AHEAD, band.top + band.height * (1 + DRAW_AHEAD));
  // The tile holding the tab stop stays in the page, so the grid can always be tabbed into.
  const active = interaction.tabStop === undefined ? undefined : places[interaction.tabStop];
  if (active && !drawn.some((d) => d.top === active.top)) {
    drawn.push(...blocksBetween(layout.months, active.top + 1, active.top + 2).filter((d) => d.block.kind === 'row'));
  }

  const scrubbed = layout.height > band.height * SCRUBBER_FROM;
  return (
    <div className={`timeline justified${interaction.selecting ? ' selecting' : ''}${scrubbed ? ' scrubbed' : ''}`}>
      <div ref={container} className="timeline-canvas" style={{ height: layout.height }}>
        <TimelineBlocks drawn={drawn} weatherOf={weatherOf} tileProps={interaction.tileProps} onImageError={onImageError} />
      </div>
      {scrubbed ? <DateScrubber months={layout.months} height={layout.height} scrolled={band.top} viewport={band.height}
        current={pinned} onJump={(month) => setPinned(month.month)} /> : null}
    </div>
  );
}

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PhotoSummary, TimelineBucket, Weather } from '../api/models';
import { formatMonth, formatWeather } from '../format';
import { WeatherIcon } from '../icons';
import { blocksBetween, layoutTimeline, metricsFor, type Block, type PlacedBlock } from '../timeline/layout';
import { tilePlaces } from '../timeline/navigation';
import { useGridInteraction } from '../timeline/useGridInteraction';
import { useScrollAnchor, useViewportBand } from '../timeline/useViewportBand';
import { DateScrubber } from './DateScrubber';
import { PhotoTile } from './PhotoTile';

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
}

/** Rows drawn beyond the window, as a share of its height, so a scroll finds them ready. */
const DRAW_AHEAD = 0.75;
/** Months loaded beyond the window, as a share of its height. */
const LOAD_AHEAD = 2;

/**
 * The timeline of a view as justified rows, month after month, for any number of photos: every month has its place
 * (estimated until loaded), only the rows near the window are in the page, and months load as they come near it.
 */
export function VirtualTimeline({ buckets, loaded, want, onOpen, selected, onToggle, onSelectMany, weatherOf, onImageError }: VirtualTimelineProps) {
  const container = useRef<HTMLDivElement>(null);
  const band = useViewportBand(container);
  const metrics = useMemo(() => metricsFor(band.width), [band.width]);
  const layout = useMemo(() => layoutTimeline(buckets, loaded, metrics), [buckets, loaded, metrics]);
  const { places, rows } = useMemo(() => tilePlaces(layout.months), [layout]);
  // The month the scrubber went to stays at the top while the months around it load, until the user scrolls.
  const [pinned, setPinned] = useState<string | null>(null);
  const unpin = useCallback(() => setPinned(null), []);
  useScrollAnchor(container, layout.months, pinned, unpin);

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

  useEffect(() => {
    const from = band.top - band.height * LOAD_AHEAD;
    const to = band.top + band.height * (1 + LOAD_AHEAD);
    const middle = band.top + band.height / 2;
    const near = layout.months.filter((m) => !m.loaded && m.top + m.height >= from && m.top <= to);
    near.sort((a, b) => Math.abs(a.top + a.height / 2 - middle) - Math.abs(b.top + b.height / 2 - middle));
    want(near.map((m) => m.month));
  }, [band, layout, want]);

  const drawn = blocksBetween(layout.months, band.top - band.height * DRAW_AHEAD, band.top + band.height * (1 + DRAW_AHEAD));
  // The tile holding the tab stop stays in the page, so the grid can always be tabbed into.
  const active = places.find((p) => interaction.tabStop === p.photo.id);
  if (active && !drawn.some((d) => d.top === active.top)) {
    drawn.push(...blocksBetween(layout.months, active.top + 1, active.top + 2).filter((d) => d.block.kind === 'row'));
  }

  return (
    <div className={`timeline justified${interaction.selecting ? ' selecting' : ''}`}>
      <div ref={container} className="timeline-canvas" style={{ height: layout.height }}>
        {drawn.map((placed) => (
          <DrawnBlock key={placed.block.key} placed={placed} weatherOf={weatherOf} tileProps={interaction.tileProps} onImageError={onImageError} />
        ))}
      </div>
      <DateScrubber months={layout.months} height={layout.height} scrolled={band.top} viewport={band.height}
        current={pinned} onJump={(month) => setPinned(month.month)} />
    </div>
  );
}

interface DrawnBlockProps {
  placed: PlacedBlock;
  weatherOf?: (photoId: string) => Weather | undefined;
  tileProps: ReturnType<typeof useGridInteraction>['tileProps'];
  onImageError?: () => void;
}

function DrawnBlock({ placed: { block, top }, weatherOf, tileProps, onImageError }: DrawnBlockProps) {
  const style = { top, height: block.height };
  switch (block.kind) {
    case 'month':
      return <h2 className="month-heading timeline-block" style={style}>{formatMonth(block.month)}</h2>;
    case 'day':
      return <DayHeading block={block} style={style} weatherOf={weatherOf} />;
    case 'placeholder':
      return <div className="month-placeholder timeline-block" style={style} aria-hidden="true" />;
    case 'row':
      return (
        <ul className="justified-row timeline-block" style={style} role="list">
          {block.tiles.map((tile) => (
            <PhotoTile key={tile.photo.id} photo={tile.photo} style={{ left: tile.left, width: tile.width, height: tile.height }}
              onImageError={onImageError} {...tileProps(tile.photo)} />
          ))}
        </ul>
      );
  }
}

function DayHeading({ block, style, weatherOf }: { block: Extract<Block, { kind: 'day' }>; style: { top: number; height: number }; weatherOf?: (id: string) => Weather | undefined }) {
  const weather = weatherOf ? block.group.items.map((p) => weatherOf(p.id)).find((w) => w !== undefined) : undefined;
  return (
    <div className="day-head timeline-block" style={style}>
      <h3 className="day-heading">{block.group.label}</h3>
      {weather ? (
        <span className="day-weather" title="Weather where and when the day's first photo with a place was taken">
          <WeatherIcon name={weather.icon} /> {formatWeather(weather)}
        </span>
      ) : null}
    </div>
  );
}

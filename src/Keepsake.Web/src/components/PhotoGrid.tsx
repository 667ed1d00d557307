import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { formatMonth, formatWeather, groupByDay } from '../format';
import type { PhotoSummary, Weather } from '../api/models';
import { WeatherIcon } from '../icons';
import { justifyDay, metricsFor } from '../timeline/layout';
import { placesOfRows } from '../timeline/navigation';
import { useGridInteraction } from '../timeline/useGridInteraction';
import { PhotoTile } from './PhotoTile';

interface PhotoGridProps {
  items: PhotoSummary[];
  onOpen: (index: number) => void;
  /** Selection is offered when these are given; `onSelectMany` takes a shift-click's range. */
  selected?: ReadonlySet<string>;
  onToggle?: (id: string) => void;
  onSelectMany?: (ids: string[]) => void;
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  canLoad: boolean;
  /** The weather of a photo when known; a day's heading shows that of its first photo that has one. */
  weatherOf?: (photoId: string) => Weather | undefined;
  /** A thumbnail failed to load (its signed URL may have expired). */
  onImageError?: () => void;
  /** One run of justified rows in the order given, without day headings (search results, most relevant first). */
  flat?: boolean;
}

/** The width of the grid, followed as the window changes; a guess before it is first measured. */
function useWidth(node: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(1000);
  useEffect(() => {
    const element = node.current;
    if (!element) return;
    const measure = () => element.clientWidth > 0 && setWidth(element.clientWidth);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [node]);
  return width;
}

/**
 * A paged list of photos (an album, a share link, the trash) in justified rows under a heading per day, with the
 * timeline's tiles and keyboard; scrolling near the end loads the next page. The timeline itself, which can hold any
 * number of photos, is VirtualTimeline.
 */
export function PhotoGrid({ items, onOpen, selected, onToggle, onSelectMany, hasMore, loading, onLoadMore, canLoad, weatherOf, onImageError, flat = false }: PhotoGridProps) {
  const grid = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const loadMore = useRef(onLoadMore);
  loadMore.current = onLoadMore;
  const width = useWidth(grid);

  useEffect(() => {
    const node = sentinel.current;
    if (!node || !hasMore || !canLoad || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMore.current();
    }, { rootMargin: '800px 0px' });
    observer.observe(node);
    return () => observer.disconnect();
  }, [hasMore, canLoad, items.length]);

  const days = useMemo(() => {
    const metrics = metricsFor(width);
    if (flat) {
      return items.length === 0 ? [] : [{ group: { key: 'all', label: '', month: null, items }, startsMonth: false, ...justifyDay(items, metrics) }];
    }
    // A month's heading before its first day; photos without a date have none and do not break a month.
    let lastMonth: string | null = null;
    return groupByDay(items).map((group) => {
      const startsMonth = group.month !== null && group.month !== lastMonth;
      if (group.month !== null) lastMonth = group.month;
      return { group, startsMonth, ...justifyDay(group.items, metrics) };
    });
  }, [items, width, flat]);
  const { places, rows } = useMemo(() => placesOfRows(days.flatMap((day) => day.rows.map((tiles) => ({ top: 0, tiles })))), [days]);
  const interaction = useGridInteraction({ container: grid, places, rows, selected, onToggle, onSelectMany, onOpen });

  return (
    <div ref={grid} className={`timeline${interaction.selecting ? ' selecting' : ''}`}>
      {days.map(({ group, startsMonth, rows: dayRows, height }) => {
        const weather = weatherOf ? group.items.map((p) => weatherOf(p.id)).find((w) => w !== undefined) : undefined;
        return (
          <section key={group.key} className="day" aria-labelledby={flat ? undefined : `day-${group.key}`}>
            {startsMonth ? <h2 className="month-heading">{formatMonth(group.month!)}</h2> : null}
            {flat ? null : <div className="day-head">
              <h3 id={`day-${group.key}`} className="day-heading">{group.label}</h3>
              {weather ? (
                <span className="day-weather" title="Weather where and when the day's first photo with a place was taken">
                  <WeatherIcon name={weather.icon} /> {formatWeather(weather)}
                </span>
              ) : null}
            </div>}
            <ul className="justified-row day-rows" role="list" style={{ height }}>
              {dayRows.flat().map((tile) => (
                <PhotoTile key={tile.photo.id} photo={tile.photo} style={{ top: tile.top, left: tile.left, width: tile.width, height: tile.height }}
                  onImageError={onImageError} {...interaction.tileProps(tile.photo)} />
              ))}
            </ul>
          </section>
        );
      })}
      <div ref={sentinel} className="sentinel" />
      {hasMore && canLoad && items.length > 0 ? (
        <p className="load-more">
          <button type="button" className="button" onClick={onLoadMore} disabled={loading}>
            {loading ? 'Loading…' : 'Load more photos'}
          </button>
        </p>
      ) : null}
      {loading && items.length === 0 ? <p className="muted" role="status">Loading photos…</p> : null}
    </div>
  );
}

import { useEffect, useRef } from 'react';
import { formatMonth, formatWeather, groupByDay, photoLabel } from '../format';
import type { PhotoSummary, Weather } from '../api/models';
import { CheckIcon, HeartIcon, MissingFileIcon, WeatherIcon } from '../icons';

interface PhotoGridProps {
  items: PhotoSummary[];
  onOpen: (index: number) => void;
  /** Selection is offered when these are given. */
  selected?: ReadonlySet<string>;
  onToggle?: (id: string) => void;
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  canLoad: boolean;
  /** The weather of a photo when known; a day's heading shows that of its first photo that has one. */
  weatherOf?: (photoId: string) => Weather | undefined;
  /** A thumbnail failed to load (its signed URL may have expired). */
  onImageError?: () => void;
}

/** Photos grouped by day with a heading per day; scrolling near the end loads the next page. */
export function PhotoGrid({ items, onOpen, selected, onToggle, hasMore, loading, onLoadMore, canLoad, weatherOf, onImageError }: PhotoGridProps) {
  const sentinel = useRef<HTMLDivElement>(null);
  const loadMore = useRef(onLoadMore);
  loadMore.current = onLoadMore;

  useEffect(() => {
    const node = sentinel.current;
    if (!node || !hasMore || !canLoad || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMore.current();
    }, { rootMargin: '800px 0px' });
    observer.observe(node);
    return () => observer.disconnect();
  }, [hasMore, canLoad, items.length]);

  const groups = groupByDay(items);
  // A month's heading before its first day; photos without a date have none and do not break a month.
  let lastMonth: string | null = null;
  const startsMonth = groups.map((g) => {
    const starts = g.month !== null && g.month !== lastMonth;
    if (g.month !== null) lastMonth = g.month;
    return starts;
  });
  const indexOf = new Map(items.map((p, i) => [p.id, i]));

  return (
    <div className="timeline">
      {groups.map((group, i) => {
        const weather = weatherOf ? group.items.map((p) => weatherOf(p.id)).find((w) => w !== undefined) : undefined;
        return (
        <section key={group.key} className="day" aria-labelledby={`day-${group.key}`}>
          {startsMonth[i] ? <h2 className="month-heading">{formatMonth(group.month!)}</h2> : null}
          <div className="day-head">
            <h3 id={`day-${group.key}`} className="day-heading">{group.label}</h3>
            {weather ? (
              <span className="day-weather" title="Weather where and when the day's first photo with a place was taken">
                <WeatherIcon name={weather.icon} /> {formatWeather(weather)}
              </span>
            ) : null}
          </div>
          <ul className="grid" role="list">
            {group.items.map((photo) => {
              const label = photoLabel(photo) + (photo.favorite ? ', favourite' : '');
              const isSelected = selected?.has(photo.id) ?? false;
              return (
                <li key={photo.id} className={['tile', isSelected ? 'selected' : '', photo.missing ? 'missing' : ''].filter(Boolean).join(' ')}>
                  <button type="button" className="tile-open" aria-label={photo.missing ? `File missing: ${label}` : label} onClick={() => onOpen(indexOf.get(photo.id)!)}>
                    {photo.missing ? (
                      // Its files are gone: asking for them would only draw a broken image.
                      <span className="tile-missing" aria-hidden="true">
                        <MissingFileIcon />
                        File missing
                      </span>
                    ) : (
                      <img src={photo.thumbnailUrl} alt="" loading="lazy" decoding="async" width={photo.width} height={photo.height} onError={onImageError} />
                    )}
                  </button>
                  {photo.favorite ? (
                    <span className="tile-favorite" title="Favourite">
                      <HeartIcon filled />
                    </span>
                  ) : null}
                  {onToggle ? (
                    <label className="tile-check">
                      <input type="checkbox" checked={isSelected} onChange={() => onToggle(photo.id)} aria-label={`Select ${label.replace(/^Photo/, 'photo')}`} />
                      <span className="tile-check-box" aria-hidden="true"><CheckIcon /></span>
                    </label>
                  ) : null}
                </li>
              );
            })}
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

import { useEffect, useState } from 'react';
import { api } from '../api/endpoints';
import type { Memories, PhotoSummary } from '../api/models';

/** The browser's own calendar day, as the API takes it. */
export function localDay(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** "On this day": the photos of today's date in earlier years, a row per year; nothing at all when there are none. */
export function MemoriesStrip({ onOpen }: { onOpen: (photos: PhotoSummary[], index: number) => void }) {
  const [memories, setMemories] = useState<Memories | null>(null);

  useEffect(() => {
    let live = true;
    // Memories only decorate the timeline: without them it simply starts with the photos.
    api.photos.memories(localDay()).then((m) => live && setMemories(m), () => undefined);
    return () => {
      live = false;
    };
  }, []);

  if (!memories || memories.years.length === 0) return null;
  return (
    <section className="memories" aria-label="On this day">
      <h2>On this day</h2>
      <ul className="memories-years" role="list">
        {memories.years.map((year) => (
          <li key={year.year} className="memories-year">
            <h3>
              {year.yearsAgo === 1 ? '1 year ago' : `${year.yearsAgo} years ago`} <span className="muted">· {year.year}</span>
            </h3>
            <div className="memories-photos">
              {year.photos.map((photo, index) => (
                <button key={photo.id} type="button" className="memory" aria-label={`Photo of ${year.year}, ${index + 1} of ${year.photos.length}`}
                  onClick={() => onOpen(year.photos, index)}>
                  <img src={photo.thumbnailUrl} alt="" loading="lazy" decoding="async" width={photo.width} height={photo.height} />
                </button>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

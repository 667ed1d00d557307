import type { Camera, Measure, PhotoSummary, Place, Weather } from './api/models';

const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortDayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** The day a dated photo was taken, as YYYY-MM-DD: the camera's wall-clock date, without shifting time zones. */
function dayKey(photo: Pick<PhotoSummary, 'takenAt'>): string {
  return photo.takenAt!.slice(0, 10);
}

/** Server DateTimes are UTC; some arrive without the trailing Z. */
export function parseServerDate(value: string): Date {
  return new Date(/[zZ]|[+-]\d{2}:\d{2}$/.test(value) ? value : `${value}Z`);
}

function keyToDate(key: string): Date {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export function formatDay(key: string): string {
  return dayFormat.format(keyToDate(key));
}

export interface DayGroup<T> {
  key: string;
  label: string;
  /** YYYY-MM of the day, or null for photos without a date. */
  month: string | null;
  items: T[];
}

const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "August 2024" from YYYY-MM. */
export function formatMonth(month: string): string {
  return monthFormat.format(keyToDate(`${month}-01`));
}

/** The label of a day: "Today" and "Yesterday" by the browser's calendar, else the full date. */
export function dayLabel(key: string, now: Date = new Date()): string {
  const local = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  if (key === local(now)) return 'Today';
  if (key === local(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1))) return 'Yesterday';
  return formatDay(key);
}

/**
 * Consecutive photos of the same day form a group; the timeline order is kept. Photos without a date (scans,
 * screenshots) are not filed under the day they were added: consecutive ones form an "Unknown date" group.
 */
export function groupByDay<T extends Pick<PhotoSummary, 'takenAt' | 'timelineAt'>>(items: T[], now: Date = new Date()): DayGroup<T>[] {
  const groups: DayGroup<T>[] = [];
  for (const item of items) {
    const dated = item.takenAt !== null && /^\d{4}-\d{2}-\d{2}/.test(item.takenAt);
    const last = groups[groups.length - 1];
    const key = dated ? dayKey(item) : last?.month === null ? last.key : `unknown-${groups.length}`;
    if (last && last.key === key) last.items.push(item);
    else groups.push({ key, label: dated ? dayLabel(key, now) : 'Unknown date', month: dated ? key.slice(0, 7) : null, items: [item] });
  }
  return groups;
}

/** "12 Mar 2024, 14:03" from the camera's wall-clock time, without shifting time zones. */
export function formatTakenAt(takenAt: string): string {
  const day = shortDayFormat.format(keyToDate(takenAt.slice(0, 10)));
  const time = takenAt.length >= 16 ? takenAt.slice(11, 16) : '';
  return time ? `${day}, ${time}` : day;
}

export function formatDateTime(value: string): string {
  return dateTimeFormat.format(parseServerDate(value));
}

export function photoLabel(photo: Pick<PhotoSummary, 'takenAt' | 'timelineAt'>): string {
  return photo.takenAt ? `Photo taken ${formatTakenAt(photo.takenAt)}` : `Photo added ${formatDateTime(photo.timelineAt)}`;
}

export function formatCamera(camera: Camera): string | null {
  const make = camera.make?.trim() ?? '';
  const model = camera.model?.trim() ?? '';
  if (!make && !model) return null;
  // Many cameras repeat the make in the model ("Canon" + "Canon EOS R6").
  if (make && model.toLowerCase().startsWith(make.toLowerCase())) return model;
  return [make, model].filter(Boolean).join(' ');
}

export function formatExposure(camera: Camera): string | null {
  const parts: string[] = [];
  if (camera.exposureTime) parts.push(/s$/.test(camera.exposureTime) ? camera.exposureTime : `${camera.exposureTime} s`);
  if (camera.fNumber != null) parts.push(`f/${Number(camera.fNumber.toFixed(1))}`);
  if (camera.iso != null) parts.push(`ISO ${camera.iso}`);
  if (camera.focalLengthMm != null) parts.push(`${Number(camera.focalLengthMm.toFixed(1))} mm`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GB`;
}

export function osmUrl(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(5);
  const lon = longitude.toFixed(5);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=15/${lat}/${lon}`;
}

export function formatMeasure(measure: Measure): string {
  return `${Number(measure.value.toFixed(1))} ${measure.unit}`;
}

/** "18.5 °C, Moderate rain". */
export function formatWeather(weather: Weather): string {
  return [weather.temperature ? formatMeasure(weather.temperature) : null, weather.condition].filter(Boolean).join(', ');
}

/** "1.5 mm rain · 57 % cloud · wind 9.3 km/h", leaving out what the provider did not know. */
export function formatWeatherDetails(weather: Weather): string {
  const parts: string[] = [];
  if (weather.precipitation) parts.push(`${formatMeasure(weather.precipitation)} precipitation`);
  if (weather.cloudCover) parts.push(`${formatMeasure(weather.cloudCover)} cloud`);
  if (weather.wind) parts.push(`wind ${formatMeasure(weather.wind)}`);
  return parts.join(' · ');
}

/** A photo's place as people write it: "Rome, Lazio, Italy"; a region named like its city ("Tokyo, Tokyo") is said once. */
export function formatPlace(place: Pick<Place, 'city' | 'region' | 'country'>): string {
  return [place.city, place.region && place.region !== place.city ? place.region : null, place.country].filter(Boolean).join(', ');
}

const dateSources: Record<string, string> = {
  exif: 'from the camera',
  xmp: 'from XMP metadata',
  iptc: 'from IPTC metadata',
  gps: 'from the GPS clock',
  'file-name': 'from the file name',
  'file-time': 'from the file’s time',
};

/** Where a photo's date came from, as the viewer says it ("from the file name"); null when not recorded. */
export function formatDateSource(source: string | null | undefined): string | null {
  return source ? dateSources[source] ?? null : null;
}

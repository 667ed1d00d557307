import justifiedLayout from 'justified-layout';
import type { PhotoSummary } from '../api/models';
import { groupByDay, type DayGroup } from '../format';

/** The sizes the timeline is laid out with, in CSS pixels. */
export interface LayoutMetrics {
  width: number;
  /** Rows aim at this height; the thumbnails are at most 250 px on their long side, so a 3:2 one is 167 px tall. */
  rowHeight: number;
  gap: number;
  monthHeading: number;
  dayHeading: number;
  /** Space after a day's last row. */
  dayEnd: number;
}

/** Rows about as tall as a landscape thumbnail on wide screens (barely stretched at 1×), smaller on phones. */
export function metricsFor(width: number): LayoutMetrics {
  const narrow = width < 600;
  return { width, rowHeight: narrow ? 110 : 160, gap: 4, monthHeading: 56, dayHeading: 36, dayEnd: 12 };
}

export interface TileBox {
  photo: PhotoSummary;
  /** From the top of its day's rows. */
  top: number;
  left: number;
  width: number;
  height: number;
}

/** A piece of the timeline at a height (from the top of its month); only the pieces near the viewport are drawn. */
export type Block =
  | { kind: 'month'; key: string; top: number; height: number; month: string }
  | { kind: 'day'; key: string; top: number; height: number; group: DayGroup<PhotoSummary>; day: string }
  | { kind: 'row'; key: string; top: number; height: number; tiles: TileBox[]; day: string; dayLabel: string }
  | { kind: 'placeholder'; key: string; top: number; height: number; count: number };

export interface MonthLayout {
  month: string;
  count: number;
  loaded: boolean;
  top: number;
  height: number;
  /** Tops relative to the month's own top. */
  blocks: Block[];
}

/** Justified rows of one day's photos at their true aspect ratios; the last row keeps the target height. */
export function justifyDay(photos: PhotoSummary[], metrics: LayoutMetrics): { rows: TileBox[][]; height: number } {
  const result = justifiedLayout(
    photos.map((p) => (p.width > 0 && p.height > 0 ? p.width / p.height : 1)),
    { containerWidth: metrics.width, containerPadding: 0, boxSpacing: metrics.gap, targetRowHeight: metrics.rowHeight },
  );
  const rows: TileBox[][] = [];
  let lastTop = Number.NaN;
  result.boxes.forEach((box, i) => {
    if (box.top !== lastTop) rows.push([]);
    lastTop = box.top;
    rows[rows.length - 1].push({ photo: photos[i], top: box.top, left: box.left, width: box.width, height: box.height });
  });
  return { rows, height: result.containerHeight };
}

/** What a month of `count` photos is guessed to take before it is loaded: its rows at a typical 3:2 plus a heading a day. */
export function estimateMonthHeight(count: number, metrics: LayoutMetrics): number {
  const days = Math.max(1, Math.min(count, Math.ceil(count / 10)));
  const perRow = Math.max(1, Math.floor(metrics.width / (metrics.rowHeight * 1.4 + metrics.gap)));
  const rows = Math.max(days, Math.ceil(count / perRow));
  return metrics.monthHeading + days * (metrics.dayHeading + metrics.dayEnd) + rows * (metrics.rowHeight + metrics.gap);
}

const laidOut = new WeakMap<PhotoSummary[], { width: number; blocks: Block[]; height: number }>();

/** A loaded month: its heading, then a heading per day and the day's rows. Kept per photo list and width. */
export function layoutLoadedMonth(month: string, photos: PhotoSummary[], metrics: LayoutMetrics): { blocks: Block[]; height: number } {
  const cached = laidOut.get(photos);
  if (cached && cached.width === metrics.width) return cached;
  const blocks: Block[] = [{ kind: 'month', key: `m-${month}`, top: 0, height: metrics.monthHeading, month }];
  let top = metrics.monthHeading;
  for (const group of groupByDay(photos)) {
    const dayKey = `${month}-${group.key}`;
    blocks.push({ kind: 'day', key: `d-${dayKey}`, top, height: metrics.dayHeading, group, day: dayKey });
    top += metrics.dayHeading;
    const { rows } = justifyDay(group.items, metrics);
    rows.forEach((tiles, i) => {
      const height = tiles[0].height;
      blocks.push({ kind: 'row', key: `r-${dayKey}-${i}`, top, height, tiles, day: dayKey, dayLabel: group.label });
      top += height + (i < rows.length - 1 ? metrics.gap : 0);
    });
    top += metrics.dayEnd;
  }
  const result = { width: metrics.width, blocks, height: top };
  laidOut.set(photos, result);
  return result;
}

/** The whole timeline: every month at its place, laid out when loaded and reserved at its estimate when not. */
export function layoutTimeline(
  buckets: readonly { month: string; count: number }[],
  loaded: ReadonlyMap<string, PhotoSummary[]>,
  metrics: LayoutMetrics,
): { months: MonthLayout[]; height: number } {
  let top = 0;
  const months = buckets.map(({ month, count }): MonthLayout => {
    const photos = loaded.get(month);
    if (photos && photos.length > 0) {
      const { blocks, height } = layoutLoadedMonth(month, photos, metrics);
      const layout = { month, count, loaded: true, top, height, blocks };
      top += height;
      return layout;
    }
    const height = photos ? 0 : estimateMonthHeight(count, metrics);
    const blocks: Block[] = photos ? [] : [
      { kind: 'month', key: `m-${month}`, top: 0, height: metrics.monthHeading, month },
      { kind: 'placeholder', key: `p-${month}`, top: metrics.monthHeading, height: height - metrics.monthHeading, count },
    ];
    const layout = { month, count, loaded: photos !== undefined, top, height, blocks };
    top += height;
    return layout;
  });
  return { months, height: top };
}

/** The index of the last item whose start is at or before `y` (items sorted by start); 0 when none is. */
export function indexAt<T>(items: readonly T[], y: number, start: (item: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (start(items[mid]) <= y) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export interface PlacedBlock {
  block: Block;
  /** From the top of the timeline. */
  top: number;
}

/** The blocks that meet the band from `from` to `to` (timeline coordinates), in order. */
export function blocksBetween(months: readonly MonthLayout[], from: number, to: number): PlacedBlock[] {
  const placed: PlacedBlock[] = [];
  if (months.length === 0) return placed;
  for (let m = indexAt(months, from, (x) => x.top); m < months.length && months[m].top < to; m++) {
    const month = months[m];
    const blocks = month.blocks;
    for (let b = indexAt(blocks, from - month.top, (x) => x.top); b < blocks.length && month.top + blocks[b].top < to; b++) {
      const top = month.top + blocks[b].top;
      if (top + blocks[b].height >= from) placed.push({ block: blocks[b], top });
    }
  }
  return placed;
}

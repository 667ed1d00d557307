import { describe, expect, it } from 'vitest';
import type { PhotoSummary } from '../api/models';
import { blocksBetween, estimateMonthHeight, justifyDay, layoutTimeline, metricsFor } from './layout';
import { moveFrom, tilePlaces } from './navigation';

const photo = (id: string, day: string, width = 3000, height = 2000): PhotoSummary => ({
  id, width, height, takenAt: `${day}T12:00:00`, timelineAt: `${day}T12:00:00Z`, thumbnailUrl: `/t/${id}`, thumbnails: [], previewUrl: `/p/${id}`, missing: false, favorite: false, archived: false,
});
const metrics = metricsFor(1000);

describe('justified layout', () => {
  it('fills each row to the full width at the photos own aspect ratios, near the target height', () => {
    const photos = [photo('a', '2024-07-01'), photo('b', '2024-07-01', 2000, 3000), photo('c', '2024-07-01', 4000, 1000), ...Array.from({ length: 9 }, (_, i) => photo(`x${i}`, '2024-07-01'))];
    const { rows } = justifyDay(photos, metrics);

    for (const row of rows.slice(0, -1)) {
      const last = row[row.length - 1];
      expect(last.left + last.width).toBeCloseTo(1000, 0);
      expect(row[0].height).toBeGreaterThan(metrics.rowHeight * 0.7);
      expect(row[0].height).toBeLessThan(metrics.rowHeight * 1.3);
      for (const tile of row) expect(tile.width / tile.height).toBeCloseTo(tile.photo.width / tile.photo.height, 1);
    }
    expect(rows.flat().map((t) => t.photo.id)).toEqual(photos.map((p) => p.id));
  });

  it('uses shorter rows on a phone, and treats a photo without dimensions as square', () => {
    expect(metricsFor(390).rowHeight).toBeLessThan(metricsFor(1200).rowHeight);
    const [[tile]] = justifyDay([photo('z', '2024-07-01', 0, 0)], metrics).rows;
    expect(tile.width).toBeCloseTo(tile.height, 5);
  });
});

describe('timeline of month buckets', () => {
  const buckets = [{ month: '2024-08', count: 2 }, { month: '2024-07', count: 400 }, { month: '2019-01', count: 10 }];
  const august = [photo('a', '2024-08-02'), photo('b', '2024-08-01')];

  it('reserves an estimate for each month not loaded and lays out the loaded ones, one after the other', () => {
    const { months, height } = layoutTimeline(buckets, new Map([['2024-08', august]]), metrics);

    expect(months.map((m) => m.loaded)).toEqual([true, false, false]);
    expect(months[1].height).toBe(estimateMonthHeight(400, metrics));
    expect(months[1].top).toBe(months[0].height);
    expect(months[2].top).toBe(months[0].height + months[1].height);
    expect(height).toBe(months[2].top + months[2].height);
    expect(months[0].blocks.map((b) => b.kind)).toEqual(['month', 'day', 'row', 'day', 'row']);
    expect(months[1].blocks.map((b) => b.kind)).toEqual(['month', 'placeholder']);
  });

  it('estimates a month by its count so that a bigger month takes more room', () => {
    expect(estimateMonthHeight(1000, metrics)).toBeGreaterThan(estimateMonthHeight(100, metrics));
    expect(estimateMonthHeight(1, metrics)).toBeGreaterThan(metrics.rowHeight);
  });

  it('gives only the blocks that meet the window, however many photos the timeline holds', () => {
    const many = Array.from({ length: 1200 }, (_, i) => ({ month: `${2024 - Math.floor(i / 12)}-${String(12 - (i % 12)).padStart(2, '0')}`, count: 100 }));
    const loaded = new Map(many.slice(0, 50).map((b) => [b.month, Array.from({ length: 100 }, (_, i) => photo(`${b.month}-${i}`, `${b.month}-${String(1 + (i % 28)).padStart(2, '0')}`))]));
    const { months, height } = layoutTimeline(many, loaded, metrics);
    const middle = months[25].top + 200;

    const drawn = blocksBetween(months, middle, middle + 900);

    expect(height).toBeGreaterThan(100_000);
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.length).toBeLessThan(30);
    for (const { block, top } of drawn) {
      expect(top + block.height).toBeGreaterThanOrEqual(middle);
      expect(top).toBeLessThan(middle + 900);
    }
    expect(drawn.flatMap((d) => (d.block.kind === 'row' ? d.block.tiles : [])).length).toBeLessThan(120);
  });

  it('keeps a month laid out once for the same photos and width', () => {
    const first = layoutTimeline(buckets, new Map([['2024-08', august]]), metrics).months[0].blocks;
    expect(layoutTimeline(buckets, new Map([['2024-08', august]]), metrics).months[0].blocks).toBe(first);
  });
});

describe('moving between tiles', () => {
  const photos = Array.from({ length: 14 }, (_, i) => photo(`p${i}`, '2024-07-01'));
  const { months } = layoutTimeline([{ month: '2024-07', count: 14 }], new Map([['2024-07', photos]]), metrics);
  const { places, rows } = tilePlaces(months);

  it('goes left and right in timeline order and up and down to the nearest tile of the next row', () => {
    expect(rows.length).toBeGreaterThan(1);
    expect(moveFrom(0, 'ArrowRight', places, rows)).toBe(1);
    expect(moveFrom(1, 'ArrowLeft', places, rows)).toBe(0);
    expect(moveFrom(0, 'ArrowLeft', places, rows)).toBeNull();
    const down = moveFrom(1, 'ArrowDown', places, rows)!;
    expect(places[down].row).toBe(1);
    expect(Math.abs(places[down].center - places[1].center)).toBeLessThan(metrics.rowHeight);
    expect(moveFrom(down, 'ArrowUp', places, rows)).toBe(1);
    expect(moveFrom(3, 'End', places, rows)).toBe(13);
    expect(moveFrom(3, 'Home', places, rows)).toBe(0);
    expect(moveFrom(3, 'x', places, rows)).toBeNull();
  });
});

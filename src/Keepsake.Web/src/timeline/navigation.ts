import type { PhotoSummary } from '../api/models';
import type { MonthLayout } from './layout';

/** Where a loaded photo sits: its row and its middle, for moving between tiles with the arrow keys. */
export interface TilePlace {
  photo: PhotoSummary;
  row: number;
  center: number;
  /** From the top of the timeline. */
  top: number;
  height: number;
}

/** Every loaded photo in timeline order (the order the viewer pages through), with its row; `rows` lists each row's places. */
export function tilePlaces(months: readonly MonthLayout[]): { places: TilePlace[]; rows: number[][] } {
  const places: TilePlace[] = [];
  const rows: number[][] = [];
  for (const month of months) {
    for (const block of month.blocks) {
      if (block.kind !== 'row') continue;
      const row: number[] = [];
      for (const tile of block.tiles) {
        row.push(places.length);
        places.push({ photo: tile.photo, row: rows.length, center: tile.left + tile.width / 2, top: month.top + block.top, height: block.height });
      }
      rows.push(row);
    }
  }
  return { places, rows };
}

/** The place a key moves to from `current`, or null for a key that does not move (or nowhere left to go). */
export function moveFrom(current: number, key: string, places: readonly Pick<TilePlace, 'row' | 'center'>[], rows: readonly number[][]): number | null {
  const here = places[current];
  if (!here) return null;
  const nearestIn = (row: number) =>
    rows[row].reduce((best, i) => (Math.abs(places[i].center - here.center) < Math.abs(places[best].center - here.center) ? i : best), rows[row][0]);
  switch (key) {
    case 'ArrowRight':
      return current + 1 < places.length ? current + 1 : null;
    case 'ArrowLeft':
      return current > 0 ? current - 1 : null;
    case 'ArrowDown':
      return here.row + 1 < rows.length ? nearestIn(here.row + 1) : null;
    case 'ArrowUp':
      return here.row > 0 ? nearestIn(here.row - 1) : null;
    case 'Home':
      return 0;
    case 'End':
      return places.length - 1;
    default:
      return null;
  }
}

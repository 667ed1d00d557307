import type { PhotoSummary } from '../api/models';
import type { MonthLayout, TileBox } from './layout';

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
  return placesOfRows(months.flatMap((month) => month.blocks.flatMap((block) => (block.kind === 'row' ? [{ top: month.top + block.top, tiles: block.tiles }] : []))));
}

/** The places of rows of tiles given in order, each at its height on the page. */
export function placesOfRows(tileRows: readonly { top: number; tiles: readonly TileBox[] }[]): { places: TilePlace[]; rows: number[][] } {
  const places: TilePlace[] = [];
  const rows = tileRows.map(({ top, tiles }, row) =>
    tiles.map((tile) => places.push({ photo: tile.photo, row, center: tile.left + tile.width / 2, top, height: tile.height }) - 1));
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

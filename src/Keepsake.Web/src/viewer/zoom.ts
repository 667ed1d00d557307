/** How the viewer's photo is magnified: a scale around the middle of its area, then a shift in CSS pixels. */
export interface Zoom {
  scale: number;
  x: number;
  y: number;
}

export const UNZOOMED: Zoom = { scale: 1, x: 0, y: 0 };
/** What a double tap zooms to. */
export const DOUBLE_TAP_SCALE = 2.5;
/** A pinch stops here: past it a photo's pixels are only blown up. */
export const MAX_SCALE = 6;

/**
 * The zoom at `scale` that keeps the point `at` (from the middle of the area) where it is on the screen, as a pinch
 * or a double tap expects; the photo is kept covering the area it fills (`area`, its width and height).
 */
export function zoomAround(from: Zoom, scale: number, at: { x: number; y: number }, area: { width: number; height: number }): Zoom {
  const next = Math.min(MAX_SCALE, Math.max(1, scale));
  if (next === 1) return UNZOOMED;
  const ratio = next / from.scale;
  return keepInside({ scale: next, x: at.x - (at.x - from.x) * ratio, y: at.y - (at.y - from.y) * ratio }, area);
}

/** The zoom moved by a finger, no further than the photo's edge. */
export function panned(from: Zoom, by: { x: number; y: number }, area: { width: number; height: number }): Zoom {
  return keepInside({ ...from, x: from.x + by.x, y: from.y + by.y }, area);
}

function keepInside(zoom: Zoom, area: { width: number; height: number }): Zoom {
  const limitX = ((zoom.scale - 1) * area.width) / 2;
  const limitY = ((zoom.scale - 1) * area.height) / 2;
  const clamp = (value: number, limit: number) => Math.min(limit, Math.max(-limit, value));
  return { scale: zoom.scale, x: clamp(zoom.x, limitX), y: clamp(zoom.y, limitY) };
}

/**
 * Whether a preview `natural` pixels wide (of an original `original` pixels wide), drawn `drawn` CSS pixels wide and
 * magnified `scale` times on a screen of `density` device pixels per CSS pixel, is blown up: then the original, if it
 * is larger, is worth loading.
 */
export function previewTooSmall(natural: number, original: number, drawn: number, scale: number, density: number): boolean {
  return natural > 0 && original > natural && drawn * scale * density > natural * 1.1;
}

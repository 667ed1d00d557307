import { describe, expect, it } from 'vitest';
import { previewTooSmall, UNZOOMED, zoomAround } from './zoom';

const area = { width: 400, height: 800 };

describe('zoom', () => {
  it('keeps the point zoomed around where it was on the screen', () => {
    const zoomed = zoomAround(UNZOOMED, 2.5, { x: 100, y: -50 }, area);
    expect(zoomed).toEqual({ scale: 2.5, x: -150, y: 75 });
    // The photo's point under the finger, (100, -50) unzoomed, is still under it.
    expect(zoomed.x + 100 * zoomed.scale).toBe(100);
    expect(zoomed.y + -50 * zoomed.scale).toBe(-50);
  });

  it('never shows past the photo\'s edge, never shrinks below 1x and stops at 6x', () => {
    expect(zoomAround(UNZOOMED, 2, { x: 400, y: 0 }, area)).toEqual({ scale: 2, x: -200, y: 0 });
    expect(zoomAround({ scale: 2, x: 50, y: 0 }, 0.5, { x: 0, y: 0 }, area)).toEqual(UNZOOMED);
    expect(zoomAround(UNZOOMED, 20, { x: 0, y: 0 }, area).scale).toBe(6);
  });

  it('asks for the original only when the preview would be blown up and the original is larger', () => {
    expect(previewTooSmall(1440, 4608, 390, 2.5, 3)).toBe(true);
    expect(previewTooSmall(1440, 4608, 390, 1, 3)).toBe(false);
    expect(previewTooSmall(1296, 1296, 390, 2.5, 3)).toBe(false);
    expect(previewTooSmall(0, 4608, 390, 2.5, 3)).toBe(false);
  });
});

import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PhotoDetails, PhotoSummary } from '../api/models';
import { INFO_PANEL_KEY } from '../viewer/useInfoPanel';
import { Viewer } from './Viewer';

const summaries: PhotoSummary[] = ['p1', 'p2', 'p3'].map((id, i) => ({
  id, width: 4000, height: 3000, takenAt: `2024-05-0${i + 1}T10:00:00`, timelineAt: `2024-05-0${i + 1}T10:00:00Z`,
  thumbnailUrl: `/t/${id}`, thumbnails: [], previewUrl: `/p/${id}`, missing: false, favorite: false, archived: false,
}));

const details = async (id: string): Promise<PhotoDetails> => ({
  id, fileName: `${id}.jpg`, format: 'jpeg', sizeBytes: 1000, width: 4000, height: 3000, orientation: 1, takenAt: null, takenAtSource: null, description: null,
  uploadedAt: '2024-06-01T08:00:00Z', timelineAt: '2024-05-01T08:00:00Z', camera: null, location: null, place: null, weather: null,
  thumbnailUrl: `/t/${id}`, previewUrl: `/p/${id}`, originalUrl: `/o/${id}`, missing: false, favorite: false, archived: false,
});

function Harness({ onClose = () => {} }: { onClose?: () => void }) {
  const [index, setIndex] = useState(1);
  return <Viewer items={summaries} index={index} onIndexChange={setIndex} onClose={onClose} loadDetails={details} />;
}

const stage = () => document.querySelector<HTMLElement>('.viewer-stage')!;
const shown = () => screen.getByRole('dialog', { name: 'Photo viewer' }).querySelector('img')!.getAttribute('src');

/** One finger put down at `from`, moved in steps to `to` and lifted there. */
function swipe(from: [number, number], to: [number, number], pointerId = 1) {
  const at = ([x, y]: [number, number]) => ({ pointerId, pointerType: 'touch', clientX: x, clientY: y, bubbles: true });
  fireEvent.pointerDown(stage(), at(from));
  for (const step of [0.25, 0.5, 1]) {
    fireEvent.pointerMove(stage(), at([from[0] + (to[0] - from[0]) * step, from[1] + (to[1] - from[1]) * step]));
  }
  fireEvent.pointerUp(stage(), at(to));
}
const tap = (x: number, y: number) => swipe([x, y], [x, y]);

afterEach(() => window.localStorage.clear());

describe('Viewer on a touch screen', () => {
  it('moves to the next photo on a swipe left and back on a swipe right', () => {
    render(<Harness />);
    expect(shown()).toBe('/p/p2');

    swipe([300, 400], [100, 420]);
    expect(shown()).toBe('/p/p3');
    swipe([300, 400], [100, 400]);
    expect(shown()).toBe('/p/p3');

    swipe([100, 400], [300, 380]);
    swipe([100, 400], [300, 380]);
    expect(shown()).toBe('/p/p1');
  });

  it('closes on a swipe down, and does nothing on a short drag', () => {
    const onClose = vi.fn();
    render(<Harness onClose={onClose} />);

    swipe([200, 300], [210, 330]);
    expect(onClose).not.toHaveBeenCalled();
    expect(shown()).toBe('/p/p2');

    swipe([200, 300], [210, 500]);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('zooms to 2.5x on a double tap and back on another; a zoomed photo is panned by a finger, not swiped away', () => {
    render(<Harness />);
    expect(stage()).toHaveAttribute('data-zoom', '1');

    tap(200, 300);
    expect(stage()).toHaveAttribute('data-zoom', '1');
    tap(200, 300);
    expect(stage()).toHaveAttribute('data-zoom', '2.5');

    swipe([300, 400], [100, 400]);
    expect(shown()).toBe('/p/p2');
    expect(stage()).toHaveAttribute('data-zoom', '2.5');

    tap(200, 300);
    tap(200, 300);
    expect(stage()).toHaveAttribute('data-zoom', '1');
    swipe([300, 400], [100, 400]);
    expect(shown()).toBe('/p/p3');
  });

  it('zooms with two fingers spreading apart', () => {
    render(<Harness />);
    const finger = (pointerId: number, x: number) => ({ pointerId, pointerType: 'touch', clientX: x, clientY: 300, bubbles: true });
    fireEvent.pointerDown(stage(), finger(1, 150));
    fireEvent.pointerDown(stage(), finger(2, 250));
    fireEvent.pointerMove(stage(), finger(1, 100));
    fireEvent.pointerMove(stage(), finger(2, 300));
    fireEvent.pointerUp(stage(), finger(1, 100));
    fireEvent.pointerUp(stage(), finger(2, 300));

    expect(stage()).toHaveAttribute('data-zoom', '2');
    expect(shown()).toBe('/p/p2');
  });

  it('hides the details with a button and remembers it; a swipe up shows them again', async () => {
    const user = userEvent.setup();
    const { unmount } = render(<Harness />);
    const toggle = screen.getByRole('button', { name: 'Photo details' });
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(await screen.findByRole('heading', { name: 'p2.jpg' })).toBeInTheDocument();

    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('complementary', { name: 'Photo details' })).not.toBeInTheDocument();
    expect(window.localStorage.getItem(INFO_PANEL_KEY)).toBe('hidden');

    unmount();
    render(<Harness />);
    expect(screen.getByRole('button', { name: 'Photo details' })).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('complementary', { name: 'Photo details' })).not.toBeInTheDocument();

    swipe([200, 500], [200, 300]);
    expect(await screen.findByRole('heading', { name: 'p2.jpg' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Photo details' })).toHaveAttribute('aria-expanded', 'true');
    expect(window.localStorage.getItem(INFO_PANEL_KEY)).toBe('shown');
  });

  it('leaves the buttons over the photo to their own clicks', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(shown()).toBe('/p/p3');
    expect(stage()).toHaveAttribute('data-zoom', '1');
  });
});

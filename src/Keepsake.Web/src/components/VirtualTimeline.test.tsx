import { act, createEvent, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PhotoSummary } from '../api/models';
import { LONG_PRESS_MS } from '../timeline/useGridInteraction';
import { VirtualTimeline } from './VirtualTimeline';

const photo = (id: string, day: string, hour: number): PhotoSummary => ({
  id, width: 3000, height: 2000, takenAt: `${day}T${String(hour).padStart(2, '0')}:00:00`, timelineAt: `${day}T${String(hour).padStart(2, '0')}:00:00Z`,
  thumbnailUrl: `/t/${id}`, thumbnails: [], previewUrl: `/p/${id}`, missing: false, favorite: false, archived: false,
});
const july = Array.from({ length: 12 }, (_, i) => photo(`j${i}`, '2024-07-20', 23 - i));
const buckets = [{ month: '2024-07', count: 12 }, { month: '2019-03', count: 5000 }];

afterEach(() => vi.restoreAllMocks());

function renderTimeline(props: Partial<Parameters<typeof VirtualTimeline>[0]> = {}) {
  const handlers = { onOpen: vi.fn(), onToggle: vi.fn(), onSelectMany: vi.fn(), want: vi.fn() };
  render(<VirtualTimeline buckets={buckets} loaded={new Map([['2024-07', july]])} selected={new Set()} {...handlers} {...props} />);
  return handlers;
}
/** jsdom has no PointerEvent: a plain event that says which kind of pointer it came from. */
function pointer(kind: 'pointerDown' | 'pointerUp', element: Element, pointerType: string) {
  const event = createEvent[kind](element);
  Object.defineProperty(event, 'pointerType', { value: pointerType });
  fireEvent(element, event);
}
const tile = (i: number) => screen.getByRole('button', { name: `Photo taken 20 Jul 2024, ${String(23 - i).padStart(2, '0')}:00` });

describe('VirtualTimeline', () => {
  it('asks for the months near the window and reserves the others without drawing their photos', () => {
    const { want } = renderTimeline({ loaded: new Map() });
    expect(want.mock.calls.at(-1)![0][0]).toBe('2024-07');
    expect(screen.getByRole('heading', { level: 2, name: 'July 2024' })).toBeInTheDocument();
    expect(screen.queryAllByRole('button', { name: /^Photo/ })).toHaveLength(0);
  });

  it('is one tab stop whose arrow keys move between tiles; Enter opens and Space selects', async () => {
    const user = userEvent.setup();
    const { onOpen, onToggle } = renderTimeline();

    await user.tab();
    expect(tile(0)).toHaveFocus();
    expect(screen.getAllByRole('button', { name: /^Photo/ }).filter((b) => b.tabIndex === 0)).toEqual([tile(0)]);
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(tile(2)).toHaveFocus();
    expect(tile(2)).toHaveAttribute('tabindex', '0');
    expect(tile(0)).toHaveAttribute('tabindex', '-1');
    await user.keyboard('{ArrowDown}');
    const below = document.activeElement as HTMLElement;
    expect(below).not.toBe(tile(2));
    expect(below.getAttribute('aria-label')).toMatch(/^Photo taken 20 Jul 2024/);
    await user.keyboard('{ArrowUp}');
    expect(tile(2)).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(onOpen).toHaveBeenCalledWith(2);
    await user.keyboard(' ');
    expect(onToggle).toHaveBeenCalledWith('j2');
    expect(onOpen).toHaveBeenCalledTimes(1);
    await user.tab();
    expect(document.activeElement).toHaveAttribute('role', 'slider');
  });

  it('selects the range from the last photo selected with a shift-click', async () => {
    const user = userEvent.setup();
    const { onToggle, onSelectMany } = renderTimeline();
    await user.click(screen.getByRole('checkbox', { name: 'Select photo taken 20 Jul 2024, 22:00' }));
    expect(onToggle).toHaveBeenCalledWith('j1');
    await user.keyboard('{Shift>}');
    await user.click(tile(4));
    await user.keyboard('{/Shift}');
    expect(onSelectMany).toHaveBeenCalledWith(['j1', 'j2', 'j3', 'j4']);
  });

  it('starts selecting on a long press of a finger, after which a tap selects instead of opening', () => {
    vi.useFakeTimers();
    try {
      const { onOpen, onToggle } = renderTimeline({ selected: new Set(['j0']) });
      pointer('pointerDown', tile(3), 'touch');
      act(() => vi.advanceTimersByTime(LONG_PRESS_MS));
      fireEvent.click(tile(3));
      expect(onToggle).toHaveBeenCalledWith('j3');
      expect(onOpen).not.toHaveBeenCalled();

      pointer('pointerDown', tile(5), 'touch');
      pointer('pointerUp', tile(5), 'touch');
      fireEvent.click(tile(5));
      expect(onToggle).toHaveBeenLastCalledWith('j5');
      expect(onOpen).not.toHaveBeenCalled();

      pointer('pointerDown', tile(6), 'mouse');
      fireEvent.click(tile(6));
      expect(onOpen).toHaveBeenCalledWith(6);
    } finally {
      vi.useRealTimers();
    }
  });

  it('selects the first photo on a long press when nothing is selected, but not when the finger moves (a scroll) or lifts early', () => {
    vi.useFakeTimers();
    try {
      const { onOpen, onToggle } = renderTimeline();
      const finger = (x: number, y: number) => ({ pointerId: 1, pointerType: 'touch', clientX: x, clientY: y });

      fireEvent.pointerDown(tile(1), finger(50, 50));
      fireEvent.pointerMove(tile(1), finger(52, 80));
      act(() => vi.advanceTimersByTime(LONG_PRESS_MS));
      expect(onToggle).not.toHaveBeenCalled();

      fireEvent.pointerDown(tile(1), finger(50, 50));
      act(() => vi.advanceTimersByTime(LONG_PRESS_MS / 2));
      fireEvent.pointerUp(tile(1), finger(50, 50));
      act(() => vi.advanceTimersByTime(LONG_PRESS_MS));
      expect(onToggle).not.toHaveBeenCalled();

      fireEvent.pointerDown(tile(2), finger(50, 50));
      fireEvent.pointerMove(tile(2), finger(53, 52));
      act(() => vi.advanceTimersByTime(LONG_PRESS_MS));
      expect(onToggle).toHaveBeenCalledExactlyOnceWith('j2');
      fireEvent.pointerUp(tile(2), finger(53, 52));
      fireEvent.click(tile(2));
      expect(onOpen).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('has a date scrubber that is a slider over the months and jumps to one from the keyboard', async () => {
    const user = userEvent.setup();
    const scrollBy = vi.spyOn(window, 'scrollBy').mockImplementation(() => undefined);
    renderTimeline();
    const scrubber = screen.getByRole('slider', { name: 'Go to a month' });
    expect(scrubber).toHaveAttribute('aria-valuetext', 'July 2024');
    expect(scrubber).toHaveAttribute('aria-valuemax', '1');

    scrubber.focus();
    await user.keyboard('{ArrowDown}');

    expect(scrubber).toHaveAttribute('aria-valuetext', 'March 2019');
    const [, down] = scrollBy.mock.calls.at(-1) as [number, number];
    expect(down).toBeGreaterThan(0);
    expect(screen.getByText('2024')).toBeInTheDocument();
  });
});

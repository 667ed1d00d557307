import { render } from '@testing-library/react';
import { useRef } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MonthLayout } from './layout';
import { useScrollAnchor } from './useViewportBand';

const month = (name: string, top: number, height: number): MonthLayout => ({ month: name, count: 1, loaded: true, top, height, blocks: [] });

/** A grid whose top is `scrolled` pixels above the window's top. */
function Grid({ months, scrolled, pinned = null }: { months: MonthLayout[]; scrolled: number; pinned?: string | null }) {
  const container = useRef<HTMLDivElement>(null);
  useScrollAnchor(container, months, pinned, () => undefined);
  return <div ref={(node) => {
    container.current = node;
    if (node) node.getBoundingClientRect = () => ({ top: -scrolled } as DOMRect);
  }} />;
}

afterEach(() => vi.restoreAllMocks());

describe('useScrollAnchor', () => {
  it('scrolls by what the months above the window grew, so the month on screen stays put', () => {
    const scrollBy = vi.spyOn(window, 'scrollBy').mockImplementation(() => undefined);
    const { rerender } = render(<Grid months={[month('2024-08', 0, 3000), month('2024-07', 3000, 3000)]} scrolled={4000} />);
    expect(scrollBy).not.toHaveBeenCalled();

    rerender(<Grid months={[month('2024-08', 0, 3400), month('2024-07', 3400, 2500)]} scrolled={4000} />);

    expect(scrollBy).toHaveBeenCalledWith(0, 400);
  });

  it('leaves the scroll alone when only months below the window change', () => {
    const scrollBy = vi.spyOn(window, 'scrollBy').mockImplementation(() => undefined);
    const { rerender } = render(<Grid months={[month('2024-08', 0, 3000), month('2024-07', 3000, 3000)]} scrolled={1000} />);
    rerender(<Grid months={[month('2024-08', 0, 3000), month('2024-07', 3000, 9000)]} scrolled={1000} />);
    expect(scrollBy).not.toHaveBeenCalled();
  });

  it('holds a month jumped to at the top of the window while the months above it load', () => {
    const scrollBy = vi.spyOn(window, 'scrollBy').mockImplementation(() => undefined);
    const { rerender } = render(<Grid months={[month('2024-08', 0, 3000), month('2019-03', 3000, 3000)]} scrolled={0} pinned="2019-03" />);
    expect(scrollBy).toHaveBeenLastCalledWith(0, 3000);

    rerender(<Grid months={[month('2024-08', 0, 2000), month('2019-03', 2000, 3000)]} scrolled={3000} pinned="2019-03" />);

    expect(scrollBy).toHaveBeenLastCalledWith(0, -1000);
  });
});

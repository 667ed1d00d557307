import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { PhotoSummary } from '../api/models';
import { PhotoGrid } from './PhotoGrid';

const p = (id: string, takenAt: string | null, timelineAt: string, missing = false): PhotoSummary => ({
  id, width: 600, height: 400, takenAt, timelineAt, thumbnailUrl: `/t/${id}`, thumbnails: [], previewUrl: `/p/${id}`, missing, favorite: false, archived: false,
});

const items = [
  p('a', '2024-03-12T18:05:00', '2024-03-12T18:05:00Z'),
  p('b', '2024-03-12T09:00:00', '2024-03-12T09:00:00Z'),
  p('c', '2024-02-01T12:00:00', '2024-02-01T12:00:00Z'),
];

describe('PhotoGrid', () => {
  it('groups photos under a heading per month and per day with lazy thumbnails that reserve their space', () => {
    render(<PhotoGrid items={items} onOpen={() => {}} hasMore={false} loading={false} onLoadMore={() => {}} canLoad />);
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual(['March 2024', 'February 2024']);
    const headings = screen.getAllByRole('heading', { level: 3 });
    expect(headings.map((h) => h.textContent)).toEqual([expect.stringMatching(/12 March 2024/), expect.stringMatching(/1 February 2024/)]);

    const march = screen.getByRole('region', { name: /12 March 2024/ });
    expect(within(march).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['Photo taken 12 Mar 2024, 18:05', 'Photo taken 12 Mar 2024, 09:00']);
    const img = march.querySelector('img')!;
    expect(img).toHaveAttribute('loading', 'lazy');
    expect(img).toHaveAttribute('width', '600');
    expect(img).toHaveAttribute('height', '400');
    expect(within(screen.getByRole('region', { name: /1 February 2024/ })).getAllByRole('button')).toHaveLength(1);
  });

  it('shows in a day heading the weather of the first photo of that day that has one', () => {
    const rain = {
      hour: '2024-03-12T09:00:00Z', temperature: { value: 7.2, unit: '°C' }, weatherCode: 61, condition: 'Slight rain', icon: 'rain',
      precipitation: { value: 0.4, unit: 'mm' }, cloudCover: { value: 90, unit: '%' }, wind: { value: 12, unit: 'km/h' },
    };
    render(<PhotoGrid items={items} onOpen={() => {}} hasMore={false} loading={false} onLoadMore={() => {}} canLoad weatherOf={(id) => (id === 'b' ? rain : undefined)} />);

    expect(within(screen.getByRole('region', { name: /12 March 2024/ })).getByTitle(/Weather/)).toHaveTextContent('7.2 °C, Slight rain');
    expect(within(screen.getByRole('region', { name: /1 February 2024/ })).queryByTitle(/Weather/)).not.toBeInTheDocument();
  });

  it('opens a photo by its timeline index and toggles selection', async () => {
    const user = userEvent.setup();
    const onOpen = vi.fn();
    const onToggle = vi.fn();
    render(<PhotoGrid items={items} onOpen={onOpen} selected={new Set(['b'])} onToggle={onToggle} hasMore loading={false} onLoadMore={() => {}} canLoad />);
    await user.click(screen.getByRole('button', { name: 'Photo taken 1 Feb 2024, 12:00' }));
    expect(onOpen).toHaveBeenCalledWith(2);
    expect(screen.getByRole('checkbox', { name: 'Select photo taken 12 Mar 2024, 09:00' })).toBeChecked();
    await user.click(screen.getByRole('checkbox', { name: 'Select photo taken 12 Mar 2024, 18:05' }));
    expect(onToggle).toHaveBeenCalledWith('a');
  });

  it('shows a photo whose file is missing as a labelled placeholder, asks for none of its files, and opens it from the keyboard', async () => {
    const user = userEvent.setup();
    const onOpen = vi.fn();
    const missing = p('m', '2024-03-12T08:00:00', '2024-03-12T08:00:00Z', true);
    render(<PhotoGrid items={[items[0], missing]} onOpen={onOpen} hasMore={false} loading={false} onLoadMore={() => {}} canLoad />);

    const tile = screen.getByRole('button', { name: 'File missing: Photo taken 12 Mar 2024, 08:00' });
    expect(tile).toHaveTextContent('File missing');
    expect(tile.querySelector('svg')).not.toBeNull();
    expect(tile.querySelector('img')).toBeNull();
    expect([...document.querySelectorAll('img')].map((img) => img.getAttribute('src'))).toEqual(['/t/a']);

    await user.tab();
    await user.keyboard('{ArrowRight}');
    expect(tile).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(onOpen).toHaveBeenCalledWith(1);
  });

  it('is one tab stop: arrows move between tiles and rows, Enter opens, Space selects', async () => {
    const user = userEvent.setup();
    const onOpen = vi.fn();
    const onToggle = vi.fn();
    render(<PhotoGrid items={items} onOpen={onOpen} selected={new Set()} onToggle={onToggle} hasMore={false} loading={false} onLoadMore={() => {}} canLoad />);
    const [a, b, c] = ['12 Mar 2024, 18:05', '12 Mar 2024, 09:00', '1 Feb 2024, 12:00'].map((when) => screen.getByRole('button', { name: `Photo taken ${when}` }));
    expect([a, b, c].map((t) => t.tabIndex)).toEqual([0, -1, -1]);

    await user.tab();
    expect(a).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(b).toHaveFocus();
    expect([a, b, c].map((t) => t.tabIndex)).toEqual([-1, 0, -1]);
    await user.keyboard('{ArrowDown}');
    expect(c).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(a).toHaveFocus();
    await user.keyboard(' ');
    expect(onToggle).toHaveBeenCalledWith('a');
    await user.keyboard('{End}{Enter}');
    expect(onOpen).toHaveBeenCalledExactlyOnceWith(2);
  });

  it('loads the next page when the end comes into view', () => {
    const observed: Element[] = [];
    let callback: IntersectionObserverCallback = () => {};
    vi.stubGlobal('IntersectionObserver', class {
      constructor(cb: IntersectionObserverCallback) { callback = cb; }
      observe(el: Element) { observed.push(el); }
      disconnect() {}
    });
    const onLoadMore = vi.fn();
    render(<PhotoGrid items={items} onOpen={() => {}} hasMore loading={false} onLoadMore={onLoadMore} canLoad />);
    expect(observed).toHaveLength(1);
    callback([{ isIntersecting: true } as IntersectionObserverEntry], {} as IntersectionObserver);
    expect(onLoadMore).toHaveBeenCalledTimes(1);
    vi.unstubAllGlobals();
  });
});

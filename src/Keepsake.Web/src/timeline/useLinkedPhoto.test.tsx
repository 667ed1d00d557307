import { renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import type { PhotoDetails } from '../api/models';
import { useLinkedPhoto } from './useLinkedPhoto';

afterEach(() => vi.unstubAllGlobals());

const photo = (archived: boolean) => ({ id: 'old', timelineAt: '2016-03-31T23:59:59Z', archived, favorite: false }) as PhotoDetails;
const buckets = [{ month: '2024-07', count: 40 }, { month: '2016-03', count: 12 }];
const inTimeline = (p: PhotoDetails) => p.archived !== true;

describe('useLinkedPhoto', () => {
  it('goes to the month of a linked photo the timeline has not loaded, by asking the server for it', async () => {
    const { calls } = mockFetch({ 'GET /api/photos/old': { body: photo(false) } });
    const { result } = renderHook(() => useLinkedPhoto('old', buckets, new Map([['2024-07', []]]), inTimeline));

    expect(result.current).toBeNull();
    await waitFor(() => expect(result.current).toEqual({ month: '2016-03' }));
    expect(calls.map((c) => c.url)).toEqual(['/api/photos/old']);
  });

  it('waits for the buckets before asking, and asks nothing without a link', async () => {
    const { calls } = mockFetch({ 'GET /api/photos/old': { body: photo(false) } });
    const { result, rerender } = renderHook(({ id, ready }) => useLinkedPhoto(id, ready ? buckets : null, new Map(), inTimeline),
      { initialProps: { id: null as string | null, ready: true } });
    rerender({ id: 'old', ready: false });
    expect(calls).toHaveLength(0);

    rerender({ id: 'old', ready: true });
    await waitFor(() => expect(result.current).toEqual({ month: '2016-03' }));
    rerender({ id: null, ready: true });
    expect(result.current).toBeNull();
  });

  it('finds a photo missing when the view leaves it out, when it is gone, and when its month came without it', async () => {
    mockFetch({ 'GET /api/photos/old': { body: photo(true) } });
    const archived = renderHook(() => useLinkedPhoto('old', buckets, new Map(), inTimeline));
    await waitFor(() => expect(archived.result.current).toEqual({ missing: true }));
    vi.unstubAllGlobals();

    mockFetch({});
    const gone = renderHook(() => useLinkedPhoto('old', buckets, new Map(), inTimeline));
    await waitFor(() => expect(gone.result.current).toEqual({ missing: true }));
    vi.unstubAllGlobals();

    mockFetch({ 'GET /api/photos/old': { body: photo(false) } });
    const loaded = renderHook(() => useLinkedPhoto('old', buckets, new Map([['2016-03', []]]), inTimeline));
    await waitFor(() => expect(loaded.result.current).toEqual({ missing: true }));
    const noBucket = renderHook(() => useLinkedPhoto('old', [buckets[0]], new Map(), inTimeline));
    await waitFor(() => expect(noBucket.result.current).toEqual({ missing: true }));
  });
});

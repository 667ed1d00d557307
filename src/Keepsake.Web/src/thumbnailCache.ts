/** The service worker's cache of thumbnails (see sw/sw.ts). */
export const THUMBNAIL_CACHE = 'keepsake-thumbnails';

/** Empties the thumbnail cache when a user signs out, so whoever uses this browser next finds none of their photos in it. */
export async function forgetCachedThumbnails(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(THUMBNAIL_CACHE);
}

/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { THUMBNAIL_CACHE } from '../src/thumbnailCache';

declare let self: ServiceWorkerGlobalScope;

// The app shell (index.html and the built assets, listed by the build), so the app opens without a network.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every client-side route is the app shell, offline too; the server's own paths never are.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), {
  denylist: [/^\/api(\/|$)/, /^\/healthz(\/|$)/, /^\/openapi(\/|$)/, /^\/dav(\/|$)/],
}));

// A thumbnail's path names the photo and its content, so what was fetched once stays right; the expiry and signature
// in its query change every few minutes and are left out of the cache key. Only good answers are kept (200).
registerRoute(
  ({ url, request }) => request.destination === 'image' && /^\/api\/files\/[^/]+\/[^/]+\/(thumbnail|large-thumbnail)\//.test(url.pathname),
  new CacheFirst({
    cacheName: THUMBNAIL_CACHE,
    plugins: [
      {
        cacheKeyWillBeUsed: async ({ request }) => {
          const url = new URL(request.url);
          url.searchParams.delete('expires');
          url.searchParams.delete('sig');
          return url.href;
        },
      },
      new ExpirationPlugin({ maxEntries: 5000, maxAgeSeconds: 30 * 24 * 60 * 60, purgeOnQuotaError: true }),
    ],
  }),
);

// A new version waits until the user chooses to reload (see UpdateNotice), so no page runs half old and half new.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
clientsClaim();

// SIKANDA Mobile service worker (scope /app/). VERSION and PRECACHE are
// written above this line by cms/mobile/views.py from the assets' content.
import { flush } from "./assets/outbox.js";

const CACHE = `sikanda-app-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith("/app/")) return;
  if (url.pathname.startsWith("/app/push/")) return; // OneSignal's own worker
  // Every screen of the app is the one shell page.
  const key = request.mode === "navigate" ? "/app/" : url.pathname;
  event.respondWith((async () => {
    const cached = await caches.match(key, { cacheName: CACHE });
    if (cached) return cached;
    const response = await fetch(request);
    // Leaflet is fetched the first time a map opens, and kept for the next time offline.
    if (url.pathname.startsWith("/app/vendor/") && response.ok) {
      const cache = await caches.open(CACHE);
      await cache.put(key, response.clone());
    }
    return response;
  })());
});

// Background Sync: the outbox is sent even after the app was closed.
self.addEventListener("sync", (event) => {
  if (event.tag === "sikanda-outbox") event.waitUntil(flush({ force: true }));
});

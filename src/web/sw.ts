// The service worker: the page's own files precached under a versioned
// cache; the page, data and calendars network-first, with the last good copy
// when the network fails (marked, so the page can say it is offline).
import { ASSET_CACHE_PREFIX, assetFromThisBuild, DATA_CACHE, hostFailed, overflow, FROM_SAVED_COPY, PRECACHE, SAVED_AT, staleCaches, strategyFor } from './sw-logic.js';

declare const self: ServiceWorkerGlobalScope;
/** A hash of the precached files, set by the build (scripts/build-web.mjs). */
declare const __ASSETS_VERSION__: string;

const ASSETS = `${ASSET_CACHE_PREFIX}${__ASSETS_VERSION__}`;
const scope = (): string => self.registration.scope;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const assets = await caches.open(ASSETS);
      await assets.addAll(PRECACHE.map((path) => new Request(new URL(path, scope()), { cache: 'reload' })));
      // The page itself, so the next visit opens offline too.
      const page = await fetch(scope(), { cache: 'no-cache' }).catch(() => null);
      if (page?.ok) await save(scope(), page);
      // A new build takes over at once: the page is one bundle, so an open
      // tab never needs a file of the build it did not load.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      await Promise.all(staleCaches(await caches.keys(), ASSETS).map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const strategy = strategyFor(event.request, scope());
  if (strategy.kind === 'asset') event.respondWith(fromAssets(event.request));
  else if (strategy.kind === 'network-first') event.respondWith(networkFirst(event, strategy.key));
});

async function fromAssets(request: Request): Promise<Response> {
  // A page asks for ?v=<its build>: another build's page goes to the network.
  const cached = assetFromThisBuild(request.url, __ASSETS_VERSION__) ? await caches.match(request, { cacheName: ASSETS, ignoreSearch: true }) : undefined;
  return cached ?? fetch(request);
}

async function networkFirst(event: FetchEvent, key: string): Promise<Response> {
  const { request } = event;
  let response: Response;
  try {
    // Revalidated every time: a host's max-age (GitHub Pages: 10 minutes)
    // must not hide a new timetable.
    response = await fetch(request.mode === 'navigate' ? request : new Request(request, { cache: 'no-cache' }));
  } catch (error) {
    return (await savedCopy(key)) ?? Promise.reject(error);
  }
  if (response.status === 200) event.waitUntil(save(key, response.clone()));
  // A host that answers but fails (5xx) is no better than no network.
  if (hostFailed(response.status)) return (await savedCopy(key)) ?? response;
  return response;
}

/** The last good copy, marked as such (the page then says it is offline), or null. */
async function savedCopy(key: string): Promise<Response | null> {
  const saved = await caches.match(key, { cacheName: DATA_CACHE });
  if (!saved) return null;
  const headers = new Headers(saved.headers);
  headers.set(FROM_SAVED_COPY, saved.headers.get(SAVED_AT) ?? '');
  return new Response(saved.body, { status: saved.status, statusText: saved.statusText, headers });
}

/** Keeps a copy with the time it came from the network. */
async function save(key: string, response: Response): Promise<void> {
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, new Date().toISOString());
  const copy = new Response(await response.arrayBuffer(), { status: response.status, statusText: response.statusText, headers });
  const cache = await caches.open(DATA_CACHE);
  // Saved again, a key moves to the end: the oldest saved come first.
  await cache.delete(key);
  await cache.put(key, copy);
  await Promise.all(overflow(await cache.keys()).map((old) => cache.delete(old)));
}

// The service worker's rules, without the worker: what is precached, how a
// request is answered, which caches are old. Runs under the tests as well.

/** The page's own files, relative to the site root (the worker's scope). */
export const PRECACHE = ['assets/app.js', 'assets/style.css', 'assets/icon.svg', 'assets/icon-192.png', 'assets/icon-512.png', 'manifest.webmanifest'] as const;

/** The precache is versioned by the page build: `orar-cal-assets-{hash}`. */
export const ASSET_CACHE_PREFIX = 'orar-cal-assets-';
/** Data, calendars and the page itself: the last good copy of each, whatever the build. */
export const DATA_CACHE = 'orar-cal-data';
/** Header on a saved copy: when it came from the network (ISO). */
export const SAVED_AT = 'x-orar-saved-at';
/** Header on an answer from the saved copy because the network failed: its SAVED_AT. */
export const FROM_SAVED_COPY = 'x-orar-offline';

export type Strategy =
  /** Precached: from the versioned cache, the network only if it is missing there. */
  | { kind: 'asset' }
  /** Network first (always revalidated), the saved copy under `key` when the network fails. */
  | { kind: 'network-first'; key: string }
  /** Not ours (another origin, outside the scope, not a GET): the browser's business. */
  | { kind: 'pass' };

/**
 * How the worker answers a request. The page (a navigation to the scope or
 * its index.html) is saved under the scope's address, so an offline visit
 * with any hash or query opens it; data and calendars under their path.
 */
export function strategyFor(request: { url: string; method: string; mode: string }, scope: string): Strategy {
  const url = new URL(request.url);
  const root = new URL(scope);
  if (request.method !== 'GET' || url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return { kind: 'pass' };
  const path = url.pathname.slice(root.pathname.length);
  if ((PRECACHE as readonly string[]).includes(path)) return { kind: 'asset' };
  if (path === 'sw.js') return { kind: 'pass' };
  if (request.mode === 'navigate' && (path === '' || path === 'index.html')) return { kind: 'network-first', key: root.href };
  return { kind: 'network-first', key: `${url.origin}${url.pathname}` };
}

/** Saved copies kept at most: the page, its data and the calendars opened, not every file ever fetched. */
export const MAX_SAVED = 200;

/** The saved copies to drop, oldest first, so that `max` are left (keys in the order they were first saved). */
export function overflow<T>(keys: readonly T[], max = MAX_SAVED): T[] {
  return keys.slice(0, Math.max(0, keys.length - max));
}

/** An answer no better than no network: the host failed (5xx), so the saved copy is shown instead, if there is one. */
export function hostFailed(status: number): boolean {
  return status >= 500;
}

/** Whether a precached file's request is for this build: no ?v= (the manifest, icons) or ?v= this build's version. */
export function assetFromThisBuild(url: string, version: string): boolean {
  const asked = new URL(url).searchParams.get('v');
  return asked === null || asked === version;
}

/** Caches an activating worker removes: earlier builds' precaches (never another app's caches). */
export function staleCaches(names: readonly string[], current: string): string[] {
  return names.filter((name) => name.startsWith(ASSET_CACHE_PREFIX) && name !== current);
}

// Installable and up to date: registers the service worker (relative, so
// the site works under a sub-path), and says "timetable updated" when a
// newer generation is published or the page itself was rebuilt.

export interface UpdateWatch {
  /** The published data version (data/index.json's generatedAt) from the network; null when it cannot be reached. */
  published(): Promise<string | null>;
  /** Why a reload would show something newer than the page shows now, or null. */
  newer(published: string): string | null;
  /** Offers the reload. */
  onUpdate(why: string): void;
  /**
   * The worker took control of a page that loaded without one (the first
   * visit): what the page read so far went past it, so nothing is saved yet.
   */
  onFirstControl(): void;
}

/** How often an open page looks for a new generation (besides focus and coming back online). */
const CHECK_EVERY_MS = 30 * 60 * 1000;

export function watchForUpdates(watch: UpdateWatch): void {
  let checking = false;
  const check = async (): Promise<void> => {
    if (checking) return;
    checking = true;
    try {
      const published = await watch.published();
      const why = published === null ? null : watch.newer(published);
      if (why) watch.onUpdate(why);
    } finally {
      checking = false;
    }
  };
  window.addEventListener('focus', () => void check());
  window.addEventListener('online', () => void check());
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && void check());
  setInterval(() => void check(), CHECK_EVERY_MS);
  if (!('serviceWorker' in navigator)) return;
  if (!navigator.serviceWorker.controller) {
    navigator.serviceWorker.addEventListener('controllerchange', () => watch.onFirstControl(), { once: true });
  }
  navigator.serviceWorker.register('sw.js').then(
    (registration) => {
      // A new worker while one already controls this page: a new page build.
      registration.addEventListener('updatefound', () => {
        if (navigator.serviceWorker.controller) watch.onUpdate('A new version of this page is ready.');
      });
      document.documentElement.dataset.worker = 'registered';
    },
    () => undefined, // no worker (private mode, an old browser): the page works online as before
  );
}

// Requests sent before anyone asks: a run sends its first requests while
// the modules that parse and render are still loading.
import type { FetchResult, GetOptions, HttpClient } from './client.js';

/**
 * An HttpClient that asks for `urls` at once, in order; the first get() of
 * each of them takes that answer (or its error), later ones ask again.
 *
 * @example
 * const http = prefetching(client, [urls.index]);   // the index is on its way
 * await import('./pipeline.js');                      // loading overlaps the wait
 * await run(options, { http, ... });                 // its get(urls.index) takes it
 */
export function prefetching(inner: HttpClient, urls: readonly string[]): HttpClient {
  /** Answers on their way, by URL, until they are taken, each with the means to abort it. */
  const early = new Map<string, { answer: Promise<FetchResult>; abort: AbortController }>();
  for (const url of urls) {
    const abort = new AbortController();
    const answer = inner.get(url, { signal: abort.signal });
    answer.catch(() => undefined); // taken, and reported, by whoever asks for it
    early.set(url, { answer, abort });
  }
  return {
    get(url: string, options?: GetOptions): Promise<FetchResult> {
      const taken = early.get(url);
      if (!taken) return inner.get(url, options);
      early.delete(url);
      // Whoever takes it may give up on it, as on any request.
      options?.signal?.addEventListener('abort', () => taken.abort.abort(), { once: true });
      return taken.answer;
    },
  };
}

// shareReplay(1) that also replays an error.
import { ReplaySubject, share, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Shares one subscription to the source and replays its value, or its
 * error, to every later subscriber, forever: a page fetched once per run is
 * never fetched again, not even after it failed.
 *
 * @example
 * const legend$ = fetchLegend().pipe(shareOnce());
 * legend$.subscribe(a); legend$.subscribe(b); // one request
 */
export function shareOnce<T>(): MonoTypeOperatorFunction<T> {
  return share<T>({
    connector: () => new ReplaySubject<T>(1),
    resetOnError: false,
    resetOnComplete: false,
    resetOnRefCountZero: false,
  });
}

// How far fetching may run ahead of generation.
import { Subject, concat, map, range, tap, zip, type MonoTypeOperatorFunction } from 'rxjs';

export interface FetchAhead {
  /** Lets an item through while fewer than `limit` are between here and `release()`. */
  admit<T>(): MonoTypeOperatorFunction<T>;
  /** Marks each item that passes as in hand: fetched, waiting for the CPU until `release()`. */
  arrived<T>(): MonoTypeOperatorFunction<T>;
  /** Marks each item that passes as done, admitting the next one waiting. */
  release<T>(): MonoTypeOperatorFunction<T>;
  /** Items past `arrived()` and not yet past `release()`: while there are none, the pipeline only waits on the network (0 in a pipeline without `arrived()`). */
  readonly inHand: number;
}

/**
 * A credit limit between two points of one pipeline: `admit()` holds items
 * back while `limit` of them have passed it and not yet `release()`. When
 * the disk or the renderer is slower than the server, fetching pauses a few
 * pages ahead instead of holding the whole faculty in memory; against a slow
 * server the limit is never reached and costs nothing.
 *
 * Each call makes one limit, for one subscription of one pipeline.
 *
 * @example
 * const ahead = fetchAhead(18);
 * specs$.pipe(ahead.admit(), mergeMap(fetchPage, 6), ahead.arrived(), concatMap(generate), ahead.release());
 * if (ahead.inHand === 0) doIdleWork();
 */
export function fetchAhead(limit: number): FetchAhead {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`fetchAhead: limit must be a whole number >= 1, got ${limit}`);
  /** One value per released item: a credit for the next one. */
  const released = new Subject<void>();
  let inHand = 0;
  return {
    admit: <T>() => (source) => zip(source, concat(range(0, limit), released)).pipe(map(([item]) => item)),
    arrived: <T>() => tap<T>(() => void (inHand += 1)),
    release: <T>() =>
      tap<T>(() => {
        inHand = Math.max(0, inHand - 1);
        released.next();
      }),
    get inHand() {
      return inHand;
    },
  };
}

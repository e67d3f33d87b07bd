// Our own small operators.
import { expect } from 'chai';
import { Observable, concatMap, defer, delay, from, lastValueFrom, mergeMap, of, tap, toArray } from 'rxjs';
import { fetchAhead } from '../src/rx/fetch-ahead.js';
import { shareOnce } from '../src/rx/share-once.js';

describe('fetchAhead', () => {
  it('holds items back while `limit` are between admit and release, and lets all through in the end', async () => {
    const ahead = fetchAhead(3);
    /** Items admitted and not yet released, after each step. */
    let between = 0;
    let most = 0;
    const out = await lastValueFrom(
      from([1, 2, 3, 4, 5, 6, 7, 8]).pipe(
        ahead.admit(),
        tap(() => (most = Math.max(most, ++between))),
        mergeMap((n) => of(n).pipe(delay(1)), 8),
        concatMap((n) => of(n).pipe(delay(2))), // a slow consumer
        tap(() => between--),
        ahead.release(),
        toArray(),
      ),
    );
    expect(out).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(most).to.equal(3);
  });

  it('counts the items in hand: past arrived() and not yet released', async () => {
    const ahead = fetchAhead(10);
    const inHand: number[] = [];
    await lastValueFrom(
      from([1, 2, 3]).pipe(
        ahead.admit(),
        mergeMap((n) => of(n).pipe(delay(n)), 3), // in flight: not in hand
        tap(() => inHand.push(ahead.inHand)),
        ahead.arrived(),
        tap(() => inHand.push(ahead.inHand)),
        concatMap((n) => of(n).pipe(delay(5))), // the second and third arrive while the first is generated
        ahead.release(),
        tap(() => inHand.push(ahead.inHand)),
      ),
    );
    expect(inHand).to.deep.equal([0, 1, 1, 2, 2, 3, 2, 1, 0]);
  });

  it('costs nothing when the consumer keeps up: a limit above the items never holds one back', async () => {
    const ahead = fetchAhead(10);
    const seen: number[] = [];
    from([1, 2, 3]).pipe(ahead.admit()).subscribe((n) => seen.push(n));
    expect(seen).to.deep.equal([1, 2, 3]); // synchronously, all admitted
  });

  it('refuses a limit that is not a whole number >= 1', () => {
    expect(() => fetchAhead(0)).to.throw(RangeError, /limit must be a whole number >= 1, got 0/);
    expect(() => fetchAhead(1.5)).to.throw(RangeError);
  });
});

describe('shareOnce', () => {
  it('subscribes to the source once and replays its value to later subscribers', async () => {
    let subscriptions = 0;
    const shared = defer(() => {
      subscriptions += 1;
      return of('page').pipe(delay(1));
    }).pipe(shareOnce());
    const [a, b] = await Promise.all([lastValueFrom(shared), lastValueFrom(shared)]);
    const c = await lastValueFrom(shared);
    expect([a, b, c]).to.deep.equal(['page', 'page', 'page']);
    expect(subscriptions).to.equal(1);
  });

  it('replays an error too, never subscribing again', async () => {
    let subscriptions = 0;
    const shared = new Observable<string>((s) => {
      subscriptions += 1;
      s.error(new Error('503'));
    }).pipe(shareOnce());
    for (let i = 0; i < 3; i++) {
      const error = await lastValueFrom(shared).catch((e: unknown) => e);
      expect((error as Error).message).to.equal('503');
    }
    expect(subscriptions).to.equal(1);
  });
});

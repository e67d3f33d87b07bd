// Long work cut into steps, each on its own turn of the event loop.
import { Observable } from 'rxjs';

/**
 * Runs `steps` a step per turn of the event loop (I/O callbacks, such as a
 * response that frees a request slot, run between two steps), and emits
 * what it returns with the time its steps took, then completes.
 * Unsubscribing stops it between two steps; an error in a step is the
 * Observable's error.
 *
 * @example
 * stepped(renderSpec(...), performance.now).subscribe(({ value, busyMs }) => ...);
 */
export function stepped<T>(steps: Generator<unknown, T, void>, clock: () => number): Observable<{ value: T; busyMs: number }> {
  return new Observable((subscriber) => {
    let busyMs = 0;
    let timer: NodeJS.Immediate | null = null;
    const step = (): void => {
      timer = null;
      const started = clock();
      let result: IteratorResult<unknown, T>;
      try {
        result = steps.next();
      } catch (error) {
        subscriber.error(error);
        return;
      } finally {
        busyMs += clock() - started;
      }
      if (result.done) {
        subscriber.next({ value: result.value, busyMs });
        subscriber.complete();
      } else timer = setImmediate(step);
    };
    step();
    return () => {
      if (timer !== null) clearImmediate(timer);
    };
  });
}

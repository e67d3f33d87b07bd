// Writes site files under the output folder, on a worker thread. The main
// thread renders the next spec while the worker writes the last one: creating
// a few hundred small files is slow on some disks (~0.5 ms a file measured
// here), and with two cores the two overlap instead of adding up.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface SiteFile {
  /** Site-relative, with "/" separators. */
  path: string;
  content: string;
}

export interface SiteWriter {
  /** Writes a batch of files (creating folders); resolves once they are on disk. */
  write(files: readonly SiteFile[]): Promise<void>;
  /** Waits for pending writes and releases the writer. */
  close(): Promise<void>;
}

/** What the worker answers for one batch. */
export interface WriteResult {
  id: number;
  error?: string;
}

// The worker is the .js next to this file in dist/, the .ts under tsx (the
// worker inherits the loader from execArgv).
const here = fileURLToPath(import.meta.url);
const WORKER = path.join(path.dirname(here), `write-worker${path.extname(here)}`);

export function directoryWriter(root: string): SiteWriter {
  const worker = new Worker(WORKER, { workerData: { root: path.resolve(root) } });
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  const inFlight = new Set<Promise<void>>();
  let nextId = 0;
  let failure: Error | null = null;
  worker.on('message', (result: WriteResult) => {
    const waiter = waiting.get(result.id);
    waiting.delete(result.id);
    if (result.error) waiter?.reject(new Error(result.error));
    else waiter?.resolve();
  });
  worker.on('error', (error) => {
    failure = error;
    for (const waiter of waiting.values()) waiter.reject(error);
    waiting.clear();
  });
  return {
    write(files) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      const done = new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, files });
      });
      inFlight.add(done);
      const forget = (): void => void inFlight.delete(done);
      done.then(forget, forget);
      return done;
    },
    async close() {
      await Promise.allSettled(inFlight);
      await worker.terminate();
    },
  };
}

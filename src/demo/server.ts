// An in-process stand-in for the faculty's and the university's web servers
// on 127.0.0.1: per-request latency with jitter, a fixed number of worker
// slots (requests beyond them queue), and counters. The demo, the end-to-end
// tests and the benchmark all run the real HTTP path against it.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedPage {
  body: Buffer;
  contentType: string;
}

export interface PageServerOptions {
  latencyMs?: number;
  jitterMs?: number;
  /** Requests served at once; more wait in a queue. Infinity for no limit. */
  slots?: number;
  /** Seed for the jitter, so runs are reproducible. */
  seed?: number;
  /** Faults, for tests: 503 for matching paths, always. */
  failPaths?: RegExp;
  /** The Retry-After of those 503s, in seconds (default 1; a test sets 0 so its retries cost no time). */
  retryAfterSeconds?: number;
  /** 503 to the first N requests of each path: a transient fault. */
  failFirst?: number;
  /** Matching paths are never answered (the connection stays open). */
  hangPaths?: RegExp;
}

export interface PageServerStats {
  /** Connections accepted (a request aborted before it was sent still made one). */
  connections: number;
  requests: number;
  byPath: Record<string, number>;
  maxInFlight: number;
  /** 304 answers to conditional requests. */
  notModified: number;
}

export interface PageServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  stats: PageServerStats;
  /** Faults can change between runs of a test. */
  options: PageServerOptions;
  resetStats(): void;
  close(): Promise<void>;
}

export type PageSource = ReadonlyMap<string, ServedPage> | ((path: string) => ServedPage | undefined);

export async function startPageServer(source: PageSource, options: PageServerOptions = {}): Promise<PageServer> {
  // Read on every request, so a test can change faults between runs.
  const slots = options.slots ?? Infinity;
  let rng = (options.seed ?? 1) >>> 0 || 1;
  const random = (): number => {
    // xorshift32: the same seed gives the same latencies.
    rng ^= rng << 13;
    rng >>>= 0;
    rng ^= rng >>> 17;
    rng ^= rng << 5;
    rng >>>= 0;
    return rng / 4294967296;
  };
  const lookup = typeof source === 'function' ? source : (path: string) => source.get(path);
  const stats: PageServerStats = { connections: 0, requests: 0, byPath: {}, maxInFlight: 0, notModified: 0 };
  let busy = 0;
  let inFlight = 0;
  const queue: (() => void)[] = [];
  const acquire = (): Promise<void> =>
    new Promise((resolve) => {
      if (busy < slots) {
        busy += 1;
        resolve();
      } else queue.push(resolve);
    });
  const release = (): void => {
    const next = queue.shift();
    if (next) next();
    else busy -= 1;
  };

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    stats.requests += 1;
    stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
    inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    const finish = (): void => {
      inFlight -= 1;
    };
    void acquire().then(async () => {
      try {
        const delay = Math.max(0, (options.latencyMs ?? 0) + (random() * 2 - 1) * (options.jitterMs ?? 0));
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        if (options.hangPaths?.test(path)) return; // never answered; closeAllConnections ends it
        if (options.failPaths?.test(path) || stats.byPath[path]! <= (options.failFirst ?? 0)) {
          res.writeHead(503, { 'content-type': 'text/html', 'retry-after': String(options.retryAfterSeconds ?? 1) });
          res.end('<html><body><h1>Service Unavailable</h1></body></html>');
          return;
        }
        const page = lookup(decodeURIComponent(path));
        if (!page) {
          res.writeHead(404, { 'content-type': 'text/html' });
          res.end('<html><body><h1>Not Found</h1></body></html>');
          return;
        }
        const etag = `"${createHash('sha1').update(page.body).digest('hex').slice(0, 16)}"`;
        if (req.headers['if-none-match'] === etag) {
          stats.notModified += 1;
          res.writeHead(304, { etag });
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': page.contentType, 'content-length': page.body.length, etag });
        res.end(page.body);
      } finally {
        finish();
        release();
      }
    });
  });
  server.on('connection', () => (stats.connections += 1));
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    stats,
    options,
    resetStats() {
      stats.connections = 0;
      stats.requests = 0;
      stats.byPath = {};
      stats.maxInFlight = 0;
      stats.notModified = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

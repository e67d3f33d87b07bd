// An HTTP cache on disk: the last body of every URL with its validators.
// Each request sends If-None-Match / If-Modified-Since; a 304 reuses the
// cached body, so an unchanged faculty costs the server headers only.
// Bodies are stored in the thread pool, off the response's path: the
// request slot is refilled without waiting for the disk.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { FetchResult, GetOptions, HttpClient } from './client.js';
import type { Validators } from './wire.js';

interface CacheMeta {
  url: string;
  etag?: string;
  lastModified?: string;
  contentType?: string;
  storedAt: string;
}

export interface CachingClient extends HttpClient {
  /** Once every body asked to be stored so far is on disk (or given up on). */
  settled(): Promise<void>;
}

/** A URL's files in the cache, without their extension: `.json` (its meta) and `.body`. */
function fileOf(cacheDir: string, url: string): string {
  return path.join(cacheDir, createHash('sha256').update(url).digest('hex').slice(0, 32));
}

/** The meta of `url`'s cached copy, when there is a whole one (its body too). */
function readMeta(cacheDir: string, url: string): CacheMeta | undefined {
  const base = fileOf(cacheDir, url);
  try {
    const meta = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8')) as CacheMeta;
    return meta.url === url && fs.statSync(`${base}.body`, { throwIfNoEntry: false })?.isFile() ? meta : undefined;
  } catch {
    return undefined;
  }
}

/** The cached body of `url`, read when a 304 says it is still good. */
function readBody(cacheDir: string, url: string): Buffer | null {
  try {
    return fs.readFileSync(`${fileOf(cacheDir, url)}.body`);
  } catch {
    return null;
  }
}

/** What a request sends to validate a cached copy: its ETag, else its date. */
function validatorsOf(meta: CacheMeta | undefined): Validators {
  return { ifNoneMatch: meta?.etag, ifModifiedSince: meta?.etag ? undefined : meta?.lastModified };
}

/** The validators a request for `url` sends, as cachingClient's get() would. */
export function cachedValidators(cacheDir: string, url: string): Validators {
  return validatorsOf(readMeta(cacheDir, url));
}

export function cachingClient(inner: HttpClient, cacheDir: string): CachingClient {
  /** URL -> its latest store, each chained on the one before (so it ends last): a later get of that URL, and settled(), wait for it. */
  const storing = new Map<string, Promise<void>>();
  const store = (result: FetchResult): void => {
    if (!result.etag && !result.lastModified) return; // nothing to validate with later
    const base = fileOf(cacheDir, result.url);
    const meta: CacheMeta = {
      url: result.url,
      etag: result.etag,
      lastModified: result.lastModified,
      contentType: result.contentType,
      storedAt: new Date().toISOString(),
    };
    // Stores of one URL go one after the other: they share the .tmp names.
    const job = (storing.get(result.url) ?? Promise.resolve()).then(async () => {
      try {
        await fsp.mkdir(cacheDir, { recursive: true });
        // Body first, then its meta, each by rename: a crash leaves the old pair or a body without meta (ignored).
        await fsp.writeFile(`${base}.body.tmp`, result.body);
        await fsp.rename(`${base}.body.tmp`, `${base}.body`);
        await fsp.writeFile(`${base}.json.tmp`, JSON.stringify(meta));
        await fsp.rename(`${base}.json.tmp`, `${base}.json`);
      } catch {
        // A cache that cannot be written only costs a full download next time.
      }
    });
    storing.set(result.url, job);
    void job.then(() => storing.get(result.url) === job && storing.delete(result.url));
  };
  return {
    async settled() {
      while (storing.size > 0) await Promise.all(storing.values());
    },
    async get(url, options: GetOptions = {}) {
      await storing.get(url);
      const meta = readMeta(cacheDir, url);
      const result = await inner.get(url, { ...options, ...validatorsOf(meta) });
      if (result.status === 304) {
        const body = meta ? readBody(cacheDir, url) : null;
        // A 304 with no copy to reuse (none asked for it, or it went meanwhile): the page, asked for plainly.
        if (!meta || !body) return inner.get(url, { signal: options.signal });
        return { ...result, body, contentType: meta.contentType, fromCache: true };
      }
      store(result);
      return result;
    },
  };
}

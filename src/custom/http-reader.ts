// The custom engine's SiteReader over HTTP: the published site at a base URL
// (the CLI's --site URL, the Worker's SITE_ORIGIN). Conditional requests: a
// file still at the version the caller has comes back as a 304, without its
// text. Only fetch(), so it runs on Node and on an edge platform alike.
import { checkSitePath, type SiteReader, type SiteText } from './site-reader.js';

/** A site that has not answered in this long is unreachable: the CLI exits 3, the Worker answers 502. */
const DEFAULT_TIMEOUT_MS = 20_000;

/** The origin answered something other than the file or "not there". */
export class OriginError extends Error {}

/** `base` is the site's root URL ("https://example.org/orar/"); paths are resolved under it only. */
export function httpSiteReader(base: string, fetchImpl: typeof fetch = fetch, timeoutMs = DEFAULT_TIMEOUT_MS): SiteReader {
  const root = new URL(base.endsWith('/') ? base : `${base}/`);
  /** Tells apart versions of an origin that gives no validators: each read is a new version. */
  let unvalidated = 0;
  return {
    async readText(sitePath: string, knownVersion?: string): Promise<SiteText | null> {
      const url = new URL(checkSitePath(sitePath).map(encodeURIComponent).join('/'), root);
      const headers = new Headers();
      if (knownVersion?.startsWith('etag:')) headers.set('if-none-match', knownVersion.slice('etag:'.length));
      else if (knownVersion?.startsWith('date:')) headers.set('if-modified-since', knownVersion.slice('date:'.length));
      let response: Response;
      try {
        response = await fetchImpl(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        if ((error as Error).name === 'TimeoutError') throw new OriginError(`${url.href}: no answer within ${timeoutMs / 1000} s`);
        const cause = (error as { cause?: { message?: string } }).cause?.message;
        // fetch() refuses the ports of other protocols (the Fetch standard's "bad ports": 1, 9, 25, 6000...) before any connection.
        const why = cause === 'bad port' ? 'fetch() refuses that port: it belongs to another protocol; serve the site on another one' : (cause ?? (error as Error).message);
        throw new OriginError(`${url.href}: cannot be reached (${why})`);
      }
      if (response.status === 304 && knownVersion !== undefined) {
        await response.body?.cancel();
        return { version: knownVersion };
      }
      if (response.status === 404 || response.status === 410) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok) throw new OriginError(`${url.href}: the site answered ${response.status}`);
      const etag = response.headers.get('etag');
      const modified = response.headers.get('last-modified');
      const version = etag ? `etag:${etag}` : modified ? `date:${modified}` : `read:${++unvalidated}`;
      return { version, text: await response.text() };
    },
  };
}

// The site's files as a route: a file by its path, a folder by its
// index.html, with validators and 304s. Reads through SiteFiles, so it runs
// wherever something can list and read the published files.
import { etagOf, httpDate, isNotModified } from './conditional.js';
import { COMMON_HEADERS, textResponse } from './responses.js';
import type { Route } from './site-handler.js';

/** What is at a site path, as the file store sees it. */
export type SiteEntry = { kind: 'folder' } | { kind: 'file'; size: number; modified: Date; read(): Promise<Uint8Array<ArrayBuffer>> };

/** Read access to the published site. */
export interface SiteFiles {
  /**
   * The entry at these checked segments, or null when nothing servable is
   * there (missing, not a regular file or folder, or outside the site, e.g.
   * through a symlink).
   */
  find(segments: readonly string[]): Promise<SiteEntry | null>;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  ics: 'text/calendar; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  map: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
};

/** The Content-Type for a file name, by its extension (`a.ics` -> text/calendar). */
function contentTypeOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot < 0 ? undefined : TYPES[name.slice(dot + 1).toLowerCase()]) ?? 'application/octet-stream';
}

/**
 * Serves the site's files. A folder serves its index.html; asked without the
 * trailing slash it redirects to the slash form first, so the relative links
 * in that index.html resolve inside the folder.
 */
export function staticFiles(files: SiteFiles): Route {
  return async (request, path) => {
    let entry = await files.find(path.segments);
    let name = path.segments[path.segments.length - 1] ?? '';
    if (entry?.kind === 'folder') {
      entry = await files.find([...path.segments, 'index.html']);
      if (entry?.kind !== 'file') return notFound();
      if (!path.folder) return textResponse(301, 'moved', { location: `${path.pathname}/${path.search}` });
      name = 'index.html';
    } else if (path.folder) {
      return notFound();
    }
    if (entry?.kind !== 'file') return notFound();

    const type = contentTypeOf(name);
    const compressible = COMPRESSIBLE.test(type) && entry.size >= MIN_COMPRESSED_BYTES;
    // The weak ETag stays the same gzipped or not: the two are the same
    // content (weak comparison), as common servers do; Vary tells caches.
    const validators = { etag: etagOf(entry), 'last-modified': httpDate(entry.modified), ...(compressible ? { vary: 'accept-encoding' } : {}) };
    if (isNotModified(request.headers, entry)) return new Response(null, { status: 304, headers: { ...COMMON_HEADERS, ...validators } });
    const headers = { ...COMMON_HEADERS, ...validators, 'content-type': type };
    const gzip = compressible && acceptsGzip(request.headers.get('accept-encoding'));
    if (request.method === 'HEAD') return new Response(null, { headers: gzip ? { ...headers, 'content-encoding': 'gzip' } : { ...headers, 'content-length': String(entry.size) } });
    const body = await entry.read();
    if (gzip) return new Response(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip')), { headers: { ...headers, 'content-encoding': 'gzip' } });
    return new Response(body, { headers: { ...headers, 'content-length': String(body.byteLength) } });
  };
}

/** Text is sent gzipped to a client that takes it (the page's first load: ~160 kB as it is, ~45 kB gzipped); images are compressed already. */
const COMPRESSIBLE = /^(text\/|application\/(json|atom\+xml|manifest\+json)|image\/svg\+xml)/;
/** Below this, gzip's header costs more than it saves. */
const MIN_COMPRESSED_BYTES = 1024;

/** Whether Accept-Encoding allows gzip (`gzip`, `x-gzip` or `*`, unless given q=0). */
function acceptsGzip(acceptEncoding: string | null): boolean {
  if (!acceptEncoding) return false;
  let star = false;
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [coding = '', ...params] = part.split(';').map((x) => x.trim());
    const q = params.find((p) => p.startsWith('q='));
    const refused = q !== undefined && Number(q.slice(2)) === 0;
    if (coding === 'gzip' || coding === 'x-gzip') return !refused;
    if (coding === '*') star = !refused;
  }
  return star;
}

function notFound(): Response {
  return textResponse(404, 'not found');
}

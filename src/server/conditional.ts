// Validators of a file (ETag, Last-Modified) and the conditional-request
// rule that turns a repeat GET into a 304. Pure.

/** What a file's validators are made of. */
export interface FileVersion {
  size: number;
  modified: Date;
}

/**
 * A weak ETag from size and modification time (weak: two writes of the same
 * size within one millisecond would share it). Example: `W/"1a2b-18c3f0e2a10"`.
 */
export function etagOf(version: FileVersion): string {
  return `W/"${version.size.toString(16)}-${Math.floor(version.modified.getTime()).toString(16)}"`;
}

/** Last-Modified as an HTTP date (whole seconds, GMT). */
export function httpDate(date: Date): string {
  return date.toUTCString();
}

/**
 * Whether a GET/HEAD with these headers may be answered 304 (RFC 9110
 * 13.2.2): If-None-Match, when present, decides alone (`*`, a list, weak
 * comparison); otherwise If-Modified-Since, when it is a valid date, and the
 * file has not changed since (at the one-second precision of HTTP dates).
 */
export function isNotModified(headers: Headers, version: FileVersion, now: number = Date.now()): boolean {
  const ifNoneMatch = headers.get('if-none-match');
  if (ifNoneMatch !== null) return matchesAny(ifNoneMatch, etagOf(version));
  const ifModifiedSince = headers.get('if-modified-since');
  if (ifModifiedSince === null) return false;
  const since = Date.parse(ifModifiedSince);
  // A date in the future is no date the client saw the file at (RFC 9110 13.1.3): ignored.
  if (Number.isNaN(since) || since > now) return false;
  return Math.floor(version.modified.getTime() / 1000) * 1000 <= since;
}

function matchesAny(list: string, etag: string): boolean {
  if (list.trim() === '*') return true;
  const wanted = opaque(etag);
  for (const match of list.matchAll(/(?:W\/)?"([^"]*)"/g)) {
    if (match[1] === wanted) return true;
  }
  return false;
}

/** The quoted part of an entity tag, without `W/` (weak comparison ignores it). */
function opaque(etag: string): string {
  return etag.replace(/^W\//, '').slice(1, -1);
}

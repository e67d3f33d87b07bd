// The request target -> the site path it names, or why it is refused. Pure:
// the node:http adapter checks the raw target with it (before the URL parser
// quietly resolves `..`), and the handler checks request.url with it again,
// so the same rule holds on any platform.

/** Longer targets are refused (414): no page of ours links to one. */
export const MAX_TARGET_LENGTH = 2048;

/** Custom feeds (/custom/{token}.ics) carry their selection: tokens up to 4 KB are read (custom-route.ts). */
const CUSTOM_PREFIX = '/custom/';
const MAX_CUSTOM_TARGET_LENGTH = CUSTOM_PREFIX.length + 4096 + '.ics'.length;

/** A path the site may be asked for: checked, decoded, never escaping the root by itself. */
export interface SitePath {
  /** Decoded segments; none is empty, ".", ".." or holds "/", "\" or a control character. */
  segments: string[];
  /** The path ends with "/" (it names a folder). */
  folder: boolean;
  /** The path as requested, still percent-encoded; starts with one "/" (never "//"), so it is safe in a Location. */
  pathname: string;
  /** "?..." as requested, or "". Never used to find a file. */
  search: string;
}

export type TargetVerdict = { ok: true; path: SitePath } | { ok: false; status: 400 | 414; reason: string };

// Raw bytes a path may not hold: controls, space, DEL and beyond ASCII (browsers
// percent-encode these), the backslash (a separator on Windows, and some
// proxies turn it into "/"), and "#" (a fragment is never sent).
const RAW_FORBIDDEN = /[\u0000-\u0020\u007f-\uffff\\#]/;
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;
// After decoding: C0 and C1 controls (NUL among them), and separators that
// would split one segment into several.
const DECODED_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f/\\]/;
// absolute-form ("GET http://host/path HTTP/1.1"), which servers must accept.
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * Checks a request target ("/path?query", or the absolute form) and decodes
 * its path into segments. Everything malformed is refused, not repaired:
 * `parseTarget('/a/%2e%2e/b')` is a 400, never `/b`.
 */
export function parseTarget(target: string): TargetVerdict {
  const originForm = target.replace(ABSOLUTE_FORM, '');
  // The limit is the path's: "http://host/custom/..." has a custom feed's too.
  const limit = originForm.startsWith(CUSTOM_PREFIX) ? MAX_CUSTOM_TARGET_LENGTH : MAX_TARGET_LENGTH;
  if (originForm.length > limit) return refuse(414, `the address is longer than ${limit} characters`);
  if (!originForm.startsWith('/')) return refuse(400, 'the path must start with "/"');
  const queryAt = originForm.indexOf('?');
  const pathname = queryAt < 0 ? originForm : originForm.slice(0, queryAt);
  const search = queryAt < 0 ? '' : originForm.slice(queryAt);
  if (RAW_FORBIDDEN.test(pathname)) return refuse(400, 'the path holds a control character, a space, a backslash or a non-ASCII byte');
  if (/[\u0000-\u001f\u007f]/.test(search)) return refuse(400, 'the query holds a control character');
  if (BAD_PERCENT.test(pathname)) return refuse(400, 'the path has a "%" not followed by two hex digits');

  const raw = pathname.slice(1).split('/');
  const folder = raw.length > 0 && raw[raw.length - 1] === '';
  if (folder) raw.pop();
  const segments: string[] = [];
  for (const part of raw) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return refuse(400, 'the path is not valid percent-encoded UTF-8');
    }
    if (segment === '') return refuse(400, 'the path has an empty segment ("//")');
    if (segment === '.' || segment === '..') return refuse(400, 'the path has a "." or ".." segment');
    if (DECODED_FORBIDDEN.test(segment)) return refuse(400, 'the path encodes a control character, "/" or "\\"');
    segments.push(segment);
  }
  return { ok: true, path: { segments, folder, pathname, search } };
}

/** A refused target's answer text, the same from the node:http adapter and the handler: what kind of refusal, then why. */
export function refusalText(verdict: { status: 400 | 414; reason: string }): string {
  return `${verdict.status === 414 ? 'address too long' : 'bad request'}: ${verdict.reason}`;
}

function refuse(status: 400 | 414, reason: string): TargetVerdict {
  return { ok: false, status, reason };
}

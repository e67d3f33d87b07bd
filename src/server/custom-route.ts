// GET /custom/{token}.ics: a custom feed, made from the published site by
// the custom engine (src/custom/). The same route runs under `orar-cal
// serve` and in the edge Worker; only the SiteReader differs.
import { customFeed, NothingLeftError, SiteDataError, type CustomFeed } from '../custom/feed.js';
import { ParsedFiles, type SiteReader } from '../custom/site-reader.js';
import { decodeToken, MAX_TOKEN_LENGTH, TokenError } from '../custom/token.js';
import { COMMON_HEADERS, textResponse } from './responses.js';
import type { Route } from './site-handler.js';

/** Calendar apps poll twice a day; a proxy or the edge may keep a feed five minutes. */
const FEED_CACHE_CONTROL = 'public, max-age=300';

export interface CustomRouteOptions {
  /** Source text the parsed-file cache may hold. */
  maxFileBytes?: number;
  /** Feeds kept for answering repeat requests, and the bytes they may hold together. */
  maxFeeds?: number;
  maxFeedBytes?: number;
  /**
   * A feed checked against the site this recently is answered without
   * checking again (default 0: every request checks, as `serve` does; the
   * Worker, whose site is a network away, checks once a minute).
   */
  recheckMs?: number;
  /** The clock recheckMs is measured on. */
  now?: () => number;
}

/** The /custom/{token}.ics route over the site `reader` reads. */
export function customRoute(reader: SiteReader, options: CustomRouteOptions = {}): Route {
  const files = new ParsedFiles(reader, options.maxFileBytes);
  const feeds = new RecentFeeds(options.maxFeeds ?? 128, options.maxFeedBytes ?? 32 * 1024 * 1024);
  /** token -> the feed being checked or made for it: requests for it meanwhile share that answer, fresh as of its start. */
  const pending = new Map<string, Promise<CustomFeed>>();
  const recheckMs = options.recheckMs ?? 0;
  const now = options.now ?? Date.now;
  /** Feed -> when it was last found current. */
  const checkedAt = new WeakMap<CustomFeed, number>();
  // A token already answered is not decoded again: it is the key of its feed.
  const current = async (token: string): Promise<CustomFeed> => {
    const known = feeds.get(token);
    const startedAt = now();
    if (known && recheckMs > 0 && startedAt - (checkedAt.get(known) ?? -Infinity) < recheckMs) return known;
    const feed = known && (await files.unchanged(known.inputs)) ? known : await customFeed(files, decodeToken(token));
    checkedAt.set(feed, startedAt);
    feeds.set(token, feed);
    return feed;
  };
  return async (request, path) => {
    if (path.segments.length !== 2 || path.segments[0] !== 'custom' || path.folder) return null;
    const name = path.segments[1]!;
    if (!name.endsWith('.ics')) return null;
    const token = name.slice(0, -'.ics'.length);
    if (token.length > MAX_TOKEN_LENGTH) return textResponse(414, `the token is longer than ${MAX_TOKEN_LENGTH} characters`);
    let feed: CustomFeed;
    try {
      let answer = pending.get(token);
      if (!answer) {
        answer = current(token).finally(() => pending.delete(token));
        pending.set(token, answer);
      }
      feed = await answer;
    } catch (error) {
      if (error instanceof TokenError) return textResponse(400, `bad token: ${error.message}`);
      if (error instanceof NothingLeftError) {
        feeds.delete(token);
        return textResponse(404, error.message);
      }
      if (error instanceof SiteDataError) return textResponse(503, error.message);
      throw error;
    }
    const headers = { ...COMMON_HEADERS, 'cache-control': FEED_CACHE_CONTROL, etag: feed.etag };
    if (notModified(request.headers.get('if-none-match'), feed.etag)) return new Response(null, { status: 304, headers });
    const body = feed.bytes;
    return new Response(body, { headers: { ...headers, 'content-type': 'text/calendar; charset=utf-8', 'content-length': String(body.byteLength) } });
  };
}

/** If-None-Match against our weak ETag (weak comparison, RFC 9110 13.1.2). */
function notModified(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const wanted = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === wanted);
}

/** The last feeds made, by token: at most `max` of them and `maxBytes` of their text (least recently used go first). */
class RecentFeeds {
  /** token -> feed; Map order is recency. */
  private readonly feeds = new Map<string, CustomFeed>();
  /** What the kept feeds hold: their bytes, and their text about as much again. */
  private bytes = 0;
  constructor(
    private readonly max: number,
    private readonly maxBytes: number,
  ) {}
  get(token: string): CustomFeed | undefined {
    const feed = this.feeds.get(token);
    if (feed) {
      this.feeds.delete(token);
      this.feeds.set(token, feed);
    }
    return feed;
  }
  set(token: string, feed: CustomFeed): void {
    this.delete(token);
    this.feeds.set(token, feed);
    this.bytes += sizeOf(feed);
    for (const oldest of this.feeds.keys()) {
      if ((this.feeds.size <= this.max && this.bytes <= this.maxBytes) || oldest === token) break;
      this.delete(oldest);
    }
  }
  delete(token: string): void {
    const feed = this.feeds.get(token);
    if (!feed) return;
    this.feeds.delete(token);
    this.bytes -= sizeOf(feed);
  }
}

function sizeOf(feed: CustomFeed): number {
  return 2 * feed.bytes.byteLength;
}

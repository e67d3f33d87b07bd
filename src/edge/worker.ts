// The custom feeds on an edge platform: a Cloudflare Workers module entry
// around the same fetch(Request) -> Response handler `orar-cal serve` uses,
// reading the published site from the origin the deployment configures
// (SITE_ORIGIN, e.g. the GitHub Pages address), never from the request.
// It answers /custom/{token}.ics only; the site itself stays where it is.
import { httpSiteReader, OriginError } from '../custom/http-reader.js';
import { customRoute } from '../server/custom-route.js';
import { textResponse } from '../server/responses.js';
import { siteHandler, type Handler } from '../server/site-handler.js';

export interface WorkerEnv {
  /** The published site's root URL, set in wrangler.toml or with `wrangler deploy --var SITE_ORIGIN:URL`. */
  SITE_ORIGIN?: string;
}

/** How long a feed is answered without asking the origin whether its files changed (it may be cached 5 minutes downstream anyway). */
const RECHECK_MS = 60_000;

/** One handler per origin, kept for the isolate's life: its caches serve the requests that follow. */
let current: { origin: string; handler: Handler } | undefined;

function handlerFor(origin: string): Handler {
  if (current?.origin !== origin) current = { origin, handler: siteHandler([customRoute(httpSiteReader(origin), { maxFileBytes: 32 * 1024 * 1024, maxFeeds: 64, recheckMs: RECHECK_MS })]) };
  return current.handler;
}

export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const origin = env.SITE_ORIGIN?.trim() ?? '';
    if (!/^https?:\/\//i.test(origin)) return textResponse(500, 'this Worker has no SITE_ORIGIN: set it to the published site\'s address (wrangler.toml [vars] or --var)');
    try {
      return await handlerFor(origin)(request);
    } catch (error) {
      // Never a 200 with an empty calendar: subscribers' apps would wipe their events.
      if (error instanceof OriginError) return textResponse(502, `the published site could not be read: ${error.message}`);
      return textResponse(500, 'internal error');
    }
  },
};

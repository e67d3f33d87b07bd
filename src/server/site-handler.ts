// The site as a web-standard handler, fetch(Request) -> Response: it runs
// under node:http (node-http.ts) and unchanged on an edge platform. Checks
// what every request must satisfy, then asks the routes in order.
import { parseTarget, refusalText, type SitePath } from './request-target.js';
import { textResponse } from './responses.js';

export type Handler = (request: Request) => Promise<Response>;

/** Answers the requests it recognises; null passes the request to the next route. */
export type Route = (request: Request, path: SitePath) => Promise<Response | null>;

/** Everything the site answers is read-only. */
const ALLOWED_METHODS = 'GET, HEAD';

/**
 * The site's handler: GET and HEAD only (405 with Allow otherwise), a checked
 * path (400/414 otherwise), then the first route that answers (404 if none).
 * Example: `siteHandler([staticFiles(siteFiles('site'))])`.
 */
export function siteHandler(routes: readonly Route[]): Handler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return textResponse(405, 'method not allowed', { allow: ALLOWED_METHODS });
    }
    const url = new URL(request.url);
    const verdict = parseTarget(url.pathname + url.search);
    const response = verdict.ok ? await firstAnswer(routes, request, verdict.path) : textResponse(verdict.status, refusalText(verdict));
    // HEAD: the same status and headers as GET, no body.
    return request.method === 'HEAD' && response.body ? new Response(null, { status: response.status, headers: response.headers }) : response;
  };
}

async function firstAnswer(routes: readonly Route[], request: Request, path: SitePath): Promise<Response> {
  for (const route of routes) {
    const response = await route(request, path);
    if (response) return response;
  }
  return textResponse(404, 'not found');
}

// Responses every route and the adapter share: the headers every answer
// carries, and short plain-text errors.

/** On every answer: browsers must not guess a type (a .ics must not run as HTML). */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

/** A short plain-text answer, e.g. `textResponse(404, 'not found')`. */
export function textResponse(status: number, text: string, headers: Record<string, string> = {}): Response {
  const body = new TextEncoder().encode(`${text}\n`);
  return new Response(body, {
    status,
    headers: { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'content-length': String(body.byteLength), ...headers },
  });
}

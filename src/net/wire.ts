// What one attempt sends and gets back, before the client judges it: shared
// by the client (axios, client.ts) and a run's first requests (node:http,
// first-requests.ts), so both send the same headers and their answers are
// judged by one set of rules. Loads nothing.

/** Validators of a cached copy: the server may answer 304. */
export interface Validators {
  ifNoneMatch?: string;
  ifModifiedSince?: string;
}

/** An answer as it came off the wire: any status, the body whole. */
export interface WireAnswer {
  status: number;
  statusText: string;
  /** By lower-case name, as Node gives them. */
  headers: Readonly<Record<string, unknown>>;
  body: Buffer;
}

/** The headers of every attempt: who asks, what it takes, and the validators it has. */
export function requestHeaders(userAgent: string, validators: Validators): Record<string, string> {
  const headers: Record<string, string> = { 'User-Agent': userAgent, Accept: 'text/html,*/*;q=0.8' };
  if (validators.ifNoneMatch) headers['If-None-Match'] = validators.ifNoneMatch;
  if (validators.ifModifiedSince) headers['If-Modified-Since'] = validators.ifModifiedSince;
  return headers;
}

/** A header's value, when it is one string. */
export function header(answer: WireAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The error of a body over the size cap, whichever transport read it. */
export const TOO_LARGE = 'ERR_BODY_TOO_LARGE';

// A run's first requests (the index and the academic page), sent
// over Node's own http as soon as the flags are read, before the HTTP client
// is loaded: axios's modules take ~50 ms here and its first request ~20 ms
// more, and the generator's modules load while these travel. Each answer is
// the client's first attempt at its URL (client.ts judges, retries and
// caches it like any other); one it cannot take as it is (a redirect, an
// encoded body, asked with other validators) the client sends itself, and
// a URL axios would send through a proxy is left to it.
import http from 'node:http';
import { TOO_LARGE, requestHeaders, type Validators, type WireAnswer } from './wire.js';

export interface FirstRequestOptions {
  userAgent: string;
  /** Per attempt, as the client's: no byte for this long ends it. */
  timeoutMs: number;
  maxBytes: number;
  /** What the cache has for a URL: the client will ask with the same. */
  validators: (url: string) => Validators;
  /** Where proxies are named (default: the process's environment). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface FirstRequests {
  /**
   * The answer to `url`'s first request, taken once: rejects with the
   * transport's error, for the client to judge; resolves undefined when
   * there is none to take (not sent, already taken, sent with other
   * headers, or a redirect or an encoded body, which axios handles).
   */
  take(url: string, headers: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<WireAnswer | undefined>;
  /** Aborts those nobody took (a run that ended before asking for them). */
  abandon(): void;
}

interface Sent {
  headers: Record<string, string>;
  answer: Promise<WireAnswer>;
  abort: AbortController;
}

/** Sends a GET for each of `urls` at once, in order. */
export function sendFirstRequests(urls: readonly string[], options: FirstRequestOptions): FirstRequests {
  const sent = new Map<string, Sent>();
  for (const url of urls) {
    if (sent.has(url) || proxied(url, options.env ?? process.env)) continue;
    const headers = requestHeaders(options.userAgent, options.validators(url));
    const abort = new AbortController();
    const answer = getOnce(url, headers, options, abort.signal);
    answer.catch(() => undefined); // taken, and judged, by whoever asks; or abandoned
    sent.set(url, { headers, answer, abort });
  }
  return {
    async take(url, headers, signal) {
      const first = sent.get(url);
      if (!first) return undefined;
      sent.delete(url);
      if (!sameHeaders(first.headers, headers)) {
        first.abort.abort();
        return undefined;
      }
      if (signal?.aborted) first.abort.abort();
      signal?.addEventListener('abort', () => first.abort.abort(), { once: true });
      const answer = await first.answer;
      return takesAsItIs(answer) ? answer : undefined;
    },
    abandon() {
      for (const first of sent.values()) first.abort.abort();
      sent.clear();
    },
  };
}

/** Not a redirect (axios follows those) and not compressed (never asked for here; axios decodes it). */
function takesAsItIs(answer: WireAnswer): boolean {
  const redirect = answer.status >= 300 && answer.status < 400 && answer.status !== 304;
  const encoding = answer.headers['content-encoding'];
  return !redirect && (encoding === undefined || encoding === 'identity');
}

/**
 * Whether axios would send `url` through a proxy named in the environment
 * (`{scheme}_proxy` or `all_proxy`, either case; its no_proxy exceptions
 * aside): Node's http knows no proxies, so such a URL is not sent here.
 */
function proxied(url: string, env: Readonly<Record<string, string | undefined>>): boolean {
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  return [`${scheme}_proxy`, 'all_proxy'].some((name) => Boolean(env[name] || env[name.toUpperCase()]));
}

function sameHeaders(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** One GET on a connection of its own (closed after: the client's keep-alive pool is axios's), the body whole, capped. */
async function getOnce(url: string, headers: Record<string, string>, options: FirstRequestOptions, signal: AbortSignal): Promise<WireAnswer> {
  // https only when asked for: loading TLS costs a plain-http run ~10 ms.
  const transport = url.startsWith('https:') ? (await import('node:https')).default : http;
  return new Promise((resolve, reject) => {
    /** Why this side ended the request, when it did: the error the caller sees. */
    let ended: Error | undefined;
    let idle: NodeJS.Timeout | undefined;
    const end = (error: Error): void => {
      ended ??= error;
      request.destroy(ended);
    };
    const settle = (): void => clearTimeout(idle);
    const fail = (error: Error): void => {
      settle();
      reject(ended ?? error);
    };
    // As axios's timeout: no byte for this long ends the attempt. A timer of
    // our own, as axios's (follow-redirects) has, rather than the socket's.
    const stillWaiting = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => end(Object.assign(new Error(`timeout of ${options.timeoutMs}ms exceeded`), { code: 'ECONNABORTED' })), options.timeoutMs);
    };
    const request = transport.request(url, { headers, agent: false, signal }, (response) => {
      stillWaiting();
      const chunks: Buffer[] = [];
      let bytes = Number(response.headers['content-length'] ?? 0);
      if (bytes > options.maxBytes) return end(tooLarge(options.maxBytes));
      bytes = 0;
      response.on('data', (chunk: Buffer) => {
        stillWaiting();
        bytes += chunk.length;
        if (bytes > options.maxBytes) end(tooLarge(options.maxBytes));
        else chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        settle();
        resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers, body: Buffer.concat(chunks) });
      });
    });
    request.on('error', fail);
    stillWaiting();
    request.end();
  });
}

function tooLarge(maxBytes: number): Error {
  return Object.assign(new Error(`body over ${maxBytes} bytes`), { code: TOO_LARGE });
}

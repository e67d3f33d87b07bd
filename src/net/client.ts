// The HTTP edge: axios with keep-alive, a per-attempt timeout, a body-size
// cap, retries with exponential backoff and jitter (Retry-After honoured),
// conditional requests, and errors turned into one sentence naming the URL.
// Options are plain values, in the manner of got/ky.
import type { AxiosResponse, AxiosStatic } from 'axios';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';

// axios loads before a run's first request, so it loads as one CommonJS
// file: the build's bundle (scripts/bundle-axios.mjs, ~70 ms here), or, run
// from source (tests through tsx), the package's own one-file build (~150 ms;
// its ESM build's ~80 modules take ~190 ms).
const require = createRequire(import.meta.url);
const axios = (import.meta.url.endsWith('.ts') ? require('axios') : require('../vendor/axios.cjs')) as AxiosStatic;
const { AxiosError } = axios;

export interface FetchResult {
  url: string;
  /** 200-299, or 304 when a conditional request found the page unchanged. */
  status: number;
  body: Buffer;
  contentType: string | undefined;
  etag: string | undefined;
  lastModified: string | undefined;
  /** The body came from the local cache after a 304. */
  fromCache?: boolean;
  /** Attempts that failed before this answer. */
  retries?: RetryEvent[];
}

export interface GetOptions {
  signal?: AbortSignal;
  /** Validators of a cached copy: the server may answer 304. */
  ifNoneMatch?: string;
  ifModifiedSince?: string;
}

export interface HttpClient {
  get(url: string, options?: GetOptions): Promise<FetchResult>;
}

/** One retry, for the report. */
export interface RetryEvent {
  url: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  reason: string;
  delayMs: number;
}

export interface RetryOptions {
  /** Attempts in all, first one included (default 3). */
  attempts: number;
  /** First backoff; doubles each retry, with ±50% jitter. */
  baseDelayMs: number;
  /** No wait longer than this, Retry-After included. */
  maxDelayMs: number;
}

export interface HttpClientOptions {
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  retry?: Partial<RetryOptions>;
  onRetry?: (event: RetryEvent) => void;
  /** Injected in tests; defaults to setTimeout. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 500, maxDelayMs: 10_000 };

/** A request that did not give a usable page, with a message a person can act on. */
export class FetchError extends Error {
  constructor(
    readonly url: string,
    message: string,
    readonly status?: number,
    readonly code?: string,
    /** Worth another attempt: network trouble, timeouts, 5xx, 429. */
    readonly retryable = false,
    /** Seconds the server asked us to wait (Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
  /** Attempts that failed before the last one. */
  retries: RetryEvent[] = [];
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const client = axios.create({
    // Node's http: keep-alive agents, and no fetch globals loaded (scripts/bundle-axios.mjs).
    adapter: 'http',
    responseType: 'arraybuffer',
    timeout: options.timeoutMs,
    maxContentLength: options.maxBytes,
    maxRedirects: 5,
    // Statuses are judged below, where the message can name the page.
    validateStatus: () => true,
    headers: { 'User-Agent': options.userAgent, Accept: 'text/html,*/*;q=0.8' },
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
  });

  const attempt = async (url: string, get: GetOptions): Promise<FetchResult> => {
    const headers: Record<string, string> = {};
    if (get.ifNoneMatch) headers['If-None-Match'] = get.ifNoneMatch;
    if (get.ifModifiedSince) headers['If-Modified-Since'] = get.ifModifiedSince;
    let response: AxiosResponse<ArrayBuffer>;
    try {
      response = await client.get<ArrayBuffer>(url, { signal: get.signal, headers });
    } catch (error) {
      throw toFetchError(url, error, options);
    }
    const { status } = response;
    if ((status >= 200 && status < 300) || status === 304) {
      return {
        url,
        status,
        body: Buffer.from(response.data ?? new ArrayBuffer(0)),
        contentType: header(response, 'content-type'),
        etag: header(response, 'etag'),
        lastModified: header(response, 'last-modified'),
      };
    }
    const retryable = status >= 500 || status === 429;
    throw new FetchError(
      url,
      `${url}: HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`,
      status,
      undefined,
      retryable,
      retryable ? retryAfterMs(header(response, 'retry-after')) : undefined,
    );
  };

  return {
    async get(url, get = {}) {
      const retries: RetryEvent[] = [];
      for (let n = 1; ; n++) {
        try {
          const result = await attempt(url, get);
          return retries.length > 0 ? { ...result, retries } : result;
        } catch (error) {
          const failure = error instanceof FetchError ? error : new FetchError(url, `${url}: ${String(error)}`);
          if (!failure.retryable || n >= retry.attempts || get.signal?.aborted) {
            if (n > 1) failure.message += ` (after ${n} attempts)`;
            failure.retries = retries;
            throw failure;
          }
          const backoff = retry.baseDelayMs * 2 ** (n - 1) * (0.5 + random());
          const delayMs = Math.round(Math.min(retry.maxDelayMs, failure.retryAfterMs ?? backoff));
          const event = { url, attempt: n, reason: failure.message, delayMs };
          retries.push(event);
          options.onRetry?.(event);
          await sleep(delayMs, get.signal);
        }
      }
    },
  };
}

function header(response: AxiosResponse, name: string): string | undefined {
  const value: unknown = response.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Retry-After is seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function toFetchError(url: string, error: unknown, options: HttpClientOptions): FetchError {
  if (!(error instanceof AxiosError)) return new FetchError(url, `${url}: ${String(error)}`, undefined, undefined, true);
  const host = safeHost(url);
  const code = error.code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new FetchError(url, `cannot reach ${host}: ${code} (no such host)`, undefined, code, code === 'EAI_AGAIN');
    case 'ECONNREFUSED':
      return new FetchError(url, `cannot reach ${host}: ECONNREFUSED (nothing listens there)`, undefined, code, true);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ERR_BAD_RESPONSE':
      if (/maxContentLength/.test(error.message)) break;
      return new FetchError(url, `${url}: connection reset by ${host} (${code})`, undefined, code, true);
    case 'ECONNABORTED':
    case 'ETIMEDOUT':
      return new FetchError(url, `${url}: no answer within ${options.timeoutMs / 1000} s (${code})`, undefined, code, true);
    case 'ERR_CANCELED':
      return new FetchError(url, `${url}: request cancelled`, undefined, code);
  }
  if (code === 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED' || /maxContentLength/.test(error.message)) {
    return new FetchError(url, `${url}: response larger than ${options.maxBytes} bytes, refused`, undefined, code);
  }
  return new FetchError(url, `${url}: ${error.message}${code ? ` (${code})` : ''}`, undefined, code, true);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

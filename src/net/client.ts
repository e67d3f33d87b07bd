// The HTTP edge: axios with keep-alive, a per-attempt timeout, a body-size
// cap, retries with exponential backoff and jitter (Retry-After honoured),
// conditional requests, and errors turned into one sentence naming the URL.
// Options are plain values, in the manner of got/ky.
import type { AxiosStatic } from 'axios';
import http from 'node:http';
import https from 'node:https';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FirstRequests } from './first-requests.js';
import { TOO_LARGE, header, requestHeaders, type Validators, type WireAnswer } from './wire.js';

// axios loads while a run's first requests travel, so it loads as one
// CommonJS file: the build's bundle (scripts/bundle-axios.mjs, ~70 ms here),
// or, run from source (tests through tsx) or compiled by `tsc` alone, the
// package's own one-file build (~150 ms; its ESM build's ~80 modules take
// ~190 ms).
const require = createRequire(import.meta.url);
const VENDORED = new URL('../vendor/axios.cjs', import.meta.url);
const axios = (import.meta.url.endsWith('.ts') || !existsSync(VENDORED) ? require('axios') : require(fileURLToPath(VENDORED))) as AxiosStatic;

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

export interface GetOptions extends Validators {
  signal?: AbortSignal;
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
  /** Requests sent before the client loaded (a run's first ones): each is the first attempt at its URL. */
  firstRequests?: FirstRequests;
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
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
  });

  const send = async (url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<WireAnswer> => {
    const response = await client.get<ArrayBuffer>(url, { signal, headers });
    return { status: response.status, statusText: response.statusText, headers: response.headers, body: Buffer.from(response.data ?? new ArrayBuffer(0)) };
  };

  /** Attempt `n` at `url`: the first one may be already on its way. */
  const attempt = async (url: string, get: GetOptions, n: number): Promise<FetchResult> => {
    const headers = requestHeaders(options.userAgent, get);
    let answer: WireAnswer;
    try {
      answer = (n === 1 ? await options.firstRequests?.take(url, headers, get.signal) : undefined) ?? (await send(url, headers, get.signal));
    } catch (error) {
      throw toFetchError(url, error, options);
    }
    const { status } = answer;
    if ((status >= 200 && status < 300) || status === 304) {
      return {
        url,
        status,
        body: answer.body,
        contentType: header(answer, 'content-type'),
        etag: header(answer, 'etag'),
        lastModified: header(answer, 'last-modified'),
      };
    }
    const retryable = status >= 500 || status === 429;
    throw new FetchError(
      url,
      `${url}: HTTP ${status}${answer.statusText ? ` ${answer.statusText}` : ''}`,
      status,
      undefined,
      retryable,
      retryable ? retryAfterMs(header(answer, 'retry-after')) : undefined,
    );
  };

  return {
    async get(url, get = {}) {
      const retries: RetryEvent[] = [];
      for (let n = 1; ; n++) {
        try {
          const result = await attempt(url, get, n);
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

/** A retry as a run prints it while it waits (the reason names the URL). */
export function retryLine(r: RetryEvent): string {
  return `retry: ${r.reason}; attempt ${r.attempt + 1} in ${(r.delayMs / 1000).toFixed(1)} s`;
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

/** An error of either transport (axios's, or Node's under a first request), by its code. */
function toFetchError(url: string, error: unknown, options: HttpClientOptions): FetchError {
  if (!(error instanceof Error)) return new FetchError(url, `${url}: ${String(error)}`, undefined, undefined, true);
  const host = safeHost(url);
  const code = (error as NodeJS.ErrnoException).code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new FetchError(url, `${url}: cannot reach ${host}: ${code} (no such host)`, undefined, code, code === 'EAI_AGAIN');
    case 'ECONNREFUSED':
      return new FetchError(url, `${url}: cannot reach ${host}: ECONNREFUSED (nothing listens there)`, undefined, code, true);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ERR_BAD_RESPONSE':
      if (/maxContentLength/.test(error.message)) break;
      return new FetchError(url, `${url}: connection reset by ${host} (${code})`, undefined, code, true);
    case 'ECONNABORTED':
    case 'ETIMEDOUT':
      return new FetchError(url, `${url}: no answer within ${options.timeoutMs / 1000} s (${code})`, undefined, code, true);
    case 'ERR_CANCELED':
    case 'ABORT_ERR':
      return new FetchError(url, `${url}: request cancelled`, undefined, code);
  }
  if (code === TOO_LARGE || code === 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED' || /maxContentLength/.test(error.message)) {
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

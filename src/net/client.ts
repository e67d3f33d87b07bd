// The HTTP edge: axios with keep-alive, a per-request timeout, a body-size
// cap, and errors turned into one clear sentence naming the URL.
import axios, { AxiosError } from 'axios';
import http from 'node:http';
import https from 'node:https';

export interface FetchResult {
  url: string;
  status: number;
  body: Buffer;
  contentType: string | undefined;
}

export interface HttpClient {
  get(url: string, signal?: AbortSignal): Promise<FetchResult>;
}

export interface HttpClientOptions {
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
}

/** A request that did not give a usable page, with a message a person can act on. */
export class FetchError extends Error {
  constructor(
    readonly url: string,
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const client = axios.create({
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
  return {
    async get(url, signal) {
      let response;
      try {
        response = await client.get<ArrayBuffer>(url, { signal });
      } catch (error) {
        throw toFetchError(url, error, options);
      }
      if (response.status < 200 || response.status >= 300) {
        throw new FetchError(url, `${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, response.status);
      }
      const type = response.headers['content-type'];
      return {
        url,
        status: response.status,
        body: Buffer.from(response.data),
        contentType: typeof type === 'string' ? type : undefined,
      };
    },
  };
}

function toFetchError(url: string, error: unknown, options: HttpClientOptions): FetchError {
  if (!(error instanceof AxiosError)) return new FetchError(url, `${url}: ${String(error)}`);
  const host = safeHost(url);
  const code = error.code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new FetchError(url, `cannot reach ${host}: ${code} (no such host)`, undefined, code);
    case 'ECONNREFUSED':
      return new FetchError(url, `cannot reach ${host}: ECONNREFUSED (nothing listens there)`, undefined, code);
    case 'ECONNRESET':
    case 'EPIPE':
      return new FetchError(url, `${url}: connection reset by ${host} (${code})`, undefined, code);
    case 'ECONNABORTED':
    case 'ETIMEDOUT':
      return new FetchError(url, `${url}: no answer within ${options.timeoutMs / 1000} s (${code})`, undefined, code);
    case 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED':
    case 'ERR_BAD_RESPONSE':
      if (/maxContentLength/.test(error.message)) {
        return new FetchError(url, `${url}: response larger than ${options.maxBytes} bytes, refused`, undefined, code);
      }
      return new FetchError(url, `${url}: ${error.message}`, undefined, code);
    case 'ERR_CANCELED':
      return new FetchError(url, `${url}: request cancelled`, undefined, code);
    default:
      return new FetchError(url, `${url}: ${error.message}${code ? ` (${code})` : ''}`, undefined, code);
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

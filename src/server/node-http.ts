// The node:http adapter: IncomingMessage -> Request, the handler's Response
// -> the socket. No request can end the process: a malformed request line is
// a 400, a handler that throws is a 500, and the server keeps serving.
import http from 'node:http';
import type { Socket } from 'node:net';
import { parseTarget, refusalText } from './request-target.js';
import { textResponse } from './responses.js';
import type { Handler } from './site-handler.js';

// Methods node:http parses but the Fetch API cannot carry in a Request.
const FETCH_FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * Serves `handler` on host:port (port 0: any free port); resolves once
 * listening, rejects with the listen error (EADDRINUSE, EADDRNOTAVAIL, ...).
 */
export function listenHttp(handler: Handler, port: number, host: string, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    void answer(handler, req, res, log);
  });
  // A slow client cannot hold a connection open for long.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => refuseMalformed(error, socket));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      // After listening, a failed accept (e.g. out of file descriptors) is logged, never thrown.
      server.on('error', (error) => log(`orar-cal serve: ${error.message}`));
      resolve(server);
    });
  });
}

async function answer(handler: Handler, req: http.IncomingMessage, res: http.ServerResponse, log: (line: string) => void): Promise<void> {
  let response: Response;
  try {
    response = await respond(handler, req);
  } catch (error) {
    log(`orar-cal serve: ${req.method} ${JSON.stringify(req.url)}: ${error instanceof Error ? error.message : String(error)}`);
    response = textResponse(500, 'internal server error');
  }
  try {
    const body = response.body ? new Uint8Array(await response.arrayBuffer()) : undefined;
    const headers = Object.fromEntries(response.headers);
    // A streamed body (gzip) has no length until it is read whole, as here.
    if (body && !('content-length' in headers)) headers['content-length'] = String(body.byteLength);
    res.writeHead(response.status, headers);
    res.end(body);
  } catch (error) {
    log(`orar-cal serve: ${req.method} ${JSON.stringify(req.url)}: could not send the answer: ${error instanceof Error ? error.message : String(error)}`);
    res.destroy();
  }
}

async function respond(handler: Handler, req: http.IncomingMessage): Promise<Response> {
  // The raw target, before the URL parser resolves "/a/%2e%2e/b" to "/b".
  const verdict = parseTarget(req.url ?? '');
  if (!verdict.ok) return textResponse(verdict.status, refusalText(verdict));
  const method = req.method ?? 'GET';
  if (FETCH_FORBIDDEN_METHODS.has(method)) return textResponse(501, 'not implemented');
  let url: URL;
  try {
    url = new URL(verdict.path.pathname + verdict.path.search, `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    return textResponse(400, 'bad request: the Host header is not a host name');
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  // Only GET and HEAD are answered, so a body is never read: node discards it.
  return handler(new Request(url, { method, headers }));
}

/** A request node:http could not parse: 400 (431/408 where they apply), and the connection closes. */
function refuseMalformed(error: NodeJS.ErrnoException, socket: Socket): void {
  // As node's own default: answer only on a connection that has sent nothing
  // yet, never into the middle of an earlier response on the same connection.
  if (error.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: 0\r\n\r\n`);
}

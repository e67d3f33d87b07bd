// A TCP front for the page server that notes when the first request's bytes
// arrive and what it asked for, then passes every byte through unchanged.
// The page server only looks a page up after its latency, so it cannot tell
// when a request came in; the front can, on the benchmark's own clock
// (performance.now(), the same clock that timed the spawn).
import net from 'node:net';

export interface FirstRequest {
  /** performance.now() when its first bytes arrived. */
  at: number;
  /** Its request line, e.g. "GET /files/orar/2025-2/tabelar/index.html HTTP/1.1". */
  line: string;
}

export interface FirstRequestFront {
  /** `http://127.0.0.1:PORT`: use it instead of the page server's origin. */
  origin: string;
  first(): FirstRequest | undefined;
  close(): Promise<void>;
}

/** The request line: the bytes before the first CRLF. */
export function requestLine(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  const end = text.indexOf('\r\n');
  return end < 0 ? text : text.slice(0, end);
}

/** The path a request line asks for, without its query. */
export function requestPath(line: string): string {
  return (line.split(' ')[1] ?? '').split('?')[0]!;
}

export async function startFirstRequestFront(targetPort: number): Promise<FirstRequestFront> {
  let first: FirstRequest | undefined;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    // Small writes go out at once both ways, as they would without the front.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    track(client);
    track(upstream);
    client.once('data', (chunk: Buffer) => {
      first ??= { at: performance.now(), line: requestLine(chunk) };
    });
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    first: () => first,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// orar-cal serve: the generated site over HTTP, for a preview or a LAN. The
// site handler (src/server/) answers; this file reads the flags, checks the
// folder, listens and stops on Ctrl+C / SIGTERM.
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { EXIT } from '../report.js';
import { UsageError, parseFlags } from './flags.js';
import { listenHttp } from '../server/node-http.js';
import { customRoute } from '../server/custom-route.js';
import { siteFiles } from '../server/node-files.js';
import { nodeSiteReader } from '../server/node-site-reader.js';
import { siteHandler } from '../server/site-handler.js';
import { staticFiles } from '../server/static-files.js';

const SERVE_USAGE = `Usage: orar-cal serve [options]

Serves a generated site folder over HTTP: GET and HEAD only, nothing outside
the folder (symlinks included), ETag/Last-Modified with 304s, .ics as
text/calendar, and custom feeds at /custom/{token}.ics (see orar-cal calendar).

Options:
  --dir DIR      the site folder, with its index.html (default: site)
  --port N       port, 0-65535; 0 picks a free one (default: 8080)
  --host ADDR    address to listen on (default: 127.0.0.1, this machine only;
                 0.0.0.0 or :: for the LAN)
  --help         show this help

Exit codes: 0 stopped by Ctrl+C or SIGTERM; 2 bad usage (a flag, the folder,
or an address that cannot be listened on).`;

interface ServeOptions {
  dir: string;
  port: number;
  host: string;
}

/** The site in `root` served on host:port (port 0: a free one); resolves once listening. */
export function startSiteServer(root: string, port: number, host = '127.0.0.1'): Promise<Server> {
  return listenHttp(siteHandler([customRoute(nodeSiteReader(root)), staticFiles(siteFiles(root))]), port, host);
}

export async function main(argv: string[]): Promise<number> {
  let options: ServeOptions | 'help';
  try {
    options = parseServeArgs(argv);
    if (options !== 'help') checkSiteFolder(options.dir);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`orar-cal serve: ${error.message}; see orar-cal serve --help\n`);
    return EXIT.usage;
  }
  if (options === 'help') {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return EXIT.ok;
  }

  // Listening for the signals before the port opens, so a Ctrl+C during startup is not lost.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  let server: Server;
  try {
    server = await startSiteServer(options.dir, options.port, options.host);
  } catch (error) {
    process.stderr.write(`orar-cal serve: ${listenFailure(error as NodeJS.ErrnoException, options)}\n`);
    return EXIT.usage;
  }
  const { port } = server.address() as { port: number };
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  process.stdout.write(`serving ${path.resolve(options.dir)} at http://${shownHost}:${port}/ (Ctrl+C to stop)\n`);
  await stopRequested;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Open keep-alive connections would hold close() for seconds; the answers in flight are small.
    server.closeAllConnections();
  });
  return EXIT.ok;
}

function parseServeArgs(argv: string[]): ServeOptions | 'help' {
  const values = parseFlags(argv, {
    dir: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const portText = values.port ?? '8080';
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65535) throw new UsageError(`--port "${portText}": expected a whole number from 0 to 65535 (0 picks a free port)`);
  const host = values.host ?? '127.0.0.1';
  if (!host.trim()) throw new UsageError('--host: expected an address, e.g. 127.0.0.1 or 0.0.0.0');
  return { dir: values.dir ?? 'site', port, host };
}

function checkSiteFolder(dir: string): void {
  const hint = 'run "npm run demo" (or "npm run generate") first, or point --dir at a generated site';
  let info: fs.Stats;
  try {
    info = fs.statSync(dir);
  } catch {
    throw new UsageError(`--dir "${dir}": no such folder; ${hint}`);
  }
  if (!info.isDirectory()) throw new UsageError(`--dir "${dir}": is not a folder; ${hint}`);
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new UsageError(`--dir "${dir}": has no index.html, so it is not a generated site; ${hint}`);
}

function listenFailure(error: NodeJS.ErrnoException, options: ServeOptions): string {
  const where = `${options.host}:${options.port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `${where} is already in use; stop the other server or pick another --port (0 picks a free one)`;
    case 'EACCES':
      return `not allowed to listen on ${where} (ports below 1024 need privileges); pick another --port`;
    case 'EADDRNOTAVAIL':
      return `--host "${options.host}": not an address of this machine; try 127.0.0.1, or 0.0.0.0 for every interface`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `--host "${options.host}": cannot be resolved to an address; give an IP address such as 127.0.0.1`;
    default:
      return `cannot listen on ${where}: ${error.message}`;
  }
}

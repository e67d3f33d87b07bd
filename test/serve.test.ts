// orar-cal serve: the site handler on Request objects (fast), the real
// server on 127.0.0.1 (hostile requests over the wire, raw sockets), and the
// built CLI as a child process.
import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startSiteServer } from '../src/commands/serve.js';
import { listenHttp } from '../src/server/node-http.js';
import { siteFiles } from '../src/server/node-files.js';
import { MAX_TARGET_LENGTH, parseTarget } from '../src/server/request-target.js';
import { siteHandler, type Handler } from '../src/server/site-handler.js';
import { staticFiles } from '../src/server/static-files.js';
import { MAIN, runCli, runInProcess } from './cli-run.js';

const SECRET = 'secret outside the site';

/** A small site next to files it must never serve: `parent/site/...` and `parent/outside*`. */
function makeSite(): { parent: string; root: string } {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-serve-'));
  const root = path.join(parent, 'site');
  const files: Record<string, string> = {
    'index.html': '<!doctype html><title>site</title>',
    'a.ics': 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
    'feed.atom': '<feed/>',
    'data.json': '{}',
    'app.js': 'export {};',
    'style.css': 'body{}',
    'notes.md': '# notes',
    'blob.bin': 'x',
    'with space.json': '[]',
    'sub/index.html': '<a href="page.html">relative</a>',
    'sub/page.html': 'page',
    'empty/.keep': '',
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  fs.writeFileSync(path.join(parent, 'outside.txt'), SECRET);
  fs.mkdirSync(path.join(parent, 'outside-dir'));
  fs.writeFileSync(path.join(parent, 'outside-dir', 'index.html'), SECRET);
  fs.symlinkSync(path.join(parent, 'outside.txt'), path.join(root, 'link-out.txt'));
  fs.symlinkSync('../outside-dir', path.join(root, 'dir-out'));
  fs.symlinkSync('a.ics', path.join(root, 'link-in.ics'));
  return { parent, root };
}

/** What the handler answers for a GET (or `init`) of this path on the site. */
/** Each target gets `status`, and no answer shows what lies outside the site. */
async function expectRefused(handler: Handler, targets: readonly string[], status: number): Promise<void> {
  for (const target of targets) {
    const response = await ask(handler, target);
    expect(response.status, target).to.equal(status);
    expect(await response.text(), target).to.not.contain(SECRET);
  }
}

function ask(handler: Handler, target: string, init: RequestInit = {}): Promise<Response> {
  return handler(new Request(`http://site.test${target}`, init));
}

describe('serve: request targets (pure)', () => {
  it('decodes a good path into segments, keeps the query apart, knows a folder', () => {
    const verdict = parseTarget('/Baze%20de%20date/Year%201/?x=1');
    expect(verdict).to.deep.equal({ ok: true, path: { segments: ['Baze de date', 'Year 1'], folder: true, pathname: '/Baze%20de%20date/Year%201/', search: '?x=1' } });
    expect(parseTarget('/')).to.deep.include({ ok: true });
    expect(parseTarget('http://host:8080/a.ics')).to.deep.equal({ ok: true, path: { segments: ['a.ics'], folder: false, pathname: '/a.ics', search: '' } });
  });

  it('refuses every malformed path with 400, never repairing it', () => {
    const hostile = [
      '/index.html%00.ics', '/a\u0000b', '/a%01b', '/a%1Fb', '/a%7fb', '/a%C2%85b', '/a\tb', '/a b', '/a\u00e9',
      '/%E0%A4%A', '/%zz', '/a%', '/%E0%A4', '/%C0%AE%C0%AE/x',
      '/a\\b', '/a%5cb', '/a%5Cb',
      '/..', '/../outside.txt', '/sub/../../outside.txt', '/%2e%2e/outside.txt', '/%2E%2e/outside.txt', '/.%2e/x', '/%2e/x', '/./x',
      '/..%2foutside.txt', '/sub/..%2F..%2Foutside.txt', '/a%2fb', '//etc/passwd', '/a//b', '/a#b', 'a.ics', '*', '',
    ];
    for (const target of hostile) {
      const verdict = parseTarget(target);
      expect(verdict.ok, JSON.stringify(target)).to.equal(false);
      expect(verdict, JSON.stringify(target)).to.deep.include({ status: 400 });
    }
  });

  it(`refuses a target longer than ${MAX_TARGET_LENGTH} characters with 414`, () => {
    expect(parseTarget(`/${'a'.repeat(MAX_TARGET_LENGTH)}`)).to.deep.include({ ok: false, status: 414 });
    expect(parseTarget(`/${'a'.repeat(MAX_TARGET_LENGTH - 1)}`)).to.deep.include({ ok: true });
  });

  it('gives a custom feed\'s address its own limit in the absolute form too ("GET http://host/custom/...")', () => {
    const token = 'a'.repeat(3000);
    expect(parseTarget(`/custom/${token}.ics`)).to.deep.include({ ok: true });
    expect(parseTarget(`http://h.test/custom/${token}.ics`)).to.deep.include({ ok: true });
    expect(parseTarget(`http://h.test/custom/${'a'.repeat(5000)}.ics`)).to.deep.include({ ok: false, status: 414 });
  });
});

describe('serve: the site handler (Request -> Response)', () => {
  let parent: string;
  let handler: Handler;

  beforeEach(() => {
    const site = makeSite();
    parent = site.parent;
    handler = siteHandler([staticFiles(siteFiles(site.root))]);
  });
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

  it('serves a file with its type, length, validators, no-cache and nosniff', async () => {
    const response = await ask(handler, '/a.ics');
    expect(response.status).to.equal(200);
    expect(await response.text()).to.equal('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    expect(response.headers.get('content-type')).to.equal('text/calendar; charset=utf-8');
    expect(response.headers.get('content-length')).to.equal('32');
    expect(response.headers.get('etag')).to.match(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect(response.headers.get('last-modified')).to.equal(fs.statSync(path.join(parent, 'site', 'a.ics')).mtime.toUTCString());
    expect(response.headers.get('cache-control')).to.equal('no-cache');
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
  });

  it('gives each kind of file the site holds its content type', async () => {
    const types: Record<string, string> = {
      '/': 'text/html; charset=utf-8',
      '/index.html': 'text/html; charset=utf-8',
      '/a.ics': 'text/calendar; charset=utf-8',
      '/feed.atom': 'application/atom+xml; charset=utf-8',
      '/data.json': 'application/json; charset=utf-8',
      '/app.js': 'text/javascript; charset=utf-8',
      '/style.css': 'text/css; charset=utf-8',
      '/notes.md': 'text/markdown; charset=utf-8',
      '/blob.bin': 'application/octet-stream',
    };
    for (const [target, type] of Object.entries(types)) {
      const response = await ask(handler, target);
      expect(response.status, target).to.equal(200);
      expect(response.headers.get('content-type'), target).to.equal(type);
    }
  });

  it('decodes names (spaces) and ignores the query string', async () => {
    expect((await ask(handler, '/with%20space.json')).status).to.equal(200);
    const response = await ask(handler, '/a.ics?download=1&x=%00');
    expect(response.status).to.equal(200);
    expect(await response.text()).to.contain('BEGIN:VCALENDAR');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const get = await ask(handler, '/a.ics');
    const head = await ask(handler, '/a.ics', { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(head.body).to.equal(null);
    for (const name of ['content-type', 'content-length', 'etag', 'last-modified', 'cache-control', 'x-content-type-options']) {
      expect(head.headers.get(name), name).to.equal(get.headers.get(name));
    }
    const missing = await ask(handler, '/nope', { method: 'HEAD' });
    expect(missing.status).to.equal(404);
    expect(missing.body).to.equal(null);
  });

  it('answers every other method 405 with Allow: GET, HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const response = await ask(handler, '/a.ics', { method });
      expect(response.status, method).to.equal(405);
      expect(response.headers.get('allow'), method).to.equal('GET, HEAD');
    }
  });

  it('answers malformed paths 400, whatever the URL parser leaves of them', async () => {
    await expectRefused(handler, ['/index.html%00.ics', '/a%01b', '/%E0%A4%A', '/%zz', '/%E0%A4', '/a%5cb', '/..%2foutside.txt', '/sub/..%2F..%2Foutside.txt', '/a//b'], 400);
  });

  it('serves a symlink to a file inside the site, and 404s a symlink that leads outside', async () => {
    const inside = await ask(handler, '/link-in.ics');
    expect(inside.status).to.equal(200);
    expect(await inside.text()).to.contain('BEGIN:VCALENDAR');
    await expectRefused(handler, ['/link-out.txt', '/dir-out/', '/dir-out/index.html', '/dir-out'], 404);
  });

  it('serves a folder by its index.html, redirects the slashless form, 404s a folder without one', async () => {
    const folder = await ask(handler, '/sub/');
    expect(folder.status).to.equal(200);
    expect(await folder.text()).to.contain('relative');
    const redirect = await ask(handler, '/sub?x=1', { redirect: 'manual' });
    expect(redirect.status).to.equal(301);
    expect(redirect.headers.get('location')).to.equal('/sub/?x=1');
    expect((await ask(handler, '/empty/')).status).to.equal(404);
    expect((await ask(handler, '/empty')).status).to.equal(404);
    expect((await ask(handler, '/a.ics/')).status).to.equal(404);
    expect((await ask(handler, '/nope/')).status).to.equal(404);
  });

  it('answers 404 for what is not a regular file (a FIFO would never finish reading)', async () => {
    execFileSync('mkfifo', [path.join(parent, 'site', 'pipe.ics')]);
    expect((await ask(handler, '/pipe.ics')).status).to.equal(404);
  });

  it('answers 304 to If-None-Match (*, lists, weak tags) and If-None-Match wins over If-Modified-Since', async () => {
    const first = await ask(handler, '/a.ics');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    const strong = etag.replace(/^W\//, '');
    for (const ifNoneMatch of [etag, strong, '*', `"other", ${etag}`, `W/"x",${strong}`]) {
      const response = await ask(handler, '/a.ics', { headers: { 'if-none-match': ifNoneMatch } });
      expect(response.status, ifNoneMatch).to.equal(304);
      expect(response.body, ifNoneMatch).to.equal(null);
      expect(response.headers.get('etag')).to.equal(etag);
      expect(response.headers.get('cache-control')).to.equal('no-cache');
    }
    const head = await ask(handler, '/a.ics', { method: 'HEAD', headers: { 'if-none-match': etag } });
    expect(head.status).to.equal(304);
    const other = await ask(handler, '/a.ics', { headers: { 'if-none-match': '"other"', 'if-modified-since': lastModified } });
    expect(other.status).to.equal(200);
  });

  it('answers 304 to If-Modified-Since at or after the file time, 200 before it, in the future, or when the date is not a date', async () => {
    // Written an hour ago, so "a minute after it" is still in the past.
    const hourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(path.join(parent, 'site', 'a.ics'), hourAgo, hourAgo);
    const lastModified = (await ask(handler, '/a.ics')).headers.get('last-modified')!;
    expect((await ask(handler, '/a.ics', { headers: { 'if-modified-since': lastModified } })).status).to.equal(304);
    const later = new Date(Date.parse(lastModified) + 60_000).toUTCString();
    expect((await ask(handler, '/a.ics', { headers: { 'if-modified-since': later } })).status).to.equal(304);
    const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    expect((await ask(handler, '/a.ics', { headers: { 'if-modified-since': earlier } })).status).to.equal(200);
    expect((await ask(handler, '/a.ics', { headers: { 'if-modified-since': 'yesterday' } })).status).to.equal(200);
    // A date the client cannot have seen the file at is no date (RFC 9110 13.1.3).
    expect((await ask(handler, '/a.ics', { headers: { 'if-modified-since': 'Fri, 01 Jan 2100 00:00:00 GMT' } })).status).to.equal(200);
  });

  it('sends text gzipped to a client that takes it (Vary: Accept-Encoding, same ETag, 304 alike); images and small files as they are', async () => {
    const text = 'BEGIN:VCALENDAR\r\n' + 'X-FILLER:orar-cal\r\n'.repeat(200) + 'END:VCALENDAR\r\n';
    fs.writeFileSync(path.join(parent, 'site', 'big.ics'), text);
    const plain = await ask(handler, '/big.ics');
    expect(plain.headers.get('content-encoding')).to.equal(null);
    expect(plain.headers.get('vary')).to.equal('accept-encoding');
    const zipped = await ask(handler, '/big.ics', { headers: { 'accept-encoding': 'br;q=1, gzip;q=0.8' } });
    expect(zipped.headers.get('content-encoding')).to.equal('gzip');
    expect(zipped.headers.get('etag')).to.equal(plain.headers.get('etag'));
    const bytes = Buffer.from(await zipped.arrayBuffer());
    expect(bytes.length).to.be.lessThan(text.length / 4);
    expect(zlib.gunzipSync(bytes).toString('utf8')).to.equal(text);
    const head = await ask(handler, '/big.ics', { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });
    expect(head.headers.get('content-encoding')).to.equal('gzip');
    expect((await ask(handler, '/big.ics', { headers: { 'accept-encoding': 'gzip;q=0, deflate' } })).headers.get('content-encoding')).to.equal(null);
    expect((await ask(handler, '/big.ics', { headers: { 'accept-encoding': '*' } })).headers.get('content-encoding')).to.equal('gzip');
    const again = await ask(handler, '/big.ics', { headers: { 'accept-encoding': 'gzip', 'if-none-match': plain.headers.get('etag')! } });
    expect(again.status).to.equal(304);
    // Under 1 KB, and a PNG: never compressed.
    expect((await ask(handler, '/a.ics', { headers: { 'accept-encoding': 'gzip' } })).headers.get('content-encoding')).to.equal(null);
    fs.writeFileSync(path.join(parent, 'site', 'icon.png'), Buffer.alloc(4096));
    const png = await ask(handler, '/icon.png', { headers: { 'accept-encoding': 'gzip' } });
    expect(png.headers.get('content-encoding')).to.equal(null);
    expect(png.headers.get('vary')).to.equal(null);
  });

  it('gives a changed file a new ETag', async () => {
    const before = (await ask(handler, '/a.ics')).headers.get('etag');
    fs.writeFileSync(path.join(parent, 'site', 'a.ics'), 'BEGIN:VCALENDAR\r\nX:1\r\nEND:VCALENDAR\r\n');
    const after = await ask(handler, '/a.ics', { headers: { 'if-none-match': before! } });
    expect(after.status).to.equal(200);
    expect(after.headers.get('etag')).to.not.equal(before);
  });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request over a fresh connection, the path sent exactly as given. */
function request(port: number, target: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: target, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Bytes written straight to the socket; resolves with all the server sent until it closed. */
function rawExchange(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

describe('serve: the server on 127.0.0.1', () => {
  let parent: string;
  let root: string;
  let server: http.Server;
  let port: number;

  beforeEach(async () => {
    ({ parent, root } = makeSite());
    server = await startSiteServer(root, 0);
    port = (server.address() as net.AddressInfo).port;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it('answers a NUL in the path with 400 and keeps serving', async () => {
    expect((await request(port, '/index.html%00.ics')).status).to.equal(400);
    expect((await request(port, '/sub/%00')).status).to.equal(400);
    expect((await request(port, '/')).status).to.equal(200);
  });

  it('survives request lines node:http cannot parse (raw NUL, garbage, a bad header), answering 400', async () => {
    const malformed = [
      'GET /a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /a\u0001b HTTP/1.1\r\nHost: x\r\n\r\n',
      '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003garbage\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      'BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n',
    ];
    for (const bytes of malformed) {
      const answer = await rawExchange(port, Buffer.from(bytes, 'latin1'));
      expect(answer, JSON.stringify(bytes)).to.match(/^HTTP\/1\.1 400 /);
    }
    expect((await request(port, '/')).status).to.equal(200);
  });

  it('answers traversal in every encoding with 400, never a file outside', async () => {
    const attempts = [
      '/../outside.txt', '/sub/../../outside.txt', '/%2e%2e/outside.txt', '/%2E%2E/outside.txt', '/.%2e/outside.txt',
      '/..%2foutside.txt', '/sub/..%2F..%2Foutside.txt', '/..%5coutside.txt', '/..\\outside.txt', 'http://x/../outside.txt',
    ];
    for (const target of attempts) {
      // Raw, so no client library tidies the target (nock's interceptor rejects some of them).
      const answer = await rawExchange(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(answer, target).to.match(/^HTTP\/1\.1 400 /);
      expect(answer, target).to.not.contain(SECRET);
    }
    const long = await request(port, `/${'a'.repeat(4000)}`);
    expect(long.status).to.equal(414);
    expect(long.body).to.equal(`address too long: the address is longer than ${MAX_TARGET_LENGTH} characters\n`);
  });

  it('serves a symlink to a file inside the site and 404s one that leads outside', async () => {
    const inside = await request(port, '/link-in.ics');
    expect(inside.status).to.equal(200);
    expect(inside.body).to.contain('BEGIN:VCALENDAR');
    for (const target of ['/link-out.txt', '/dir-out/', '/dir-out/index.html']) {
      const reply = await request(port, target);
      expect(reply.status, target).to.equal(404);
      expect(reply.body, target).to.not.contain(SECRET);
    }
  });

  it('answers POST, PUT and DELETE 405 with Allow: GET, HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const reply = await request(port, '/a.ics', { method });
      expect(reply.status, method).to.equal(405);
      expect(reply.headers.allow, method).to.equal('GET, HEAD');
    }
    expect((await request(port, '/a.ics', { method: 'TRACE' })).status).to.equal(501);
  });

  it('answers HEAD with Content-Length and the validators, and no body', async () => {
    const reply = await request(port, '/a.ics', { method: 'HEAD' });
    expect(reply.status).to.equal(200);
    expect(reply.headers['content-length']).to.equal('32');
    expect(reply.headers['content-type']).to.equal('text/calendar; charset=utf-8');
    expect(reply.headers.etag).to.match(/^W\/"/);
    expect(reply.headers['last-modified']).to.be.a('string');
    expect(reply.body).to.equal('');
  });

  it('round-trips ETag and Last-Modified to 304', async () => {
    const first = await request(port, '/a.ics');
    expect(first.status).to.equal(200);
    const etag = first.headers.etag!;
    const lastModified = first.headers['last-modified']!;
    const byTag = await request(port, '/a.ics', { headers: { 'if-none-match': etag } });
    expect(byTag.status).to.equal(304);
    expect(byTag.headers.etag).to.equal(etag);
    expect(byTag.body).to.equal('');
    expect((await request(port, '/a.ics', { headers: { 'if-modified-since': lastModified } })).status).to.equal(304);
  });

  it('serves content types, no-cache and nosniff over the wire', async () => {
    const types: Record<string, string> = {
      '/': 'text/html; charset=utf-8',
      '/a.ics': 'text/calendar; charset=utf-8',
      '/feed.atom': 'application/atom+xml; charset=utf-8',
      '/data.json': 'application/json; charset=utf-8',
      '/app.js': 'text/javascript; charset=utf-8',
      '/style.css': 'text/css; charset=utf-8',
    };
    for (const [target, type] of Object.entries(types)) {
      const reply = await request(port, target);
      expect(reply.headers['content-type'], target).to.equal(type);
      expect(reply.headers['cache-control'], target).to.equal('no-cache');
      expect(reply.headers['x-content-type-options'], target).to.equal('nosniff');
    }
  });
});

describe('serve: the node:http adapter', () => {
  it('answers 500 when the handler throws, and keeps serving', async () => {
    const lines: string[] = [];
    const handler: Handler = async (req) => {
      if (new URL(req.url).pathname === '/boom') throw new Error('broken route');
      return new Response('fine');
    };
    const server = await listenHttp(handler, 0, '127.0.0.1', (line) => lines.push(line));
    const { port } = server.address() as net.AddressInfo;
    try {
      expect((await request(port, '/boom')).status).to.equal(500);
      expect(lines.join('\n')).to.contain('broken route');
      const after = await request(port, '/');
      expect(after.status).to.equal(200);
      expect(after.body).to.equal('fine');
    } finally {
      server.close();
    }
  });
});

function hasStackTrace(text: string): boolean {
  return /^\s+at /m.test(text);
}

/** `orar-cal serve ...` running in the background, once it has said where it listens. */
function startServeCli(args: string[]): Promise<{ child: ReturnType<typeof spawn>; stdout: string; url: string; exited: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const url = /at (http:\/\/\S+\/)/.exec(stdout)?.[1];
      if (url) resolve({ child, stdout, url, exited });
    });
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`orar-cal serve exited ${code} before listening: ${stderr}`)));
  });
}

describe('orar-cal serve (the built CLI)', () => {
  let parent: string;
  let root: string;

  beforeEach(() => ({ parent, root } = makeSite()));
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

  it('--help prints the usage and exits 0', async () => {
    const result = await runInProcess(['serve', '--help']);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.contain('Usage: orar-cal serve');
    expect(result.stdout).to.contain('--host');
  });

  it('refuses a bad --port with one line and exit 2', async () => {
    for (const port of ['abc', '70000', '65536', '-1', '8080x', '']) {
      const result = await runInProcess(['serve', '--dir', root, `--port=${port}`]);
      expect(result.code, port).to.equal(2);
      expect(result.stderr, port).to.contain(`--port "${port}": expected a whole number from 0 to 65535`);
      expect(hasStackTrace(result.stderr), result.stderr).to.equal(false);
    }
  });

  it('refuses unknown flags and stray words with exit 2', async () => {
    for (const args of [['--bogus'], ['extra'], ['--dir']]) {
      const result = await runInProcess(['serve', ...args]);
      expect(result.code, args.join(' ')).to.equal(2);
      expect(result.stderr, args.join(' ')).to.match(/^orar-cal serve: .*see orar-cal serve --help\n$/);
      expect(hasStackTrace(result.stderr), result.stderr).to.equal(false);
    }
  });

  it('refuses a --dir that is missing, a file, or has no index.html, naming it', async () => {
    const cases: Array<[string, string]> = [
      [path.join(parent, 'nope'), 'no such folder'],
      [path.join(root, 'a.ics'), 'is not a folder'],
      [path.join(root, 'empty'), 'has no index.html'],
    ];
    for (const [dir, reason] of cases) {
      const result = await runInProcess(['serve', '--dir', dir, '--port', '0']);
      expect(result.code, dir).to.equal(2);
      expect(result.stderr, dir).to.contain(`--dir "${dir}": ${reason}`);
      expect(hasStackTrace(result.stderr), result.stderr).to.equal(false);
    }
  });

  it('says a port in use is in use, exit 2', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const result = await runCli(['serve', '--dir', root, '--port', String(port), '--host', '127.0.0.1']);
      expect(result.code).to.equal(2);
      expect(result.stderr).to.contain(`127.0.0.1:${port} is already in use`);
      expect(hasStackTrace(result.stderr), result.stderr).to.equal(false);
    } finally {
      taken.close();
    }
  });

  it('says a --host that is not this machine cannot be listened on, exit 2', async () => {
    // 192.0.2.1 is TEST-NET-1: never a local address, and nothing is sent to it.
    const result = await runCli(['serve', '--dir', root, '--port', '0', '--host', '192.0.2.1']);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain('--host "192.0.2.1": not an address of this machine');
    expect(hasStackTrace(result.stderr), result.stderr).to.equal(false);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`says where it listens, survives a NUL path, and exits 0 on ${signal}`, async () => {
      const running = await startServeCli(['--dir', root, '--port', '0', '--host', '127.0.0.1']);
      expect(running.stdout).to.match(new RegExp(`^serving ${path.resolve(root).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at http://127\\.0\\.0\\.1:\\d+/`));
      const port = Number(new URL(running.url).port);
      expect((await request(port, '/index.html%00.ics')).status).to.equal(400);
      expect((await request(port, '/')).status).to.equal(200);
      running.child.kill(signal);
      expect(await running.exited).to.equal(0);
    });
  }
});

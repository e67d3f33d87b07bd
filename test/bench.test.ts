// The benchmark's own parts: which rows --only picks, how the mirror's pages
// are served, and the front that notes the first request.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { BenchUsageError, parseCases, parseCount } from '../src/bench/cases.js';
import { benchSelection } from '../src/bench/custom-feed.js';
import { requestLine, requestPath, startFirstRequestFront } from '../src/bench/first-request.js';
import { indexLinks, mirrorContentType, mirrorSite } from '../src/bench/mirror.js';
import { fixtureSpecs, publishSite, writeSite } from './custom-site.js';

describe('bench: --only and counts', () => {
  it('runs every case without --only, and just the named ones with it', () => {
    expect([...parseCases(undefined)]).to.deep.equal(['realistic', 'zero-latency', 'scales', 'startup', 'mirror', 'custom-feed']);
    expect([...parseCases('startup, mirror')]).to.deep.equal(['startup', 'mirror']);
  });

  it('names an unknown case and lists the known ones', () => {
    expect(() => parseCases('startup,mirrors')).to.throw(BenchUsageError, /no case mirrors; the cases are realistic, zero-latency/);
    expect(() => parseCases(',')).to.throw(BenchUsageError, /no case named/);
  });

  it('takes whole counts of at least 1 and names the option otherwise', () => {
    expect(parseCount('--reps', '5')).to.equal(5);
    expect(() => parseCount('--reps', '0')).to.throw(BenchUsageError, /^--reps 0: expected a whole number/);
    expect(() => parseCount('--scales', 'x')).to.throw(BenchUsageError, /^--scales x:/);
  });
});

describe('bench: the custom-feed row', () => {
  it('measures the issue\'s selection: 2 sources, 1 skipped type, 2 skipped subjects, 1 lab override', () => {
    const root = writeSite(publishSite(fixtureSpecs(), new Date('2026-09-20T10:00:00Z')));
    try {
      const selection = benchSelection(root);
      expect(selection.sources.map((s) => `${s.code}:${s.group}:${s.subgroup}`)).to.have.length(2);
      expect(selection.skipTypes).to.deep.equal(['Seminar']);
      expect(selection.skipSubjects).to.have.length(2);
      expect(Object.entries(selection.labSubgroups)).to.have.length(1);
      expect(selection.skipSubjects).to.not.include(Object.keys(selection.labSubgroups)[0]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('bench: the mirror as a site', () => {
  const base = '/files/orar/2025-2';
  const index = Buffer.from(
    '<table><tr><td><a href="M1.html" >Anul 1</a></td><td><a href=IE2.html>Anul 2</a></td>' +
      '<td><a href="M1.html">again</a></td><td><a href="../disc/x.html">subject</a></td><td><a href="index.html">home</a></td></tr></table>',
    'latin1',
  );
  const files = (): Map<string, Buffer> =>
    new Map([
      [`${base}/tabelar/index.html`, index],
      [`${base}/tabelar/M1.html`, Buffer.from([0x50, 0xc2, 0x52])], // "PÂR" in ISO-8859-2
      [`${base}/tabelar/IE2.html`, Buffer.from('ie2')],
      [`${base}/sali/legenda.html`, Buffer.from('legend')],
      ['/ro/studenti/invatamant/structura_anului_universitar', Buffer.from('anul universitar', 'utf8')],
    ]);

  it('finds the pages an index links to, in order, each once', () => {
    expect(indexLinks(index.toString('latin1'))).to.deep.equal(['M1.html', 'IE2.html']);
  });

  it('serves timetable pages as plain text/html and the academic page as UTF-8', () => {
    expect(mirrorContentType(`${base}/tabelar/M1.html`)).to.equal('text/html');
    expect(mirrorContentType('/ro/studenti/invatamant/structura_anului_universitar')).to.equal('text/html; charset=utf-8');
  });

  it('serves each file under its URL path, bytes unchanged, and lists the pages in index order', () => {
    const site = mirrorSite(files());
    expect(site.pagePaths).to.deep.equal([`${base}/tabelar/M1.html`, `${base}/tabelar/IE2.html`]);
    expect(site.scheduleRootPath).to.equal('/files/orar');
    expect(site.page(site.legendPath)?.body.toString()).to.equal('legend');
    expect(site.page(site.calendarPath)?.contentType).to.equal('text/html; charset=utf-8');
    expect(site.page(`${base}/tabelar/M1.html`)).to.deep.equal({ body: Buffer.from([0x50, 0xc2, 0x52]), contentType: 'text/html' });
    expect(site.page(`${base}/tabelar/X9.html`)).to.equal(undefined);
  });

  it('refuses an index that links to a page the mirror does not hold', () => {
    const incomplete = files();
    incomplete.delete(`${base}/tabelar/IE2.html`);
    expect(() => mirrorSite(incomplete)).to.throw(/links to pages it does not hold: \/files\/orar\/2025-2\/tabelar\/IE2\.html/);
  });
});

describe('bench: the first-request front', () => {
  it('reads the request line and its path', () => {
    const line = requestLine(Buffer.from('GET /files/orar/2025-2/tabelar/index.html?x=1 HTTP/1.1\r\nhost: a\r\n\r\n'));
    expect(line).to.equal('GET /files/orar/2025-2/tabelar/index.html?x=1 HTTP/1.1');
    expect(requestPath(line)).to.equal('/files/orar/2025-2/tabelar/index.html');
  });

  it('passes requests and answers through and notes the first request only', async () => {
    const server = http.createServer((req, res) => res.end(`page ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const front = await startFirstRequestFront((server.address() as AddressInfo).port);
    try {
      expect(front.first()).to.equal(undefined);
      const before = performance.now();
      const first = await (await fetch(`${front.origin}/index.html`)).text();
      const second = await (await fetch(`${front.origin}/IE2.html`)).text();
      expect([first, second]).to.deep.equal(['page /index.html', 'page /IE2.html']);
      expect(front.first()!.line).to.equal('GET /index.html HTTP/1.1');
      expect(front.first()!.at).to.be.at.least(before);
    } finally {
      await front.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

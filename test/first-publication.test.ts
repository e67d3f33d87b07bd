// A first publication is not a change: no "changed on", no empty Atom feed,
// until a timetable really changes. Built program against a loopback server.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeIso88592, renderTimetablePage } from '../src/demo/pages.js';
import { startPageServer, type PageServer, type ServedPage } from '../src/demo/server.js';
import { renderAtom } from '../src/output/atom.js';
import { runInProcess } from './cli-run.js';
import { DEFAULT_SPECS, SCHEDULE_ROOT_PATH, facultyPages, facultyArgs } from './faculty.js';

const CODES = DEFAULT_SPECS.map((s) => s.code);

describe('first publication (built program, loopback server)', function () {
  this.timeout(60000);
  let pages: Map<string, ServedPage>;
  let server: PageServer;
  let parent: string;
  let out: string;
  const args = (): string[] => facultyArgs(server.origin, out, path.join(parent, 'cache'));
  const read = (rel: string): string => fs.readFileSync(path.join(out, rel), 'utf8');
  const json = (rel: string): Record<string, unknown> => JSON.parse(read(rel)) as Record<string, unknown>;
  const exists = (rel: string): boolean => fs.existsSync(path.join(out, rel));
  const day = (iso: unknown): string => String(iso).slice(0, 10);

  beforeEach(async () => {
    pages = facultyPages();
    server = await startPageServer((p) => pages.get(p));
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-first-'));
    out = path.join(parent, 'site');
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(parent, { recursive: true, force: true });
  });

  function changeRo1Room(): void {
    const spec = DEFAULT_SPECS[0]!;
    const rows = spec.groups[0]!.rows.map((r, i) => (i === 3 ? { ...r, room: 'L001' } : r));
    pages.set(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/RO1.html`, {
      body: encodeIso88592(renderTimetablePage(`Anul 1 ${spec.name}`, [{ group: '101', rows }])),
      contentType: 'text/html',
    });
  }

  it('says "first published on" and writes no feed; a later change gets its feed and "changed on", the others stay as they were', async () => {
    const first = await runInProcess(args());
    expect(first.code, first.stderr).to.equal(0);
    expect(exists('feeds')).to.equal(false);
    const firstHtml = read('index.html');
    expect(firstHtml).not.to.contain('changed on');
    expect(firstHtml).not.to.contain('.atom');
    const published = new Map<string, unknown>();
    for (const code of CODES) {
      const spec = json(`data/${code}.json`);
      expect(spec.firstPublishedAt, code).to.be.a('string');
      expect(spec, code).not.to.have.any.keys('changedAt', 'feed');
      expect(firstHtml).to.contain(`(${code})</small> <small>first published on ${day(spec.firstPublishedAt)}</small>`);
      published.set(code, spec.firstPublishedAt);
    }

    changeRo1Room();
    const second = await runInProcess(args());
    expect(second.code, second.stderr).to.equal(0);
    const ro1 = json('data/RO1.json');
    expect(ro1.firstPublishedAt).to.equal(published.get('RO1'));
    expect(ro1.changedAt).to.equal(json('data/build.json').generatedAt);
    expect(ro1.feed).to.equal('feeds/RO1.atom');
    expect(read('feeds/RO1.atom').match(/<entry>/g)).to.have.length(1);
    expect(fs.readdirSync(path.join(out, 'feeds'))).to.deep.equal(['RO1.atom']);
    const html = read('index.html');
    expect(html).to.contain(`(RO1)</small> <small>changed on ${day(ro1.changedAt)} · <a href="feeds/RO1.atom">changes (Atom)</a></small>`);
    for (const code of CODES.filter((c) => c !== 'RO1')) {
      const spec = json(`data/${code}.json`);
      expect(spec.firstPublishedAt, code).to.equal(published.get(code));
      expect(spec, code).not.to.have.any.keys('changedAt', 'feed');
      expect(html).to.contain(`(${code})</small> <small>first published on ${day(spec.firstPublishedAt)}</small>`);
    }
  });

  it('reads a site the previous version published: no feed entry means never changed; its feed file stays', async () => {
    const first = await runInProcess(args());
    expect(first.code, first.stderr).to.equal(0);
    // Rewrite the site as the previous version left it: changedAt set at the
    // first publication, a feed file (empty) for every spec; RO3 with one real change.
    const legacyChange = { at: '2031-03-02T08:00:00.000Z', changes: [{ group: '301', text: 'Thursday 12-14 Seminar de baza (seminar, 301) moved from 2/I to L001, from week 2' }] };
    const firstAt = new Map<string, string>();
    for (const code of CODES) {
      const spec = json(`data/${code}.json`);
      const state = json(`data/state/${code}.json`);
      const at = String(spec.firstPublishedAt);
      firstAt.set(code, at);
      const feed = code === 'RO3' ? [legacyChange] : [];
      const changedAt = code === 'RO3' ? legacyChange.at : at;
      delete spec.firstPublishedAt;
      fs.writeFileSync(path.join(out, `data/${code}.json`), JSON.stringify({ ...spec, changedAt, feed: `feeds/${code}.atom` }));
      fs.writeFileSync(path.join(out, `data/state/${code}.json`), JSON.stringify({ publication: state.publication, changedAt, feed }));
      fs.mkdirSync(path.join(out, 'feeds'), { recursive: true });
      fs.writeFileSync(path.join(out, `feeds/${code}.atom`), renderAtom({ id: `tag:orar-cal,2030-2:${code}`, title: code, updated: changedAt, siteHref: '../index.html', entries: feed }));
    }

    const again = await runInProcess(args());
    expect(again.code, again.stderr).to.equal(0);
    const html = read('index.html');
    for (const code of CODES.filter((c) => c !== 'RO3')) {
      const spec = json(`data/${code}.json`);
      expect(spec.firstPublishedAt, code).to.equal(firstAt.get(code));
      expect(spec, code).not.to.have.any.keys('changedAt');
      expect(html).to.contain(`(${code})</small> <small>first published on ${day(firstAt.get(code))}</small>`);
      // Someone may have subscribed to the (empty) feed: it stays, unlinked.
      expect(read(`feeds/${code}.atom`), code).to.contain(`<id>tag:orar-cal,2030-2:${code}</id>`);
      expect(html).not.to.contain(`feeds/${code}.atom`);
    }
    const ro3 = json('data/RO3.json');
    expect(ro3.changedAt).to.equal(legacyChange.at);
    expect(ro3.firstPublishedAt).to.equal(firstAt.get('RO3'));
    expect(html).to.contain('(RO3)</small> <small>changed on 2031-03-02 · <a href="feeds/RO3.atom">changes (Atom)</a></small>');
    expect(read('feeds/RO3.atom')).to.contain('moved from 2/I to L001');
  });
});

// Fault runs of the built program against a real loopback server: whatever
// goes wrong, the right exit code, a report naming it, every good calendar
// still in place byte for byte, and nothing beside --out but the site. Runs
// are the built main() in this process, except those killed or signalled
// (child processes); e2e.test.ts has a child process for each exit code.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPageServer, type PageServer, type ServedPage } from '../src/demo/server.js';
import { MAIN, runInProcess } from './cli-run.js';
import { connectionsMade } from './helpers.js';
import { SCHEDULE_ROOT_PATH, facultyPages, facultyArgs } from './faculty.js';

type Snapshot = Map<string, { sha: string; mtimeMs: number; ino: number }>;

function snapshot(dir: string, prefix = ''): Snapshot {
  const result: Snapshot = new Map();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const [k, v] of snapshot(full, rel)) result.set(k, v);
    else {
      const st = fs.statSync(full);
      result.set(rel, { sha: createHash('sha1').update(fs.readFileSync(full)).digest('hex'), mtimeMs: st.mtimeMs, ino: st.ino });
    }
  }
  return result;
}

const calendarsOf = (s: Snapshot): [string, string][] => [...s].filter(([k]) => k.endsWith('.ics') || /^data\/[A-Z]{2}\d\.json$/.test(k)).map(([k, v]) => [k, v.sha]);

describe('faults (built program, loopback server)', function () {
  this.timeout(60000);
  let pages: Map<string, ServedPage>;
  let server: PageServer;
  let parent: string;
  let out: string;
  const args = (...extra: string[]): string[] => [...facultyArgs(server.origin, out, path.join(parent, 'cache')), ...extra];
  const build = () => JSON.parse(fs.readFileSync(path.join(out, 'data/build.json'), 'utf8'));
  const beside = () => fs.readdirSync(parent).filter((n) => n !== 'cache').sort();

  /** One published site and its HTTP cache, made once on one server; each test starts from a copy. */
  let prepared: string;
  before(async () => {
    pages = facultyPages();
    // Retry-After: 0, so retries cost no time; that it is honoured shows in
    // "retried after 0.0 s" (our own backoff is 0.25 s or more).
    server = await startPageServer((p) => pages.get(p), { latencyMs: 5, retryAfterSeconds: 0 });
    prepared = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-faults-prepared-'));
    parent = prepared;
    out = path.join(prepared, 'site');
    const first = await runInProcess(args());
    expect(first.code, first.stderr).to.equal(0);
  });
  after(async () => {
    await server.close();
    fs.rmSync(prepared, { recursive: true, force: true });
  });

  beforeEach(() => {
    pages = facultyPages();
    for (const key of Object.keys(server.options)) delete server.options[key as keyof typeof server.options];
    server.options.latencyMs = 5;
    server.options.retryAfterSeconds = 0;
    server.resetStats();
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-faults-'));
    out = path.join(parent, 'site');
    fs.cpSync(prepared, parent, { recursive: true, preserveTimestamps: true });
  });
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

  it('a run with nothing changed rewrites no file, and asks with conditional requests', async () => {
    const before = snapshot(out);
    const result = await runInProcess(args());
    expect(result.code, result.stderr).to.equal(0);
    const after = snapshot(out);
    for (const [file, old] of before) {
      if (file === 'data/build.json') continue;
      expect(after.get(file), file).to.deep.equal(old);
    }
    const report = build();
    // Regenerated with the same bytes: the page's 7 files and the site-wide ones; 2 teacher and 2 room calendars and
    // their 4 state shards (k, p; 2, p), the 2 views' states, teachers.json, room-index.json, occupancy.json, clashes.json.
    // Carried over: 4 specs x (3 calendars, JSON, state): no feed, none changed.
    expect(report.writes).to.deep.equal({ written: 0, unchanged: 32, carried: 20 });
    expect(report.http).to.include({ responses: 0, notModified: 7, cacheHits: 7 });
    expect(report.specs.every((s: { unchanged: boolean }) => s.unchanged)).to.equal(true);
    expect(server.stats.notModified).to.equal(7);
  });

  it("keeps the user's own files in the site (a CNAME, notes) and says so", async () => {
    fs.writeFileSync(path.join(out, 'CNAME'), 'orar.example.org\n');
    fs.mkdirSync(path.join(out, 'my notes'));
    fs.writeFileSync(path.join(out, 'my notes', 'todo.txt'), 'mine');
    const result = await runInProcess(args());
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.contain(`kept 2 files and 1 folder in ${fs.realpathSync(out)} that orar-cal did not write: CNAME, my notes/todo.txt`);
    expect(fs.readFileSync(path.join(out, 'CNAME'), 'utf8')).to.equal('orar.example.org\n');
    expect(fs.readFileSync(path.join(out, 'my notes', 'todo.txt'), 'utf8')).to.equal('mine');
  });

  it('retries transient 503s and writes everything, reporting the retries', async () => {
    pages.set(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/RO1.html`, { ...pages.get(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/RO1.html`)!, body: Buffer.concat([pages.get(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/RO1.html`)!.body, Buffer.from('\n')]) });
    server.options.failFirst = 1;
    const result = await runInProcess(args());
    expect(result.code, result.stderr).to.equal(0);
    const report = build();
    expect(report.totals).to.include({ specsOk: 4, specsStale: 0, specsFailed: 0 });
    expect(report.http.retries).to.equal(7);
    expect(report.specs.find((s: { code: string }) => s.code === 'RO1').retries[0]).to.match(/^attempt 1 failed: http:.*RO1\.html: HTTP 503 Service Unavailable; retried after 0\.0 s$/);
    expect(report.warnings.filter((w: string) => w.includes('attempt 1 failed'))).to.have.length(3);
  });

  it('keeps a spec that keeps failing as it was, marked stale, and exits 1', async () => {
    const before = snapshot(out);
    server.options.failPaths = /HU1\.html$/;
    const result = await runInProcess(args('--retries', '1'));
    expect(result.code).to.equal(1);
    expect(result.stdout).to.match(/stale: HU1: kept the previous calendars; .*HU1\.html: HTTP 503 Service Unavailable \(after 2 attempts\)/);
    const after = snapshot(out);
    expect(calendarsOf(after)).to.deep.equal(calendarsOf(before));
    const hu = build().specs.find((s: { code: string }) => s.code === 'HU1');
    expect(hu).to.include({ status: 'stale', files: 3 });
    expect(hu.error.url).to.match(/HU1\.html$/);
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).to.contain('Stale: these calendars are from');
    expect(beside()).to.deep.equal(['site']);
  });

  it('leaves the whole site alone when the index fails (exit 3)', async () => {
    const before = snapshot(out);
    server.options.failPaths = /index\.html$/;
    const result = await runInProcess(args('--retries', '0'));
    expect(result.code).to.equal(3);
    expect(result.stderr).to.match(/nothing generated, the previous site is unchanged: .*index\.html: HTTP 503/);
    expect(snapshot(out)).to.deep.equal(before);
    expect(beside()).to.deep.equal(['site']);
  });

  it('gives up on a server that never answers after --timeout', async () => {
    server.options.hangPaths = /DE2\.html$/;
    const started = Date.now();
    const result = await runInProcess(args('--timeout', '1', '--retries', '0'));
    expect(result.code).to.equal(1);
    expect(Date.now() - started).to.be.lessThan(8000);
    expect(result.stdout).to.match(/stale: DE2: .*DE2\.html: no answer within 1 s/);
  });

  it('survives being killed mid-run: the old site stays, the next run cleans up', async () => {
    const before = snapshot(out);
    pages.set(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/RO3.html`, { ...pages.get(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/RO3.html`)!, body: Buffer.concat([pages.get(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/RO3.html`)!.body, Buffer.from(' ')]) });
    server.options.latencyMs = 300;
    const child = spawn(process.execPath, [MAIN, ...args('--concurrency', '1')], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        if (d.toString().includes('[1/4]')) resolve();
      });
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(snapshot(out)).to.deep.equal(before);
    expect(beside()).to.include.members(['site', 'site.lock']);
    expect(beside().some((n) => n.startsWith('site.staging-'))).to.equal(true);
    server.options.latencyMs = 5;
    const next = await runInProcess(args());
    expect(next.code, next.stderr).to.equal(0);
    expect(next.stderr).to.contain('removed a stale lock');
    expect(beside()).to.deep.equal(['site']);
  });

  it('refuses a second run on the same --out while one is running; a TERM stops the first, cleaning up', async () => {
    // Slow enough that the first run surely still holds the lock when the second starts.
    server.options.latencyMs = 5000;
    const before = snapshot(out);
    const first = spawn(process.execPath, [MAIN, ...args()], { stdio: 'ignore' });
    const firstClosed = new Promise<[number | null, NodeJS.Signals | null]>((r) => first.on('close', (code, signal) => r([code, signal])));
    while (!fs.existsSync(`${out}.lock`)) await new Promise((r) => setTimeout(r, 20));
    const second = await runInProcess(args());
    expect(second.code, `${second.stdout}\n${second.stderr}\n${fs.readdirSync(parent)}`).to.equal(3);
    expect(second.stderr).to.match(/another orar-cal run \(pid \d+, started .*\) is writing .*site; wait for it to finish/);
    expect(beside()).to.include.members(['site', 'site.lock']);
    first.kill('SIGTERM');
    expect(await firstClosed).to.deep.equal([143, null]);
    // The staging folder and the lock are gone at once; the site is as it was.
    expect(beside()).to.deep.equal(['site']);
    expect(snapshot(out)).to.deep.equal(before);
    // Ctrl-C the same way, with its own exit code.
    const third = spawn(process.execPath, [MAIN, ...args()], { stdio: 'ignore' });
    const thirdClosed = new Promise<number | null>((r) => third.on('close', (code) => r(code)));
    while (!fs.existsSync(`${out}.lock`)) await new Promise((r) => setTimeout(r, 20));
    third.kill('SIGINT');
    expect(await thirdClosed).to.equal(130);
    expect(beside()).to.deep.equal(['site']);
    expect(snapshot(out)).to.deep.equal(before);
  });

  it('refuses, before any request, an --out it must not replace (exit 2), changing nothing', async () => {
    const mine = path.join(parent, 'my-project');
    fs.mkdirSync(path.join(mine, 'src'), { recursive: true });
    fs.writeFileSync(path.join(mine, 'notes.txt'), 'mine');
    fs.writeFileSync(path.join(mine, 'src', 'a.ts'), 'export {};');
    // A data/build.json that is not orar-cal's report does not make a folder a site.
    fs.mkdirSync(path.join(mine, 'data'));
    fs.writeFileSync(path.join(mine, 'data', 'build.json'), '{"name": "something else"}');
    fs.writeFileSync(path.join(parent, 'a-file'), 'x');
    const before = snapshot(mine);
    const cases: [string, RegExp][] = [
      [mine, /--out .*my-project is a folder that holds other files \(data, notes\.txt, src\) and is not an orar-cal site/],
      [path.join(parent, 'a-file'), /--out .*a-file is a file, not a folder/],
      [path.join(parent, 'a-file', 'site'), /--out .*a-file\/site is under .*a-file, which is a file, not a folder/],
      ['/', /--out \/ is the root of the file system/],
    ];
    for (const [dir, message] of cases) {
      const result = await runInProcess(args('--out', dir));
      expect(result.code, `${dir}: ${result.stderr}`).to.equal(2);
      expect(result.stderr, dir).to.match(message);
      expect(result.stderr, dir).not.to.match(/\n\s+at /);
    }
    expect(await connectionsMade(server), 'connections made').to.equal(0);
    expect(snapshot(mine)).to.deep.equal(before);
    expect(beside()).to.deep.equal(['a-file', 'my-project', 'site']);
  });

  it("refuses a site whose list of orar-cal's files is damaged (exit 2), before any request: the user's files could not be told apart", async () => {
    fs.writeFileSync(path.join(out, 'data/state/site/files.json'), 'not json{');
    const before = snapshot(out);
    const result = await runInProcess(args());
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stderr).to.match(/^orar-cal: --out .*: its list of the files orar-cal wrote \(data\/state\/site\/files\.json\) is damaged \(not JSON\), so the files you added there cannot be told from orar-cal's; put back a good copy, or delete the list/);
    expect(await connectionsMade(server), 'connections made').to.equal(0);
    expect(snapshot(out)).to.deep.equal(before);
  });

  it('refuses a --cache-dir that is a file (exit 2), before any request, leaving the file as it was', async () => {
    const file = path.join(parent, 'a-file');
    fs.writeFileSync(file, 'mine');
    const before = snapshot(out);
    const result = await runInProcess(args('--cache-dir', file));
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stderr).to.equal(`orar-cal: --cache-dir ${file} is a file, not a folder; choose a folder (a missing one is created)\n`);
    expect(await connectionsMade(server), 'connections made').to.equal(0);
    expect(fs.readFileSync(file, 'utf8')).to.equal('mine');
    expect(snapshot(out)).to.deep.equal(before);
  });

  it('writes through a symlinked --out (the link stays) and keeps the folder\'s permissions', async () => {
    fs.chmodSync(out, 0o700);
    const link = path.join(parent, 'www');
    fs.symlinkSync(out, link);
    const before = build().generatedAt;
    const result = await runInProcess(args('--out', link));
    expect(result.code, result.stderr).to.equal(0);
    expect(fs.lstatSync(link).isSymbolicLink()).to.equal(true);
    expect(build().generatedAt).not.to.equal(before);
    expect(fs.statSync(out).mode & 0o777).to.equal(0o700);
    // A link to nothing is refused.
    fs.symlinkSync(path.join(parent, 'gone'), path.join(parent, 'dangling'));
    const dangling = await runInProcess(args('--out', path.join(parent, 'dangling')));
    expect(dangling.code).to.equal(2);
    expect(dangling.stderr).to.match(/dangling is a symbolic link to nothing/);
  });

  it('writes into an empty folder, and into one that does not exist yet', async () => {
    const empty = path.join(parent, 'empty');
    fs.mkdirSync(empty);
    expect((await runInProcess(args('--out', empty))).code).to.equal(0);
    expect(fs.existsSync(path.join(empty, 'data', 'build.json'))).to.equal(true);
    expect((await runInProcess(args('--out', path.join(parent, 'new', 'deeper')))).code).to.equal(0);
    expect(fs.existsSync(path.join(parent, 'new', 'deeper', 'index.html'))).to.equal(true);
  });

  it('--only (any case) regenerates those specs and keeps every other one exactly as it was', async () => {
    const before = snapshot(out);
    const listed = () => JSON.parse(fs.readFileSync(path.join(out, 'data/index.json'), 'utf8')).specializations;
    const index = listed();
    // Change every page: only RO1 may pick the change up.
    for (const [p, page] of pages) {
      if (/tabelar\/[A-Z]+\d\.html$/.test(p)) pages.set(p, { ...page, body: Buffer.from(page.body.toString('latin1').replace(/2\/I/g, 'L001'), 'latin1') });
    }
    const result = await runInProcess(args('--only', 'ro1'));
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/1 specialization ok, 0 stale, 0 failed, 3 not in --only kept as they were/);
    const after = snapshot(out);
    const changed = [...before.keys()].filter((k) => after.get(k)?.sha !== before.get(k)!.sha).sort();
    // RO1's calendars, data, state and feed; the change log, the report and the dates on the index. Nothing of RO3, HU1, DE2.
    // Of the teachers and rooms, only what RO1's move from 2/I changes: the kept specs' rows still count (read from their JSON).
    // The site's list of its files: three are new.
    expect(changed.filter((k) => !k.startsWith('Fizica - linia de studiu romana/Year 1/'))).to.deep.equal([
      'data/RO1.json', 'data/build.json', 'data/changes.json', 'data/clashes.json', 'data/index.json', 'data/occupancy.json', 'data/room-index.json',
      'data/state/RO1.json', 'data/state/people/rooms.json', 'data/state/people/rooms/2.json', 'data/state/people/teachers/p.json',
      'data/state/site/files.json', 'data/teachers.json', 'index.html',
      'rooms/2-i.ics', 'teachers/parvulescu-ana.ics',
    ]);
    expect(changed.filter((k) => k.endsWith('.ics') && !/^(teachers|rooms)\//.test(k))).to.have.length(3);
    // Nothing gone (2/I keeps its calendar); new: RO1's feed, now that it changed, and the calendar of the room it moved to.
    expect([...after.keys()].filter((k) => !before.has(k))).to.deep.equal(['data/state/people/rooms/l.json', 'feeds/RO1.atom', 'rooms/l001.ics']);
    expect([...before.keys()].filter((k) => !after.has(k))).to.deep.equal([]);
    expect(listed()).to.deep.equal(index);
    // The page still links every kept spec's calendars.
    const page = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    for (const code of ['RO3', 'HU1', 'DE2']) {
      const spec = JSON.parse(fs.readFileSync(path.join(out, `data/${code}.json`), 'utf8'));
      for (const g of spec.groups) for (const c of g.calendars) expect(page, c.path).to.include(encodeURI(c.path));
    }
    expect(Object.keys(server.stats.byPath).filter((p) => /tabelar\/[A-Z]+\d\.html$/.test(p))).to.deep.equal([`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/RO1.html`]);
  });

  it('--only naming no code on the index page is a usage error (exit 2) and changes nothing', async () => {
    const before = snapshot(out);
    const result = await runInProcess(args('--only', 'zz9,qq8'));
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/--only zz9,qq8: no such code on the index page; it lists RO1, RO3, HU1, DE2/);
    expect(snapshot(out)).to.deep.equal(before);
    expect(beside()).to.deep.equal(['site']);
  });
});

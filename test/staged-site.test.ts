import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { outFolderProblem } from '../src/output/out-folder.js';
import { SiteLockedError, openStagedSite } from '../src/output/staged-site.js';

describe('staged site', () => {
  let parent: string;
  let out: string;
  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-staged-'));
    out = path.join(parent, 'site');
  });
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));
  const siblings = (): string[] => fs.readdirSync(parent).sort();

  it('builds beside --out and swaps in only on commit', async () => {
    const site = openStagedSite(out);
    site.write([{ path: 'a/b.ics', content: 'one' }]);
    expect(fs.existsSync(out)).to.equal(false);
    await site.commit();
    expect(fs.readFileSync(path.join(out, 'a/b.ics'), 'utf8')).to.equal('one');
    expect(siblings()).to.deep.equal(['site']);
  });

  it('leaves files with unchanged bytes as they were (same inode, same mtime), carries others over', async () => {
    let site = openStagedSite(out);
    site.write([
      { path: 'same.ics', content: 'same' },
      { path: 'changed.ics', content: 'old' },
      { path: 'kept.ics', content: 'kept' },
    ]);
    await site.commit();
    const before = (f: string) => fs.statSync(path.join(out, f));
    const same = before('same.ics');
    const kept = before('kept.ics');
    await new Promise((r) => setTimeout(r, 20));
    site = openStagedSite(out);
    site.write([
      // Calendars come as bytes, the rest as text: both compared by their bytes.
      { path: 'same.ics', content: Buffer.from('same') },
      { path: 'changed.ics', content: 'new' },
    ]);
    expect(site.keep(['kept.ics', 'gone.ics'])).to.deep.equal(['gone.ics']);
    expect(site.stats).to.deep.equal({ written: 1, unchanged: 1, carried: 1 });
    await site.commit();
    expect(before('same.ics').ino).to.equal(same.ino);
    expect(before('same.ics').mtimeMs).to.equal(same.mtimeMs);
    expect(before('kept.ics').mtimeMs).to.equal(kept.mtimeMs);
    expect(fs.readFileSync(path.join(out, 'changed.ics'), 'utf8')).to.equal('new');
    expect(site.previous('same.ics')).to.equal('same');
  });

  it('writes a file again without touching the current site through its link, counts each file once, and takes files back', async () => {
    let site = openStagedSite(out);
    site.write([{ path: 'a.ics', content: 'published' }, { path: 'b.ics', content: 'b' }]);
    await site.commit();
    site = openStagedSite(out);
    site.write([{ path: 'a.ics', content: 'published' }]); // unchanged: a hard link to the current file
    site.write([{ path: 'a.ics', content: 'made again' }]);
    site.write([{ path: 'c.ics', content: 'ahead' }, { path: 'c.ics', content: 'final' }]);
    site.write([{ path: 'd.ics', content: 'under a name not kept' }]);
    site.remove(['d.ics']);
    expect(site.keep(['b.ics'])).to.deep.equal([]);
    site.remove(['b.ics']);
    // The current site is as it was until the swap.
    expect(fs.readFileSync(path.join(out, 'a.ics'), 'utf8')).to.equal('published');
    expect(site.stats).to.deep.equal({ written: 2, unchanged: 0, carried: 0 });
    await site.commit();
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.ics')).sort()).to.deep.equal(['a.ics', 'c.ics']);
    expect(fs.readFileSync(path.join(out, 'a.ics'), 'utf8')).to.equal('made again');
    expect(fs.readFileSync(path.join(out, 'c.ics'), 'utf8')).to.equal('final');
  });

  it('writes a file of its own again in place: it holds exactly the last content, shorter or longer, text or bytes, and the same file', async () => {
    let site = openStagedSite(out);
    site.write([{ path: 'live.ics', content: 'published' }]);
    await site.commit();
    site = openStagedSite(out);
    const staged = (f: string): string => path.join(`${out}.staging-${process.pid}`, f);
    site.write([{ path: 'e.ics', content: 'a long first version' }]);
    const inode = fs.statSync(staged('e.ics')).ino;
    site.write([{ path: 'e.ics', content: 'short' }]);
    expect(fs.readFileSync(staged('e.ics'), 'utf8')).to.equal('short');
    site.write([{ path: 'e.ics', content: new TextEncoder().encode('longer than before, as bytes') }]);
    expect(fs.readFileSync(staged('e.ics'), 'utf8')).to.equal('longer than before, as bytes');
    expect(fs.statSync(staged('e.ics')).ino).to.equal(inode);
    // Linked to the current site, then written twice: the current file never changes.
    site.write([{ path: 'live.ics', content: 'published' }]);
    site.write([{ path: 'live.ics', content: 'changed once' }]);
    site.write([{ path: 'live.ics', content: 'twice' }]);
    expect(fs.readFileSync(path.join(out, 'live.ics'), 'utf8')).to.equal('published');
    expect(site.stats).to.deep.equal({ written: 2, unchanged: 0, carried: 0 });
    await site.commit();
    expect(fs.readFileSync(path.join(out, 'e.ics'), 'utf8')).to.equal('longer than before, as bytes');
    expect(fs.readFileSync(path.join(out, 'live.ics'), 'utf8')).to.equal('twice');
  });

  it('keeps the files in the site that no run wrote (a CNAME, notes, a link), as they are, and says so; drops its own that it no longer writes', async () => {
    const notices: string[] = [];
    let site = openStagedSite(out);
    site.write([{ path: 'index.html', content: 'one' }, { path: 'old/gone.ics', content: 'a calendar no longer made' }]);
    await site.commit();
    fs.writeFileSync(path.join(out, 'CNAME'), 'orar.example.org');
    fs.mkdirSync(path.join(out, 'notes'));
    fs.writeFileSync(path.join(out, 'notes/todo.txt'), 'mine');
    fs.symlinkSync('notes/todo.txt', path.join(out, 'todo-link'));
    const cname = fs.statSync(path.join(out, 'CNAME')).ino;
    site = openStagedSite(out, { onNotice: (m) => notices.push(m) });
    site.write([{ path: 'index.html', content: 'two' }]);
    await site.commit();
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).to.equal('two');
    expect(fs.existsSync(path.join(out, 'old/gone.ics'))).to.equal(false);
    expect(fs.readFileSync(path.join(out, 'CNAME'), 'utf8')).to.equal('orar.example.org');
    expect(fs.statSync(path.join(out, 'CNAME')).ino).to.equal(cname);
    expect(fs.readFileSync(path.join(out, 'notes/todo.txt'), 'utf8')).to.equal('mine');
    expect(fs.readlinkSync(path.join(out, 'todo-link'))).to.equal('notes/todo.txt');
    expect(notices).to.deep.equal([`kept 3 files and 1 folder in ${out} that orar-cal did not write: CNAME, notes/todo.txt, todo-link`]);
    // The site's own list names only what the runs wrote: the user's files stay theirs at every later run.
    expect(JSON.parse(fs.readFileSync(path.join(out, 'data/state/site/files.json'), 'utf8'))).to.deep.equal({ v: 1, files: ['index.html'] });
    site = openStagedSite(out);
    site.write([{ path: 'index.html', content: 'three' }]);
    await site.commit();
    expect(fs.readFileSync(path.join(out, 'notes/todo.txt'), 'utf8')).to.equal('mine');
  });

  it('takes a site with no list of its files (written before runs kept one) as all its own, as runs did then, and names what goes', async () => {
    let site = openStagedSite(out);
    site.write([{ path: 'index.html', content: 'one' }, { path: 'old.ics', content: 'old' }]);
    await site.commit();
    fs.rmSync(path.join(out, 'data'), { recursive: true });
    const notices: string[] = [];
    site = openStagedSite(out, { onNotice: (m) => notices.push(m) });
    site.write([{ path: 'index.html', content: 'two' }]);
    await site.commit();
    expect(fs.existsSync(path.join(out, 'old.ics'))).to.equal(false);
    expect(notices).to.deep.equal([
      `${out} has no list of the files orar-cal wrote (data/state/site/files.json: a site written before runs kept one), so all of it is taken as orar-cal's: not kept 1 file this run did not write: old.ics; from now on, what you add there is kept`,
    ]);
  });

  it("keeps folders of the user's (empty ones, their permissions), links as the same file, and names that are not UTF-8", async () => {
    let site = openStagedSite(out);
    site.write([{ path: 'index.html', content: 'one' }]);
    await site.commit();
    fs.mkdirSync(path.join(out, 'empty'));
    fs.mkdirSync(path.join(out, 'private'), { mode: 0o700 });
    fs.writeFileSync(path.join(out, 'private/key'), 'secret', { mode: 0o600 });
    fs.chmodSync(path.join(out, 'private'), 0o500); // read-only: its content still goes in
    fs.symlinkSync('/nowhere', path.join(out, 'dangling'));
    const notUtf8 = Buffer.concat([Buffer.from(`${out}/bad`), Buffer.from([0xff]), Buffer.from('.txt')]);
    fs.writeFileSync(notUtf8, 'latin');
    const inode = (p: string): number => fs.lstatSync(path.join(out, p)).ino;
    const [linkBefore, keyBefore] = [inode('dangling'), inode('private/key')];
    const notices: string[] = [];
    site = openStagedSite(out, { onNotice: (m) => notices.push(m) });
    site.write([{ path: 'index.html', content: 'two' }]);
    await site.commit();
    expect(fs.statSync(path.join(out, 'empty')).isDirectory()).to.equal(true);
    expect(fs.statSync(path.join(out, 'private')).mode & 0o777).to.equal(0o500);
    expect(fs.readFileSync(path.join(out, 'private/key'), 'utf8')).to.equal('secret');
    expect([inode('dangling'), inode('private/key')]).to.deep.equal([linkBefore, keyBefore]);
    expect(fs.readFileSync(notUtf8, 'utf8')).to.equal('latin');
    expect(notices).to.have.length(1);
    expect(notices[0]).to.match(/^kept 3 files and 2 folders in .* that orar-cal did not write: bad.*\.txt, dangling, empty\/, private\/key$/);
    fs.chmodSync(path.join(out, 'private'), 0o700);
  });

  it("moves the user's folder aside where the run writes a file, and the user's file where the run has a folder, with their content, and names them", async () => {
    let site = openStagedSite(out);
    site.write([{ path: 'index.html', content: 'one' }]);
    await site.commit();
    fs.mkdirSync(path.join(out, 'sw.js'));
    fs.writeFileSync(path.join(out, 'sw.js/x'), 'mine');
    fs.writeFileSync(path.join(out, 'assets'), 'a file of mine');
    const notices: string[] = [];
    site = openStagedSite(out, { onNotice: (m) => notices.push(m) });
    site.write([{ path: 'index.html', content: 'two' }, { path: 'sw.js', content: 'worker' }, { path: 'assets/app.js', content: 'app' }]);
    await site.commit();
    expect(fs.readFileSync(path.join(out, 'sw.js'), 'utf8')).to.equal('worker');
    expect(fs.readFileSync(path.join(out, 'assets/app.js'), 'utf8')).to.equal('app');
    expect(fs.readFileSync(path.join(out, 'sw.js.yours/x'), 'utf8')).to.equal('mine');
    expect(fs.readFileSync(path.join(out, 'assets.yours'), 'utf8')).to.equal('a file of mine');
    expect(notices).to.deep.equal([
      `kept 2 files and 1 folder in ${out} that orar-cal did not write: assets, sw.js/x`,
      `moved 2 of yours aside in ${out}, where this run writes its own file or folder: assets -> assets.yours, sw.js -> sw.js.yours`,
    ]);
    // The next run finds them where they were moved, as the user's.
    notices.length = 0;
    site = openStagedSite(out, { onNotice: (m) => notices.push(m) });
    site.write([{ path: 'index.html', content: 'two' }, { path: 'sw.js', content: 'worker' }, { path: 'assets/app.js', content: 'app' }]);
    await site.commit();
    expect(notices).to.deep.equal([`kept 2 files and 1 folder in ${out} that orar-cal did not write: assets.yours, sw.js.yours/x`]);
  });

  it("never goes through a link of the user's: one at a file of ours is replaced by the run's own; a file named as the staging marker is moved aside", async () => {
    let site = openStagedSite(out);
    site.write([{ path: 'index.html', content: 'one' }]);
    await site.commit();
    fs.rmSync(path.join(out, 'index.html'));
    fs.symlinkSync('index.html', path.join(out, 'index.html')); // a loop, at a file of ours
    fs.writeFileSync(path.join(out, '.orar-cal-staging'), 'mine');
    const notices: string[] = [];
    site = openStagedSite(out, { onNotice: (m) => notices.push(m) });
    site.write([{ path: 'index.html', content: 'two' }]);
    await site.commit();
    expect(fs.lstatSync(path.join(out, 'index.html')).isFile()).to.equal(true);
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).to.equal('two');
    expect(fs.readFileSync(path.join(out, '.orar-cal-staging.yours'), 'utf8')).to.equal('mine');
    expect(notices).to.deep.equal([
      `kept 1 file in ${out} that orar-cal did not write: .orar-cal-staging`,
      `moved 1 of yours aside in ${out}, where this run writes its own file or folder: .orar-cal-staging -> .orar-cal-staging.yours`,
    ]);
  });

  it("takes a list reached through a link as damaged, never reading or writing through it: the run keeps everything and nothing outside --out changes", async () => {
    let site = openStagedSite(out);
    site.write([{ path: 'index.html', content: 'one' }, { path: 'data/build.json', content: JSON.stringify({ generatedAt: 'then', semester: '2025-2', specs: [] }) }]);
    await site.commit();
    const outside = path.join(parent, 'outside');
    fs.renameSync(path.join(out, 'data/state/site'), outside);
    fs.symlinkSync(outside, path.join(out, 'data/state/site'));
    const listOutside = fs.readFileSync(path.join(outside, 'files.json'), 'utf8');
    expect(outFolderProblem(out)).to.match(/its list of the files orar-cal wrote \(data\/state\/site\/files\.json\) is damaged \(data\/state\/site is a symbolic link\)/);
    const notices: string[] = [];
    site = openStagedSite(out, { onNotice: (m) => notices.push(m) });
    site.write([{ path: 'index.html', content: 'two' }]);
    await site.commit();
    expect(fs.readFileSync(path.join(outside, 'files.json'), 'utf8')).to.equal(listOutside);
    expect(fs.readlinkSync(path.join(out, 'data/state/site.yours'))).to.equal(outside);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'data/state/site/files.json'), 'utf8'))).to.deep.equal({ v: 1, files: ['index.html'] });
    expect(notices.at(-1)).to.equal(`${out}: its list data/state/site/files.json could not be read (data/state/site is a symbolic link): every file this run did not write was kept`);
  });

  it('takes a list naming a path orar-cal never writes ("/x", "a//b", "a/", "./a", "a/../b") as damaged: the run keeps every file it did not write', async () => {
    for (const odd of ['/abs/x', 'mine//x', 'mine/sub/', './mine', 'mine/../x']) {
      let site = openStagedSite(out);
      site.write([{ path: 'index.html', content: 'one' }, { path: 'data/build.json', content: JSON.stringify({ generatedAt: 'then', semester: '2025-2', specs: [] }) }]);
      await site.commit();
      fs.mkdirSync(path.join(out, 'mine/sub'), { recursive: true });
      fs.writeFileSync(path.join(out, 'mine/sub/x.txt'), 'mine');
      fs.writeFileSync(path.join(out, 'data/state/site/files.json'), JSON.stringify({ v: 1, files: ['index.html', 'data/build.json', odd] }));
      expect(outFolderProblem(out), odd).to.contain(`is damaged (lists ${JSON.stringify(odd)}, not a path orar-cal writes)`);
      const notices: string[] = [];
      site = openStagedSite(out, { onNotice: (m) => notices.push(m) });
      site.write([{ path: 'index.html', content: 'two' }]);
      await site.commit();
      expect(fs.readFileSync(path.join(out, 'mine/sub/x.txt'), 'utf8'), odd).to.equal('mine');
      expect(notices.at(-1), odd).to.match(/could not be read \(lists .*, not a path orar-cal writes\): every file this run did not write was kept$/);
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('drops the staged site on abort and keeps the current one', async () => {
    let site = openStagedSite(out);
    site.write([{ path: 'x.ics', content: 'good' }]);
    await site.commit();
    site = openStagedSite(out);
    site.write([{ path: 'x.ics', content: 'half-done' }]);
    await site.abort();
    expect(fs.readFileSync(path.join(out, 'x.ics'), 'utf8')).to.equal('good');
    expect(siblings()).to.deep.equal(['site']);
  });

  it('refuses a second run while one holds the lock', () => {
    const first = openStagedSite(out);
    expect(() => openStagedSite(out)).to.throw(SiteLockedError, /another orar-cal run \(pid \d+, started .*\) is writing/);
    void first.abort();
  });

  it('takes over the lock of a run that died, and clears what it left', () => {
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'x.ics'), 'good');
    fs.writeFileSync(`${out}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), startedAt: 'then' }));
    fs.mkdirSync(`${out}.staging-999`);
    fs.writeFileSync(path.join(`${out}.staging-999`, '.orar-cal-staging'), '999');
    // Named like ours but not made by a run: the user's, left alone.
    fs.mkdirSync(`${out}.staging-2024`);
    fs.writeFileSync(path.join(`${out}.staging-2024`, 'notes.txt'), 'mine');
    fs.mkdirSync(`${out}.previous-20250101`);
    fs.writeFileSync(path.join(`${out}.previous-20250101`, 'backup.txt'), 'mine');
    const notices: string[] = [];
    const site = openStagedSite(out, { onNotice: (m) => notices.push(m) });
    expect(notices.some((n) => n.startsWith('removed a stale lock'))).to.equal(true);
    expect(notices.some((n) => n.includes('site.staging-999'))).to.equal(true);
    expect(siblings()).to.have.members(['site', 'site.lock', 'site.previous-20250101', 'site.staging-2024', `site.staging-${process.pid}`]);
    expect(fs.readFileSync(path.join(`${out}.previous-20250101`, 'backup.txt'), 'utf8')).to.equal('mine');
    void site.abort();
  });

  it('puts back a site a killed run had moved aside', () => {
    fs.mkdirSync(path.join(`${out}.previous-4242`, 'data'), { recursive: true });
    fs.writeFileSync(path.join(`${out}.previous-4242`, 'x.ics'), 'good');
    fs.writeFileSync(path.join(`${out}.previous-4242`, 'data', 'build.json'), JSON.stringify({ generatedAt: 'then', semester: '2030-2', specs: [] }));
    const site = openStagedSite(out);
    expect(fs.readFileSync(path.join(out, 'x.ics'), 'utf8')).to.equal('good');
    void site.abort();
    expect(siblings()).to.deep.equal(['site']);
  });
});

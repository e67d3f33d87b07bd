// Custom feeds end to end: GET /custom/{token}.ics from `orar-cal serve`'s
// server on 127.0.0.1, and the built `orar-cal calendar` command, both read
// back with ical.js.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseCalendarArgs } from '../src/commands/calendar.js';
import { answersFile, commandLine, readAnswers, writeAnswers } from '../src/commands/calendar-prompt.js';
import { UsageError } from '../src/commands/flags.js';
import { startSiteServer } from '../src/commands/serve.js';
import { canonicalSelection, type Selection } from '../src/custom/selection.js';
import { encodeToken } from '../src/custom/token.js';
import { MAIN, runCli, runInProcess } from './cli-run.js';
import { fixtureSpecs, publishSite, row, veventBlocks, writeSite } from './custom-site.js';
import { parseIcs } from './ical.js';

const T1 = new Date('2026-09-20T10:00:00Z');
const IE2 = 'Informatica - in limba engleza/Year 2';

function tokenOf(over: Partial<Selection> & Pick<Selection, 'sources'>): string {
  return encodeToken(canonicalSelection({ skipTypes: [], skipSubjects: [], labSubgroups: {}, ...over }));
}

async function serveSite(root: string): Promise<{ origin: string; server: Server }> {
  const server = await startSiteServer(root, 0);
  return { origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('custom feeds end to end (orar-cal serve, orar-cal calendar)', function () {
  this.timeout(20000);
  const site = publishSite(fixtureSpecs(), T1);
  let root: string;
  let origin: string;
  let server: Server;
  before(async () => {
    root = writeSite(site);
    ({ origin, server } = await serveSite(root));
  });
  after(async () => {
    await stop(server);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('serve: 200 text/calendar with ETag and Cache-Control, the group calendar\'s events as ical.js reads them; HEAD; 304 on If-None-Match', async () => {
    const url = `${origin}/custom/${tokenOf({ sources: [{ code: 'IE2', group: '922', subgroup: '2' }] })}.ics`;
    const response = await fetch(url);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('text/calendar; charset=utf-8');
    expect(response.headers.get('cache-control')).to.match(/max-age=\d+/);
    const etag = response.headers.get('etag')!;
    expect(etag).to.match(/^W\/"/);
    const text = await response.text();
    const group = site.files.get(`${IE2}/922-2.ics`)!;
    expect(parseIcs(text).events).to.deep.equal(parseIcs(group).events);
    expect(veventBlocks(text)).to.deep.equal(veventBlocks(group));
    const head = await fetch(url, { method: 'HEAD' });
    expect([head.status, head.headers.get('etag'), head.headers.get('content-length'), await head.text()]).to.deep.equal([200, etag, String(Buffer.byteLength(text)), '']);
    const again = await fetch(url, { headers: { 'if-none-match': etag } });
    expect([again.status, again.headers.get('etag'), await again.text()]).to.deep.equal([304, etag, '']);
    // The site's own files are still served beside the feeds.
    expect((await fetch(`${origin}/data/index.json`)).status).to.equal(200);
  });

  it('serve: 400 with a one-line reason for a bad token, 414 over 4 KB, 200 naming a vanished source, 404 when none is left', async () => {
    const bad = await fetch(`${origin}/custom/7.QUJD.ics`);
    expect([bad.status, await bad.text()]).to.deep.equal([400, 'bad token: unknown token version "7" (this server reads version 1)\n']);
    const damaged = await fetch(`${origin}/custom/1.%2A%2A.ics`);
    expect(damaged.status).to.equal(400);
    expect((await damaged.text()).trim().split('\n')).to.have.length(1);
    const long = await fetch(`${origin}/custom/1.${'A'.repeat(4100)}.ics`);
    expect(long.status).to.equal(414);
    // Up to 4 KB a token is read (past the site's 2 KB limit for other addresses): this one is damaged, not too long.
    const longish = await fetch(`${origin}/custom/1.${'A'.repeat(3000)}.ics`);
    expect([longish.status, (await longish.text()).startsWith('bad token: ')]).to.deep.equal([400, true]);
    const partly = await fetch(`${origin}/custom/${tokenOf({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }, { code: 'IE2', group: '929', subgroup: 'all' }] })}.ics`);
    expect(partly.status).to.equal(200);
    const text = await partly.text();
    expect(text.replace(/\r\n /g, '')).to.contain('Not published any more: IE2 929 (IE2 has no group 929)');
    expect(parseIcs(text).events.length).to.equal(parseIcs(site.files.get(`${IE2}/921-1.ics`)!).events.length);
    const none = await fetch(`${origin}/custom/${tokenOf({ sources: [{ code: 'IE9', group: '921', subgroup: '1' }] })}.ics`);
    expect(none.status).to.equal(404);
    expect(none.headers.get('content-type')).to.match(/^text\/plain/);
  });

  it('serve: a regenerated site is picked up without a restart (new ETag, new events)', async () => {
    const own = writeSite(site);
    const { origin: here, server: other } = await serveSite(own);
    try {
      const url = `${here}/custom/${tokenOf({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }], skipTypes: ['Curs'] })}.ics`;
      const first = await fetch(url);
      const etag = first.headers.get('etag')!;
      const before = parseIcs(await first.text()).events.length;
      const specs = fixtureSpecs();
      specs[0]!.groups[0]!.entries.push({ ...specs[0]!.groups[0]!.entries[2]!, day: 'Vineri', startHour: 18, endHour: 20 });
      writeSite(publishSite(specs, new Date('2026-10-01T10:00:00Z'), site), own);
      const second = await fetch(url, { headers: { 'if-none-match': etag } });
      expect(second.status).to.equal(200);
      expect(second.headers.get('etag')).to.not.equal(etag);
      expect(parseIcs(await second.text()).events.length).to.equal(before + 3);
    } finally {
      await stop(other);
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it('calendar: writes to stdout the feed serve answers and prints its address; over HTTP (--site URL) with -o FILE, prints the address on stdout', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-calendar-'));
    const out = path.join(dir, 'mine.ics');
    try {
      // The stdout run is a process (its output through a real pipe); the -o FILE run is main() here.
      const result = await runCli(['calendar', '--site', root, '--add', 'ie2:921:1', '--add', 'IE2:922:2', '--skip-type', 'seminar', '--skip', 'BAZE DE DATE', '--lab', 'Programare Web=2', '--url', `${origin}/`]);
      const written = await runInProcess(['calendar', '--site', `${origin}/`, '--add', 'MaDS1:2611/1', '-o', out, '--url', 'https://feeds.example.org/orar']);
      expect(result.code, result.stderr).to.equal(0);
      const address = /^subscribe: (\S+)$/m.exec(result.stderr)![1]!;
      expect(address).to.match(new RegExp(`^${origin}/custom/1\\.[A-Za-z0-9_-]+\\.ics$`));
      const served = await (await fetch(address)).text();
      expect(result.stdout).to.equal(served);
      const summaries = parseIcs(result.stdout).events.map((e) => `${e.summary} ${e.description.split('\n').at(-1)}`);
      expect([...new Set(summaries)].sort()).to.deep.equal([
        '[C] Programare web Curs, IE2, every week',
        '[L] Programare web Laborator, 921/2, every week',
        '[L] Programare web Laborator, 922/2, every week',
      ]);
      expect(written.code, written.stderr).to.equal(0);
      expect(written.stdout).to.match(/^https:\/\/feeds\.example\.org\/orar\/custom\/1\.[A-Za-z0-9_-]+\.ics\n$/);
      expect(veventBlocks(fs.readFileSync(out, 'utf8'))).to.deep.equal(veventBlocks(site.files.get('Stiinta datelor - in limba engleza/Year 1/2611-1.ics')!));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('calendar: a calendar over 64 KB reaches a pipe whole (the process waits for its output before exiting)', async () => {
    const days = ['Luni', 'Marti', 'Miercuri', 'Joi', 'Vineri', 'Sambata'] as const;
    const types = ['Curs', 'Seminar', 'Laborator'] as const;
    const entries = days.flatMap((day) =>
      [8, 10, 12, 14, 16, 18].flatMap((startHour) => types.map((type) => row({ subject: `Materia ${day} ${startHour} ${type}`, type, formation: 'BIG1', day, startHour }))),
    );
    const big = writeSite(publishSite([{ code: 'BIG1', name: 'Specializare mare', year: 1, groups: [{ name: '101', entries }] }], T1));
    try {
      // What the command writes (main() here), then what a slower reader gets through a pipe from the process.
      const result = await runInProcess(['calendar', '--site', big, '--add', 'BIG1:101']);
      expect(result.code, result.stderr).to.equal(0);
      expect(Buffer.byteLength(result.stdout)).to.be.greaterThan(64 * 1024);
      expect(parseIcs(result.stdout).events).to.have.length(veventBlocks(fs.readFileSync(path.join(big, 'Specializare mare/Year 1/101-all.ics'), 'utf8')).length);
      // A reader slower than the writer (the pipe's 64 KB buffer fills): still every byte.
      const piped = execFileSync('sh', ['-c', `"${process.execPath}" "${MAIN}" calendar --site "${big}" --add BIG1:101 | (sleep 0.3; wc -c)`], { encoding: 'utf8' });
      expect(Number(piped.trim())).to.equal(Buffer.byteLength(result.stdout));
    } finally {
      fs.rmSync(big, { recursive: true, force: true });
    }
  });

  it('calendar: exit 2 naming an unknown code, group or subject and what exists, or a file not ours; no --add and no terminal: exit 2 with usage', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-calendar-'));
    const notOurs = path.join(dir, 'notes.txt');
    fs.writeFileSync(notOurs, 'mine');
    // A group calendar a site publishes: orar-cal's, but not this command's to replace.
    const published = path.join(dir, '921-1.ics');
    fs.copyFileSync(path.join(root, IE2, '921-1.ics'), published);
    const cases: [string[], RegExp][] = [
      [['--add', 'IE9:921'], /--add IE9:921: no specialization IE9; there are: IE2, MaDS1/],
      [['--add', 'IE2:929:1', '--add', 'MaDS1:2611/1:2'], /--add IE2:929:1: IE2 has no group 929; there are: 921, 922/],
      [['--add', 'IE2:921', '--skip', 'Algebra'], /--skip "algebra": no such subject in IE2 921; the subjects are: Baze de date; Inteligență artificială, avansat; partea I; Programare web/],
      [['--add', 'MaDS1:2611/1', '-o', notOurs], /the file exists and is not a custom calendar orar-cal wrote/],
      [['--add', 'MaDS1:2611/1', '-o', published], /the file exists and is not a custom calendar orar-cal wrote/],
      [['--add', 'MaDS1:2611/1', '-o', dir], /is a folder; give a file name/],
      [[], /no --add given, and not on a terminal[\s\S]*Usage: orar-cal calendar/],
    ];
    try {
      const results = [];
      for (const [args] of cases) results.push(await runInProcess(['calendar', '--site', root, ...args]));
      results.forEach((result, i) => {
        const [args, message] = cases[i]!;
        expect(result.code, args.join(' ')).to.equal(2);
        expect(result.stderr, args.join(' ')).to.match(message);
        expect(result.stdout).to.equal('');
      });
      expect(fs.readFileSync(notOurs, 'utf8')).to.equal('mine');
      expect(fs.readFileSync(published, 'utf8')).to.equal(fs.readFileSync(path.join(root, IE2, '921-1.ics'), 'utf8'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('calendar: remembers the last answers in $XDG_CONFIG_HOME/orar-cal (else ~/.config/orar-cal), and reads a damaged file as nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-config-'));
    try {
      expect(answersFile({ XDG_CONFIG_HOME: dir })).to.equal(path.join(dir, 'orar-cal', 'calendar.json'));
      expect(answersFile({ HOME: '/home/x' })).to.equal(path.join(os.homedir(), '.config', 'orar-cal', 'calendar.json'));
      const file = answersFile({ XDG_CONFIG_HOME: dir });
      expect(readAnswers(file)).to.deep.equal({});
      const selection = canonicalSelection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }], skipTypes: ['Seminar'], skipSubjects: ['Topologie'], labSubgroups: { 'Baze de date': '2' } });
      writeAnswers(file, { selection, out: 'mine.ics' });
      expect(readAnswers(file)).to.deep.equal({ selection, out: 'mine.ics' });
      expect(commandLine(selection)).to.equal('--add "IE2:921:1" --skip-type seminar --skip "topologie" --lab "baze de date=2"');
      fs.writeFileSync(file, '{"selection": {"sources": []}}');
      expect(readAnswers(file)).to.deep.equal({});
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('calendar: bad flags are usage errors naming the flag', () => {
    const cases: [string[], RegExp][] = [
      [['--add', 'IE2:921', '--lab', 'Programare web=3'], /--lab "Programare web=3": expected SUBJECT=1 or SUBJECT=2/],
      [['--add', 'IE2:921', '--skip-type', 'lecture'], /--skip-type "lecture": expected course, seminar or lab/],
      [['--skip', 'x'], /need at least one --add/],
      [['--add', 'IE2'], /--add "IE2": expected CODE:GROUP/],
      [['--add', 'IE2:921', '--url', 'ftp://x'], /--url "ftp:\/\/x": expected an http\(s\) URL/],
    ];
    for (const [args, message] of cases) expect(() => parseCalendarArgs(args), args.join(' ')).to.throw(UsageError, message);
    expect(parseCalendarArgs(['--add', 'IE2:921:2', '--lab', 'a=b=1', '--skip-type', 'LAB'])).to.deep.include({ selection: { sources: [{ code: 'IE2', group: '921', subgroup: '2' }], skipTypes: ['Laborator'], skipSubjects: [], labSubgroups: { 'a=b': '1' } } });
  });
});

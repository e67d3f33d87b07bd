// End to end: the built program against a real HTTP server on 127.0.0.1. A
// child process for each exit code (0, 1, 2, 3); the other runs are the
// built main() in this process.
import { expect } from 'chai';
import { mkdtemp, writeFile, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeIso88592, renderTimetablePage } from '../src/demo/pages.js';
import { startPageServer, type PageServer, type ServedPage } from '../src/demo/server.js';
import { runCli, runInProcess } from './cli-run.js';
import { CALENDAR_PATH, DEFAULT_SPECS, SCHEDULE_ROOT_PATH, facultyPages, facultyArgs } from './faculty.js';
import { parseIcs } from './ical.js';
import { connectionsMade } from './helpers.js';
import type { ClashesJson, OccupancyJson, RoomIndexJson, TeacherJson } from '../src/site-data.js';

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

describe('end to end (built program, loopback server)', function () {
  this.timeout(30000);
  let pages: Map<string, ServedPage>;
  let server: PageServer;
  let out: string;
  const args = (...extra: string[]): string[] => [...facultyArgs(server.origin, out, path.join(out + '.cache')), ...extra];

  beforeEach(async () => {
    pages = facultyPages();
    server = await startPageServer((p) => pages.get(p), { latencyMs: 5, slots: 4 });
    out = await mkdtemp(path.join(tmpdir(), 'orar-cal-e2e-'));
  });
  afterEach(async () => {
    await server.close();
    await rm(out, { recursive: true, force: true });
    await rm(`${out}.cache`, { recursive: true, force: true });
  });

  it('writes every calendar, the JSON and the page, and exits 0', async () => {
    const result = await runCli(args('--feed-base', 'https://feeds.example.org'));
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain('4 specializations ok, 0 stale, 0 failed; 12 calendar files');
    const files = await listFiles(out);
    expect(files).to.include.members([
      'Fizica - linia de studiu romana/Year 1/101-1.ics',
      'Fizica - linia de studiu romana/Year 1/101-2.ics',
      'Fizica - linia de studiu romana/Year 1/101-all.ics',
      'Fizica - in limba germana/Year 2/201-all.ics',
      'data/RO1.json', 'data/index.json', 'data/rooms.json', 'data/build.json', 'index.html',
    ]);
    expect(server.stats.byPath[CALENDAR_PATH]).to.equal(1);

    const one = parseIcs(await readFile(path.join(out, 'Fizica - linia de studiu romana/Year 1/101-1.ics'), 'utf8'));
    const all = parseIcs(await readFile(path.join(out, 'Fizica - linia de studiu romana/Year 1/101-all.ics'), 'utf8'));
    expect(one.timezones).to.deep.equal(['Europe/Bucharest']);
    // Subgroup 1 has its lab in odd weeks only; "all" has both subgroups' labs.
    const labs = (c: typeof one) => c.events.filter((e) => e.summary === '[L] Observatii').map((e) => e.startLocal.slice(0, 10));
    expect(labs(one)).to.deep.equal(['2031-02-25', '2031-03-11', '2031-03-25', '2031-04-08', '2031-04-29', '2031-05-13', '2031-05-27']);
    expect(labs(all)).to.have.length(14);
    expect(new Set(all.events.map((e) => e.uid)).size).to.equal(all.events.length);
    expect(one.events.every((e) => /^[^@\s]+@[\w.-]+$/.test(e.uid))).to.equal(true);
    const raw = await readFile(path.join(out, 'Fizica - linia de studiu romana/Year 1/101-1.ics'), 'utf8');
    expect(raw.match(/^DTSTAMP:\d{8}T\d{6}Z\r$/gm)).to.have.length(one.events.length);
    const course = one.events.find((e) => e.summary === '[C] Curs RO1')!;
    expect(course.location).to.equal('2/I, Cladirea Centrala, Etaj 1');
    expect(course.description).to.contain('Prof. PÂRVULESCU Ana');

    // RFC 5545: every content line of every calendar ends with CRLF, the last one too.
    for (const file of files.filter((f) => f.endsWith('.ics'))) {
      const text = await readFile(path.join(out, file), 'utf8');
      expect(text.endsWith('END:VCALENDAR\r\n'), file).to.equal(true);
      expect(text.split('\r\n').slice(0, -1).every((line) => !line.includes('\n')), file).to.equal(true);
    }

    const index = JSON.parse(await readFile(path.join(out, 'data/index.json'), 'utf8'));
    expect(index.semester).to.equal('2030-2');
    // Where the page sends custom feeds: the origin given, kept for it.
    expect(index.feedBase).to.equal('https://feeds.example.org/');
    expect(index.specializations.map((s: { name: string }) => s.name)).to.deep.equal([
      'Fizica - linia de studiu romana', 'Fizica - linia de studiu maghiara', 'Fizica - in limba germana',
    ]);
    const html = await readFile(path.join(out, 'index.html'), 'utf8');
    expect(html).to.contain('href="Fizica%20-%20linia%20de%20studiu%20romana/Year%201/101-1.ics"');

    // Teachers and rooms: every spec's rows, one event per class however many specs list it.
    expect(result.stdout).to.contain('teachers and rooms: 2 teacher and 2 room calendars');
    expect(result.stdout).to.contain('0 clashes (data/clashes.json)');
    const json = async <T>(file: string): Promise<T> => JSON.parse(await readFile(path.join(out, file), 'utf8')) as T;
    const teachers = await json<TeacherJson[]>('data/teachers.json');
    expect(teachers.map(({ events: _e, ...t }) => t)).to.deep.equal([
      { name: 'KOVÁCS Tamás', titles: ['Asist.'], slug: 'kovacs-tamas', file: 'teachers/kovacs-tamas.ics', specs: ['DE2', 'HU1', 'RO1', 'RO3'] },
      { name: 'PÂRVULESCU Ana', titles: ['Prof.'], slug: 'parvulescu-ana', file: 'teachers/parvulescu-ana.ics', specs: ['DE2', 'HU1', 'RO1', 'RO3'] },
    ]);
    const rooms = await json<RoomIndexJson[]>('data/room-index.json');
    expect(rooms.map(({ events: _e, ...r }) => r)).to.deep.equal([
      { room: '2/I', location: 'Cladirea Centrala, Etaj 1', slug: '2-i', file: 'rooms/2-i.ics' },
      { room: 'pi', location: 'Observator', slug: 'pi', file: 'rooms/pi.ics' },
    ]);
    for (const { file, events } of [...teachers, ...rooms]) expect(parseIcs(await readFile(path.join(out, file), 'utf8')).events, file).to.have.length(events);
    // The four specs' Monday courses (same teacher, room and hours; two study lines' dates) are one event a date.
    const ana = parseIcs(await readFile(path.join(out, 'teachers/parvulescu-ana.ics'), 'utf8'));
    const mondays = ana.events.filter((e) => e.summary.startsWith('[C] Curs'));
    expect(new Set(mondays.map((e) => e.startLocal)).size).to.equal(mondays.length);
    expect(mondays.find((e) => e.startLocal === '2031-02-24T08:00:00')).to.deep.include({
      summary: '[C] Curs DE2 / [C] Curs HU1 / [C] Curs RO1 / [C] Curs RO3', location: '2/I, Cladirea Centrala, Etaj 1', description: 'Curs, DE2, HU1, RO1, RO3',
    });
    const occupancy = await json<OccupancyJson>('data/occupancy.json');
    expect(occupancy).to.include({ semester: '2030-2', from: '2031-02-24' });
    expect(occupancy.rooms).to.deep.equal(['2/I', 'pi']);
    expect(occupancy.dates['2031-02-24']).to.deep.equal([(1 << 8) | (1 << 9), 0]);
    expect(await json('data/clashes.json')).to.deep.equal({ count: 0, clashes: [] });
    expect((await json<{ people: unknown }>('data/build.json')).people).to.include({ teachers: 2, rooms: 2, files: 4, clashes: 0 });
  });

  it('gives the same UIDs on a second run, also after a room change', async () => {
    expect((await runInProcess(args())).code).to.equal(0);
    const file = path.join(out, 'Fizica - linia de studiu romana/Year 1/101-all.ics');
    const first = parseIcs(await readFile(file, 'utf8'));
    const spec = DEFAULT_SPECS[0]!;
    const moved = { ...spec, groups: spec.groups.map((g) => ({ ...g, rows: g.rows.map((r) => ({ ...r, room: r.room === '2/I' ? 'pi' : r.room })) })) };
    pages.set(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/RO1.html`, {
      body: encodeIso88592(renderTimetablePage('Anul 1 x', moved.groups)),
      contentType: 'text/html',
    });
    expect((await runInProcess(args())).code).to.equal(0);
    const second = parseIcs(await readFile(file, 'utf8'));
    expect(second.events.map((e) => e.uid)).to.deep.equal(first.events.map((e) => e.uid));
    expect(second.events.find((e) => e.summary === '[C] Curs RO1')!.location).to.equal('pi, Observator');
    // RO1 moved its teacher's classes to pi while the other specs kept 2/I at the same hours: she is in two rooms at once.
    const { count, clashes } = JSON.parse(await readFile(path.join(out, 'data/clashes.json'), 'utf8')) as ClashesJson;
    expect(count).to.equal(2);
    expect(clashes.map((c) => [c.kind, c.teacher, c.day, c.startHour, c.endHour])).to.deep.equal([
      ['teacher', 'PÂRVULESCU Ana', 'Luni', 8, 10],
      ['teacher', 'PÂRVULESCU Ana', 'Joi', 12, 14],
    ]);
    expect(clashes[0]!.dates).to.include('2031-02-24');
    expect(clashes[0]!.classes.map((c) => [c.spec, c.room])).to.deep.equal([['DE2', '2/I'], ['HU1', '2/I'], ['RO3', '2/I'], ['RO1', 'pi']]);
    const report = JSON.parse(await readFile(path.join(out, 'data/build.json'), 'utf8'));
    expect(report.people.clashes).to.equal(2);
  });

  it('exits 1 when one page fails, naming it, with the others written', async () => {
    pages.delete(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/HU1.html`);
    const result = await runCli(args());
    expect(result.code).to.equal(1);
    expect(result.stdout).to.contain('3 specializations ok, 0 stale, 1 failed');
    expect(result.stdout).to.match(/error: HU1: .*HU1\.html: HTTP 404/);
    const files = await listFiles(out);
    expect(files).to.include('data/RO1.json');
    expect(files).not.to.include('data/HU1.json');
  });

  it('exits 3 with the URL and cause when the index cannot be reached', async () => {
    // --retries 0: a refused connection is refused again; retries have tests of their own.
    const result = await runCli([...args().slice(0, 2), '--schedule-root', 'http://127.0.0.1:9/files/orar', ...args().slice(4), '--retries', '0']);
    expect(result.code).to.equal(3);
    expect(result.stderr).to.contain('cannot reach 127.0.0.1:9: ECONNREFUSED');
    expect(result.stderr).to.contain('--schedule-root');
    expect(await listFiles(out)).to.deep.equal([]);
  });

  it('--calendar-file reads a saved academic-year page instead of the URL, with the same calendars', async () => {
    const byUrl = await runInProcess(args());
    expect(byUrl.code, byUrl.stderr).to.equal(0);
    const calendar = (dir: string) => readFile(path.join(dir, 'Fizica - linia de studiu romana/Year 1/101-1.ics'), 'utf8').then((t) => t.replace(/^(DTSTAMP|X-WR-CALDESC).*$/gm, ''));
    const saved = path.join(out + '.cache', 'saved page.html');
    await writeFile(saved, pages.get(CALENDAR_PATH)!.body);
    const second = await mkdtemp(path.join(tmpdir(), 'orar-cal-e2e-file-'));
    try {
      server.resetStats();
      const fileArgs = [...args().slice(0, 4), '--calendar-file', saved, '--out', second, '--cache-dir', `${second}.cache`];
      const byFile = await runInProcess(fileArgs);
      expect(byFile.code, byFile.stderr).to.equal(0);
      expect(server.stats.byPath[CALENDAR_PATH]).to.equal(undefined);
      expect(await calendar(second)).to.equal(await calendar(out));
      // A file that is not there: exit 2 before any request. Both flags: exit 2. A file that is not the page: exit 2, naming it, before any request.
      server.resetStats();
      const missing = await runInProcess([...fileArgs.slice(0, 4), '--calendar-file', `${saved}.nope`, '--out', second]);
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.contain(`--calendar-file ${saved}.nope: cannot read it (no such file)`);
      expect(await connectionsMade(server), 'connections made').to.equal(0);
      const both = await runInProcess([...args(), '--calendar-file', saved]);
      expect(both.code).to.equal(2);
      expect(both.stderr).to.match(/--calendar-url and --calendar-file both name the academic-year page/);
      await writeFile(`${saved}.txt`, '<html><body><h1>Not found</h1></body></html>');
      server.resetStats();
      const wrong = await runInProcess([...fileArgs.slice(0, 4), '--calendar-file', `${saved}.txt`, '--out', second]);
      expect(wrong.code).to.equal(2);
      expect(wrong.stderr).to.contain(`orar-cal: --calendar-file ${saved}.txt: no study-line sections found`);
      expect(await connectionsMade(server), 'connections made').to.equal(0);
    } finally {
      await rm(second, { recursive: true, force: true });
      await rm(`${second}.cache`, { recursive: true, force: true });
    }
  });

  it('exits 2 with the reason and the usage on a bad flag (every flag\'s checks: cli.test.ts)', async () => {
    const result = await runCli(['--concurrency', '0']);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/^orar-cal: --concurrency "0": expected a whole number from 1 to 32\n\nUsage: orar-cal/);
  });
});

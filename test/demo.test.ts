import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './cli-run.js';
import { parseIcs } from './ical.js';
import { demoFaculty } from '../src/demo/faculty.js';
import { parseAcademicYear } from '../src/scrape/academic-year.js';
import { parseIndex } from '../src/scrape/index-page.js';
import { parseTimetable } from '../src/scrape/timetable.js';
import { decodeIso88592 } from '../src/scrape/text.js';
import { teachingCalendarFor } from '../src/calendar/academic-calendar.js';

describe('the sample faculty', () => {
  const semester = { year: 2025, half: 2 } as const;
  const faculty = demoFaculty({ semester, seed: 2025 });
  const text = (path: string): string => decodeIso88592(faculty.page(path)!.body);

  it('is the same for the same seed, and different for another', () => {
    const again = demoFaculty({ semester, seed: 2025 });
    const other = demoFaculty({ semester, seed: 99 });
    const page = faculty.pagePaths[5]!;
    expect(again.page(page)!.body.equals(faculty.page(page)!.body)).to.equal(true);
    expect(other.page(page)!.body.equals(faculty.page(page)!.body)).to.equal(false);
  });

  it('has ~40 specializations in a bachelor and a master table, and scales', () => {
    const index = parseIndex(text(faculty.indexPath));
    expect(index.specs).to.have.length(40);
    expect(index.specs.filter((s) => s.master)).to.have.length(10);
    expect(demoFaculty({ semester, scale: 5 }).specCount).to.equal(200);
  });

  it('has the real shapes: group counts, row counts, slots, parity, rooms, letters', () => {
    const pages = faculty.pagePaths.map((p) => parseTimetable(text(p), p));
    const rows = pages.map((p) => p.groups.reduce((n, g) => n + g.entries.length, 0));
    const groups = pages.map((p) => p.groups.length);
    expect(Math.min(...rows)).to.be.at.least(10);
    expect(Math.max(...rows)).to.be.at.most(300);
    expect(Math.min(...groups)).to.equal(1);
    expect(Math.max(...groups)).to.equal(7);
    const entries = pages.flatMap((p) => p.groups.flatMap((g) => g.entries));
    const lengths = new Set(entries.map((e) => e.endHour - e.startHour));
    expect([...lengths].sort()).to.deep.equal([1, 2, 3]);
    expect(new Set(entries.map((e) => e.frequency))).to.deep.equal(new Set(['every', 'odd', 'even']));
    const rooms = new Set(entries.map((e) => e.room));
    for (const room of ['2/I', 'pi', 'neprecizat']) expect(rooms).to.include(room);
    expect(entries.some((e) => /[ÂŞŢáóőöü]/.test(e.professor))).to.equal(true);
    const names = pages.flatMap((p) => p.groups.map((g) => g.group));
    expect(names.some((g) => /^\d{4}$/.test(g))).to.equal(true);
    expect(names.some((g) => /^\d+\/\d$/.test(g))).to.equal(true);
    expect(pages.some((p) => p.groups.every((g) => g.entries.every((e) => !/^\d/.test(e.formation))))).to.equal(true);
    expect(pages.every((p) => p.warnings.length === 0)).to.equal(true);
  });

  it('serves an academic-year page for the semester asked, in the real structure', () => {
    const year = parseAcademicYear(faculty.page(faculty.calendarPath)!.body.toString('utf8'));
    expect(year.startYear).to.equal(2025);
    expect(year.sections.map((s) => s.lines)).to.deep.equal([['romanian'], ['hungarian', 'german']]);
    for (const line of ['romanian', 'hungarian'] as const) {
      const final = teachingCalendarFor(year, { line, semester, finalYear: true });
      const regular = teachingCalendarFor(year, { line, semester, finalYear: false });
      expect(final.periods.at(-1)!.end < regular.periods.at(-1)!.end).to.equal(true);
      expect(regular.holidays.length).to.be.greaterThan(0);
    }
  });

  // One run of the built program for both: a --demo run costs seconds.
  it('--demo (built program) serves the sample faculty on loopback, writes a full site, and nothing outside --out (its HTTP cache is a temporary folder removed at exit)', async function () {
    this.timeout(60000);
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-demo-cwd-'));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-demo-tmp-'));
    try {
      const result = await runCli(['--demo', '--semester', '2025-2', '--out', 'out'], { TMPDIR: tmp }, cwd);
      expect(result.code, result.stderr).to.equal(0);
      expect(fs.readdirSync(cwd)).to.deep.equal(['out']);
      expect(fs.readdirSync(tmp)).to.deep.equal([]);
      expect(result.stdout).to.match(/40 specializations ok, 0 stale, 0 failed/);
      expect(result.stdout).to.contain('npm run serve -- --dir out, then open http://127.0.0.1:8080/');
      const out = path.join(cwd, 'out');
      const build = JSON.parse(fs.readFileSync(path.join(out, 'data/build.json'), 'utf8'));
      expect(build.semester).to.equal('2025-2');
      expect(build.totals.events).to.be.greaterThan(10000);
      const ics = parseIcs(fs.readFileSync(path.join(out, 'Informatica - in limba engleza/Year 2/921-1.ics'), 'utf8'));
      expect(ics.events.length).to.be.greaterThan(50);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { academicYearProblem, missingTables, teachingCalendarFor } from '../src/calendar/academic-calendar.js';
import { calendarKeyOf } from '../src/calendar/study-line.js';
import type { CalendarKey, Semester, Spec, StudyLine } from '../src/model.js';
import { calendarJson, weeksCalendars } from '../src/output/site-index.js';
import { parseAcademicYear, semesterLabel, type AcademicYear } from '../src/scrape/academic-year.js';
import { runCli, runInProcess } from './cli-run.js';
import { fixtureBytes, fixtureText } from './helpers.js';

const sem1: Semester = { year: 2030, half: 1 };
const sem2: Semester = { year: 2030, half: 2 };
const spec = (over: Partial<Spec>): Spec => ({ code: 'X1', name: 'X', year: 1, master: false, ...over });

/** A page around `body`, in the university's frame (menu and footer headings). */
function page(body: string, title = 'Structura anului universitar 2030-2031'): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>
<nav><h2>Prezentare</h2><h2>Admitere</h2></nav>
<div id="content">${body}</div>
<footer><h2>WEBSITE</h2><h2>CONTACT</h2></footer></body></html>`;
}

/** A semester table: one teaching period 30.09-22.12 with 02.12 off, then a vacation. */
const ROWS = `
<tr><td>30.09.2030 - 22.12.2030</td><td>activitate didactică</td><td>12 săptămâni (luni, 02.12.2030, Ziua Marii Uniri - zi liberă)</td></tr>
<tr><td>23.12.2030 - 05.01.2031</td><td>vacanță de Crăciun</td><td>2 săptămâni</td></tr>`;
const TABLE = `<table>${ROWS}</table>`;
const LABELLED = `<p align="center"><strong>SEMESTRUL I</strong></p>${TABLE}`;
const FIRST_SEMESTER = { periods: [{ start: '2030-09-30', end: '2030-12-22' }], holidays: ['2030-12-02'] };

const linesOf = (year: AcademicYear): StudyLine[][] => year.sections.map((s) => s.lines);
const calendarOf = (html: string, line: StudyLine = 'romanian'): unknown =>
  teachingCalendarFor(parseAcademicYear(html), { line, semester: sem1, finalYear: false });

describe('academic-year page: study-line sections by what the heading says', () => {
  it('opens a section at an h1 naming two teaching languages ("Limbile de predare română și engleză")', () => {
    const year = parseAcademicYear(page(`<h1>Limbile de predare română și engleză</h1>${LABELLED}`));
    expect(linesOf(year)).to.deep.equal([['romanian', 'english']]);
    expect(year.sections[0]!.heading).to.equal('Limbile de predare română și engleză');
    expect(calendarOf(page(`<h1>Limbile de predare română și engleză</h1>${LABELLED}`))).to.deep.equal(FIRST_SEMESTER);
  });

  it('reads a page nesting 10,000 unclosed inline tags, after its content or in a block or heading: the same sections, no stack overflow', () => {
    const plain = page(`<h1>Limbile de predare română și engleză</h1>${LABELLED}`);
    for (const [open, close] of [['', ''], ['<div>', '</div>'], ['<h2>', '</h2>'], ['<p><b>', '</b></p>']]) {
      const deep = plain.replace('</body>', `${open}${'<font>'.repeat(10_000)}x${close}</body>`);
      expect(deep).to.not.equal(plain);
      expect(parseAcademicYear(deep).sections, open).to.deep.equal(parseAcademicYear(plain).sections);
    }
  });

  it('opens a section at a paragraph or block all in bold', () => {
    expect(linesOf(parseAcademicYear(page(`<p><strong>Linia de studiu </strong><b>Română</b></p>${LABELLED}`)))).to.deep.equal([['romanian']]);
    expect(linesOf(parseAcademicYear(page(`<div><b>Liniile de studiu Maghiară și Germană</b></div>${LABELLED}`)))).to.deep.equal([['hungarian', 'german']]);
    // Half bold is a sentence, not a heading.
    expect(parseAcademicYear(page(`<p><b>Linia</b> de studiu română</p>${LABELLED}`)).sections).to.deep.equal([]);
  });

  it('reads the language names with comma-below, cedilla or no diacritics, in any case', () => {
    for (const [heading, lines] of [
      ['<h3>LINIA DE STUDIU ROMÂNĂ</h3>', ['romanian']],
      ['<h2>Liniile de studiu maghiara si germana</h2>', ['hungarian', 'german']],
      ['<h2>Liniile de studiu Maghiară şi Germană</h2>', ['hungarian', 'german']],
      ['<h4>Limba de predare: engleză</h4>', ['english']],
    ] as const) {
      expect(linesOf(parseAcademicYear(page(heading + LABELLED))), heading).to.deep.equal([lines]);
    }
  });

  it('ignores headings naming no language, and language headings with no semester table under them', () => {
    const year = parseAcademicYear(
      page(`<h2>Linia de studiu în limba maghiară</h2><p>Vezi pagina liniei.</p><h2>Linia de studiu Română</h2>${LABELLED}`),
    );
    expect(linesOf(year)).to.deep.equal([['romanian']]);
    expect(year.leftovers!.emptySections).to.deep.equal(['Linia de studiu în limba maghiară']);
    expect(year.leftovers!.headings).to.include.members(['Prezentare', 'Admitere', 'WEBSITE', 'CONTACT']);
  });

  it('ends a section at a plain heading of its rank, not at a bold note inside it', () => {
    const html = page(`<h2>Linia de studiu Română</h2><p><b>Notă</b></p>${LABELLED}<h2>Arhivă</h2>${LABELLED.replace('30.09', '01.10')}`);
    const year = parseAcademicYear(html);
    expect(teachingCalendarFor(year, { line: 'romanian', semester: sem1, finalYear: false })).to.deep.equal(FIRST_SEMESTER);
    expect(year.leftovers!.unplacedTables).to.have.length(1);
  });

  it('finds the academic year in <title> when the page has no title heading', () => {
    const year = parseAcademicYear(page(`<h1>Limbile de predare română și engleză</h1>${LABELLED}`, 'Structura anului universitar 2030–2031 | UBB'));
    expect(year.startYear).to.equal(2030);
  });
});

describe('academic-year page: semester tables by their label', () => {
  it('reads the labels in every wording, case and dash', () => {
    const cases: [string, string | null][] = [
      ['SEMESTRUL I', 'I'],
      ['semestrul i', 'I'],
      ['Semestrul 1', 'I'],
      ['SEMESTRUL II', 'II'],
      ['Semestrul al II-lea', 'II'],
      ['Semestrul al II – lea', 'II'],
      ['SEMESTRUL II - Anii terminali', 'II-final'],
      ['Semestrul al II-lea – anii terminali', 'II-final'],
      ['SEMESTRUL II — ANII TERMINALI', 'II-final'],
      ['Anii terminali', 'II-final'],
      ['Semestrul I începe luni', null],
      ['Perioada', null],
    ];
    for (const [text, table] of cases) expect(semesterLabel(text), text).to.equal(table);
  });

  it('finds the label in a header row inside the table', () => {
    const html = page(`<h2>Linia de studiu Română</h2><table><tr><th colspan="3">SEMESTRUL I</th></tr><tr><th>Perioada</th><th>Activitatea</th></tr>${ROWS}</table>`);
    expect(calendarOf(html)).to.deep.equal(FIRST_SEMESTER);
  });

  it('finds the label in a caption, or in a heading above the table', () => {
    expect(calendarOf(page(`<h2>Linia de studiu Română</h2><table><caption>Semestrul I</caption>${ROWS}</table>`))).to.deep.equal(FIRST_SEMESTER);
    expect(calendarOf(page(`<h1>Linia de studiu Română</h1><h3>Semestrul I</h3>${TABLE}`))).to.deep.equal(FIRST_SEMESTER);
  });

  it('splits one table into the parts its header rows label', () => {
    const second = ROWS.replace('30.09.2030 - 22.12.2030', '24.02.2031 - 13.04.2031').replace('02.12.2030', '11.04.2031');
    const final = ROWS.replace('30.09.2030 - 22.12.2030', '24.02.2031 - 06.04.2031').replace('02.12.2030', '03.04.2031');
    const html = page(
      `<h2>Linia de studiu Română</h2><table><tr><td colspan="3"><b>SEMESTRUL I</b></td></tr>${ROWS}` +
        `<tr><th colspan="3">Semestrul al II-lea</th></tr>${second}<tr><th colspan="3">Semestrul al II-lea – anii terminali</th></tr>${final}</table>`,
    );
    const year = parseAcademicYear(html);
    expect(Object.keys(year.sections[0]!.tables)).to.deep.equal(['I', 'II', 'II-final']);
    expect(teachingCalendarFor(year, { line: 'romanian', semester: sem2, finalYear: false }).holidays).to.deep.equal(['2031-04-11']);
    expect(teachingCalendarFor(year, { line: 'romanian', semester: sem2, finalYear: true }).periods).to.deep.equal([{ start: '2031-02-24', end: '2031-04-06' }]);
  });

  it('reports a table of dates it could not label', () => {
    const year = parseAcademicYear(page(`<h2>Linia de studiu Română</h2>${TABLE}`));
    expect(year.sections).to.deep.equal([]);
    expect(year.leftovers!.unplacedTables).to.deep.equal([
      'a table with no semester label under "Linia de studiu Română", starting 2030-09-30 activitate didactică',
    ]);
  });
});

describe('academic-year page: dates and holidays', () => {
  const withRow = (range: string, notes = '12 săptămâni (luni, 02.12.2030, Ziua Marii Uniri - zi liberă)'): string =>
    page(`<h2>Linia de studiu Română</h2><p><b>SEMESTRUL I</b></p><table><tr><td>${range}</td><td>activitate didactică</td><td>${notes}</td></tr></table>`);

  it('reads ranges with a hyphen, en or em dash, "până la", and weekday names', () => {
    for (const range of ['30.09.2030 - 22.12.2030', '30.09.2030 – 22.12.2030', '30.09.2030—22.12.2030', '30.09.2030 până la 22.12.2030', '30.09.2030 pana la 22.12.2030', 'luni, 30.09.2030 – duminică, 22.12.2030']) {
      expect(calendarOf(withRow(range)), range).to.deep.equal(FIRST_SEMESTER);
    }
  });

  it('names holidays written without weekday names, with en dashes and a cedilla "şi"', () => {
    const year = parseAcademicYear(
      withRow('30.09.2030 – 22.12.2030', '12 săptămâni (02.12.2030, Ziua Marii Uniri – zi liberă; 06.12.2030, Sfântul Nicolae şi marţi, 10.12.2030, Ziua X – zile libere)'),
    );
    expect(year.sections[0]!.tables.I![0]!.holidayNames).to.deep.equal({
      '2030-12-02': 'Ziua Marii Uniri',
      '2030-12-06': 'Sfântul Nicolae',
      '2030-12-10': 'Ziua X',
    });
    // Two dates joined by "și" with no weekday between them: the "și" belongs to neither name.
    const joined = parseAcademicYear(withRow('30.09.2030 – 22.12.2030', '(06.01.2031, Boboteaza și 07.01.2031, Sfântul Ioan – zile libere)'));
    expect(joined.sections[0]!.tables.I![0]!.holidayNames).to.deep.equal({ '2031-01-06': 'Boboteaza', '2031-01-07': 'Sfântul Ioan' });
  });
});

describe('academic-year page: a whole page in the new forms', () => {
  const before = parseAcademicYear(fixtureText('academic-year.html'));
  const after = parseAcademicYear(fixtureText('academic-year-new-forms.html'));

  it('gives the same teaching calendar for every line, semester and final-year table', () => {
    const keys: CalendarKey[] = (['romanian', 'hungarian', 'german', 'english'] as const).flatMap((line) => [
      { line, semester: sem1, finalYear: false },
      { line, semester: sem2, finalYear: false },
      { line, semester: sem2, finalYear: true },
    ]);
    for (const key of keys) {
      expect(teachingCalendarFor(after, key), JSON.stringify(key)).to.deep.equal(teachingCalendarFor(before, key));
    }
    expect(after.startYear).to.equal(before.startYear);
    expect(after.sections.map((s) => s.lines)).to.deep.equal([['romanian', 'english'], ['hungarian', 'german']]);
  });
});

describe('English-taught programmes', () => {
  const ie = spec({ code: 'IE1', name: 'Informatica - in limba engleza' });
  const ro = spec({ code: 'I1', name: 'Informatica - linia de studiu romana' });
  const withoutEnglish = parseAcademicYear(page(`<h2>Linia de studiu Română</h2>${LABELLED}`));
  const english = `<h2>Linia de studiu engleză</h2><p><b>SEMESTRUL I</b></p><table>${ROWS.replace('30.09.2030', '07.10.2030')}</table>`;
  const withEnglish = parseAcademicYear(page(`<h2>Linia de studiu Română</h2>${LABELLED}${english}`));

  it('follow the Romanian line when the page has no English section, with no English files', () => {
    expect(calendarKeyOf(ie, sem1).line).to.equal('english');
    expect(teachingCalendarFor(withoutEnglish, calendarKeyOf(ie, sem1))).to.deep.equal(teachingCalendarFor(withoutEnglish, calendarKeyOf(ro, sem1)));
    expect(weeksCalendars(withoutEnglish, sem1, []).map((f) => f.path)).to.deep.equal(['weeks-romanian.ics']);
    expect(Object.keys((calendarJson(withoutEnglish, sem1) as { calendars: object }).calendars)).to.deep.equal(['romanian/I']);
  });

  it('use the English section when the page gives English its own', () => {
    expect(teachingCalendarFor(withEnglish, calendarKeyOf(ie, sem1)).periods[0]!.start).to.equal('2030-10-07');
    expect(teachingCalendarFor(withEnglish, calendarKeyOf(ro, sem1)).periods[0]!.start).to.equal('2030-09-30');
    expect(weeksCalendars(withEnglish, sem1, []).map((f) => f.path)).to.deep.equal(['weeks-romanian.ics', 'weeks-english.ics']);
    expect(Object.keys((calendarJson(withEnglish, sem1) as { calendars: object }).calendars)).to.deep.equal(['romanian/I', 'english/I']);
  });
});

describe('why a page cannot be used', () => {
  it('names the headings and the unlabelled tables found instead of sections', () => {
    const year = parseAcademicYear(fixtureText('academic-year-unlabelled.html'));
    const problem = academicYearProblem(year, sem1)!;
    expect(problem).to.match(/^no study-line sections found/);
    expect(problem).to.contain('"Calendarul activităților"').and.contain('"CONTACT"');
    expect(problem).to.contain('a table with no semester label, starting 2030-09-30 activitate didactică');
  });

  it('names a semester table no section has, and each line without its tables', () => {
    const year = parseAcademicYear(page(`<h2>Linia de studiu Română</h2>${LABELLED}`));
    expect(academicYearProblem(year, sem1)).to.equal(null);
    expect(academicYearProblem(year, sem2)).to.match(/^no "SEMESTRUL II" table in any study-line section \("Linia de studiu Română"\)/);
    expect(academicYearProblem(year, { year: 2031, half: 1 })).to.match(/describes 2030-2031/);
    expect(missingTables(year, ['I'])).to.deep.equal(['no section for the Hungarian line', 'no section for the German line']);
  });
});

describe('orar-cal academic-year (built program)', () => {
  const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const noStack = (stderr: string): void => {
    expect(stderr).not.to.match(/\n\s+at /);
  };

  it('prints each line\'s tables with periods, vacations, named holidays and numbered weeks', async () => {
    const r = await runCli(['academic-year', '--calendar-file', fixture('academic-year-new-forms.html'), '--semester', '2030-1']);
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain('academic year 2030-2031, 2 study-line section(s)');
    expect(r.stdout).to.contain('Romanian and English lines: "Limbile de predare română și engleză"');
    expect(r.stdout).to.contain('teaching periods: Mon 30.09.2030 - Sun 22.12.2030, Mon 06.01.2031 - Sun 19.01.2031');
    expect(r.stdout).to.contain('vacations: Mon 23.12.2030 - Sun 05.01.2031 vacanţă de Crăciun');
    expect(r.stdout).to.contain('holidays: Mon 02.12.2030 Ziua Marii Uniri; Mon 06.01.2031 Boboteaza; Tue 07.01.2031 Sfântul Ioan');
    expect(r.stdout).to.contain('week 10 even Mon 02.12.2030 - Fri 06.12.2030  holiday: Mon 02.12.2030 Ziua Marii Uniri');
    expect(r.stdout).to.contain('week 14 even Mon 13.01.2031 - Fri 17.01.2031');
    expect(r.stdout).not.to.contain('SEMESTRUL II');
  });

  it('exits 2 naming what it found when the page has no study-line section', async () => {
    const r = await runInProcess(['academic-year', '--calendar-file', fixture('academic-year-unlabelled.html')]);
    expect(r.code).to.equal(2);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/academic-year-unlabelled\.html: no study-line sections found/);
    expect(r.stderr).to.contain('"Calendarul activităților"').and.contain('a table with no semester label');
    noStack(r.stderr);
  });

  it('exits 2 when a line lacks a table, or the page is for another year', async () => {
    const missing = await runInProcess(['academic-year', '--calendar-file', fixture('academic-year-new-forms.html'), '--semester', '2031-2']);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/cannot serve semester 2031-2:\n {2}- the academic-year page describes 2030-2031/);
  });

  it('exits 2 with one line on bad flags, both sources, or an unreadable file', async () => {
    const cases = [
      ['--calendar-flie', 'x.html'],
      ['--calendar-url', 'http://127.0.0.1:9/', '--calendar-file', 'x.html'],
      ['--semester', '2030-3'],
      ['--calendar-url', 'ftp://example.org/x'],
      ['--calendar-file', fixture('no-such-page.html')],
      ['--calendar-file', fixture('')],
    ];
    const results = [];
    for (const args of cases) results.push(await runInProcess(['academic-year', ...args]));
    for (const [i, args] of cases.entries()) {
      const r = results[i]!;
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.stderr.split('\n')[0], args.join(' ')).to.match(/^orar-cal academic-year: (Unknown option|give --calendar-url or --calendar-file, not both|--semester "2030-3"|--calendar-url "ftp:|--calendar-file .*(no such file|it is a folder))/);
      noStack(r.stderr);
    }
  });

  describe('from a URL', () => {
    let server: http.Server;
    let base: string;
    before(async () => {
      server = http.createServer((req, res) => {
        if (req.url === '/structura') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(fixtureBytes('academic-year.html'));
        else res.writeHead(404).end('not found');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('reads the page a server gives', async () => {
      const r = await runInProcess(['academic-year', '--calendar-url', `${base}/structura`, '--semester', '2030-2']);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.contain('Hungarian and German lines: "Liniile de studiu Maghiară și Germană"');
      expect(r.stdout).to.contain('SEMESTRUL II - Anii terminali');
    });

    it('exits 3 when the page cannot be fetched', async () => {
      const r = await runInProcess(['academic-year', '--calendar-url', `${base}/moved`]);
      expect(r.code).to.equal(3);
      expect(r.stderr).to.match(/^orar-cal academic-year: .*\/moved.*404.* - check the network, or save the page and pass --calendar-file\n$/);
    });
  });
});

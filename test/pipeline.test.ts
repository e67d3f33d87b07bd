import { expect } from 'chai';
import nock from 'nock';
import { performance } from 'node:perf_hooks';
import { createHttpClient } from '../src/net/client.js';
import { run, type RunOptions } from '../src/pipeline.js';
import { FatalError, LEGEND_KEPT, LEGEND_UNUSED, RunUsageError, exitCodeOf } from '../src/report.js';
import { CALENDAR_PATH, DEFAULT_SPECS, SCHEDULE_ROOT_PATH, facultyPages, testSpec, type Served } from './faculty.js';
import { memoryWriter } from './memory-writer.js';

const ORIGIN = 'http://orar.test';
const UNIV = 'http://univ.test';

const options = (over: Partial<RunOptions> = {}): RunOptions => ({
  semester: { year: 2030, half: 2 },
  scheduleRoot: `${ORIGIN}${SCHEDULE_ROOT_PATH}`,
  calendarUrl: `${UNIV}${CALENDAR_PATH}`,
  concurrency: 6,
  only: null,
  ...over,
});

const deps = (writer = memoryWriter()) => ({
  // One attempt per request here: retries have tests of their own.
  http: createHttpClient({ userAgent: 'orar-cal-test', timeoutMs: 5000, maxBytes: 5_000_000, retry: { attempts: 1 } }),
  writer,
  now: () => new Date('2030-11-28T10:00:00Z'),
  clock: () => performance.now(),
});

/** Serves the pages with nock, counting requests per path; each path answers `times` times at most. */
function serve(pages: Map<string, Served>, hooks: { delayMs?: number; holdUntil?: (path: string) => Promise<void> | undefined; onRequest?: (path: string) => void; onDone?: (path: string) => void } = {}) {
  const counts = new Map<string, number>();
  for (const [path, page] of pages) {
    const origin = path === CALENDAR_PATH ? UNIV : ORIGIN;
    nock(origin)
      .get(path)
      .times(5)
      .reply(async () => {
        counts.set(path, (counts.get(path) ?? 0) + 1);
        hooks.onRequest?.(path);
        if (hooks.delayMs) await new Promise((r) => setTimeout(r, hooks.delayMs));
        await hooks.holdUntil?.(path);
        hooks.onDone?.(path);
        return [200, page.body, { 'content-type': page.contentType }];
      });
  }
  return counts;
}

/** A site as a first run writes it from the test faculty (its writer's files); the network mocks are cleared after. */
async function publishedSite(): Promise<ReturnType<typeof memoryWriter>> {
  serve(facultyPages());
  const first = memoryWriter();
  await run(options(), deps(first));
  nock.cleanAll();
  return first;
}

describe('pipeline (nock)', () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('fetches and generates a code listed twice only once', async () => {
    const counts = serve(facultyPages(DEFAULT_SPECS, { duplicate: 'RO1' }));
    const writer = memoryWriter();
    const report = await run(options(), deps(writer));
    expect(counts.get(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/RO1.html`)).to.equal(1);
    expect(report.specs.map((s) => s.code)).to.deep.equal(['RO1', 'RO3', 'HU1', 'DE2']);
    expect(report.totals).to.include({ specsOk: 4, specsFailed: 0, files: 12 });
    expect(exitCodeOf(report)).to.equal(0);
  });

  it('fetches the academic page once for many specs across three study lines', async () => {
    const specs = [
      ...DEFAULT_SPECS,
      testSpec('RO2', 'Fizica - linia de studiu romana', 2),
      testSpec('HU2', 'Fizica - linia de studiu maghiara', 2),
      testSpec('HU3', 'Fizica - linia de studiu maghiara', 3),
      testSpec('DE1', 'Fizica - in limba germana', 1),
      testSpec('DE3', 'Fizica - in limba germana', 3),
    ];
    const counts = serve(facultyPages(specs), { delayMs: 20 });
    const writer = memoryWriter();
    const report = await run(options(), deps(writer));
    expect(report.totals.specsOk).to.equal(9);
    expect(counts.get(CALENDAR_PATH)).to.equal(1);
    // The lines really got different tables: Hungarian ends Easter a week earlier.
    const ro = JSON.parse(writer.files.get('data/RO1.json')!);
    const hu = JSON.parse(writer.files.get('data/HU1.json')!);
    const de = JSON.parse(writer.files.get('data/DE1.json')!);
    expect(ro.studyLine).to.equal('romanian');
    expect(hu.studyLine).to.equal('hungarian');
    expect(de.studyLine).to.equal('german');
    const mondays = (json: { groups: { entries: { day: string; dates: string[] }[] }[] }) =>
      json.groups[0]!.entries.find((e) => e.day === 'Luni')!.dates;
    expect(mondays(ro)).to.include('2031-04-07');
    expect(mondays(hu)).not.to.include('2031-04-07');
    // Final years stop on 25 May.
    const ro3 = JSON.parse(writer.files.get('data/RO3.json')!);
    expect(ro3.finalYear).to.equal(true);
    expect(mondays(ro3).at(-1)).to.equal('2031-05-19');
    expect(mondays(ro).at(-1)).to.equal('2031-06-02');
  });

  it('makes teachers\' and rooms\' calendars while a page is late, and at the end only those that page names; the files are those of a run with no wait', async () => {
    // The late spec's classes are all Lect. POP Ion's, in L001: no other spec names them.
    const late = testSpec('DE2', 'Fizica - in limba germana', 2);
    for (const group of late.groups) group.rows = group.rows.map((r) => ({ ...r, professor: 'Lect. POP Ion', room: 'L001' }));
    const specs = [...DEFAULT_SPECS.filter((s) => s.code !== 'DE2'), late];
    serve(facultyPages(specs));
    const prompt = memoryWriter();
    const once = await run(options(), deps(prompt));
    nock.cleanAll();
    // DE2 answers once the other specs' teachers and rooms have their calendars (or after 10 s: the counts then fail).
    const waited = memoryWriter();
    const ahead = ['teachers/parvulescu-ana.ics', 'teachers/kovacs-tamas.ics', 'rooms/2-i.ics', 'rooms/pi.ics'];
    const madeAhead = new Promise<void>((resolve) => {
      const write = waited.write.bind(waited);
      const timeout = setTimeout(resolve, 10_000);
      waited.write = (files) => {
        write(files);
        if (ahead.every((p) => waited.files.has(p))) {
          clearTimeout(timeout);
          setImmediate(resolve); // and the state shards they go with, on the next step
        }
      };
    });
    serve(facultyPages(specs), { holdUntil: (path) => (path.endsWith('/DE2.html') ? madeAhead : undefined) });
    const report = await run(options(), deps(waited));
    expect(once.people).to.deep.include({ files: 6, madeAhead: 0, madeAtEnd: 6 });
    expect(report.people).to.deep.include({ files: 6, madeAhead: 4, madeAtEnd: 2 });
    const peopleFiles = (w: typeof waited) => [...w.files].filter(([p]) => /^(teachers|rooms|data\/state\/people)\/|^data\/(teachers|room-index|occupancy|clashes)\.json$/.test(p)).sort();
    expect(peopleFiles(waited).map(([p]) => p)).to.include.members(['teachers/pop-ion.ics', 'rooms/l001.ics']);
    expect(peopleFiles(waited)).to.deep.equal(peopleFiles(prompt));
  });

  it('never has more than --concurrency page requests in flight', async () => {
    const specs = Array.from({ length: 12 }, (_, i) => testSpec(`RO${i + 1}`, `Program ${i + 1} - linia de studiu romana`, 1));
    let inFlight = 0;
    let peak = 0;
    const isPage = (path: string) => /\/tabelar\/RO\d+\.html$/.test(path);
    serve(facultyPages(specs), {
      delayMs: 30,
      onRequest: (p) => {
        if (!isPage(p)) return;
        inFlight += 1;
        peak = Math.max(peak, inFlight);
      },
      onDone: (p) => {
        if (isPage(p)) inFlight -= 1;
      },
    });
    const report = await run(options({ concurrency: 3 }), deps());
    expect(report.totals.specsOk).to.equal(12);
    expect(peak).to.equal(3);
  });

  it('reports a failing page, writes the others, and exits 1', async () => {
    const pages = facultyPages();
    pages.delete(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/HU1.html`);
    serve(pages);
    nock(ORIGIN).get(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/HU1.html`).reply(404, '<h1>Not Found</h1>');
    const writer = memoryWriter();
    const report = await run(options(), deps(writer));
    expect(report.totals).to.include({ specsOk: 3, specsFailed: 1 });
    expect(report.errors).to.deep.equal([
      {
        code: 'HU1',
        url: `${ORIGIN}${SCHEDULE_ROOT_PATH}/2030-2/tabelar/HU1.html`,
        message: `${ORIGIN}${SCHEDULE_ROOT_PATH}/2030-2/tabelar/HU1.html: HTTP 404 Not Found`,
      },
    ]);
    expect(exitCodeOf(report)).to.equal(1);
    expect(writer.files.has('data/RO1.json')).to.equal(true);
    expect(writer.files.has('data/HU1.json')).to.equal(false);
    const build = JSON.parse(writer.files.get('data/build.json')!);
    expect(build.specs.find((s: { code: string }) => s.code === 'HU1').status).to.equal('failed');
  });

  it('fails a page that is not a timetable, naming its URL', async () => {
    const pages = facultyPages();
    pages.set(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/DE2.html`, { body: Buffer.from('<html><body>Service temporarily unavailable</body></html>'), contentType: 'text/html' });
    serve(pages);
    const report = await run(options(), deps());
    expect(report.errors.map((e) => e.code)).to.deep.equal(['DE2']);
    expect(report.errors[0]!.message).to.match(/DE2\.html: no "Grupa" heading with a table: not a timetable page$/);
  });

  it('takes a page with no group table yet as a spec with no groups: ok, a warning, exit 0', async () => {
    const pages = facultyPages();
    pages.set(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/DE2.html`, {
      body: Buffer.from('<html><head><title>Anul 2</title></head><body><center>\n<h1>Orar Anul 2 Informatica - linia de studiu germana</h1>\n</center></body></html>'),
      contentType: 'text/html; charset=iso-8859-2',
    });
    serve(pages);
    const writer = memoryWriter();
    const report = await run(options(), deps(writer));
    expect(exitCodeOf(report)).to.equal(0);
    const de2 = report.specs.find((s) => s.code === 'DE2')!;
    expect(de2).to.include({ status: 'ok', groups: 0, files: 0, events: 0 });
    expect(de2.warnings).to.deep.equal(['DE2: the page has no group table yet (timetable not published)']);
    expect(JSON.parse(writer.files.get('data/DE2.json')!).groups).to.deep.equal([]);
  });

  it('ends the run when the index is not there (404), pointing at --semester, not at the network', async () => {
    serve(new Map([...facultyPages()].filter(([p]) => !p.endsWith('index.html'))));
    nock(ORIGIN).get(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/index.html`).reply(404, 'no such page');
    let error: unknown;
    await run(options(), deps(memoryWriter())).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(FatalError);
    expect((error as Error).message).to.equal(
      `${ORIGIN}${SCHEDULE_ROOT_PATH}/2030-2/tabelar/index.html: HTTP 404 Not Found - no timetable of semester 2030-2 there; check --semester (and --schedule-root)`,
    );
  });

  it('ends the run (exit 3) when the index page cannot be reached', async () => {
    serve(new Map([...facultyPages()].filter(([p]) => !p.endsWith('index.html'))));
    nock(ORIGIN).get(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/index.html`).replyWithError(Object.assign(new Error('getaddrinfo ENOTFOUND orar.test'), { code: 'ENOTFOUND' }));
    const writer = memoryWriter();
    let error: unknown;
    await run(options(), deps(writer)).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(FatalError);
    expect((error as Error).message).to.equal(`${ORIGIN}${SCHEDULE_ROOT_PATH}/2030-2/tabelar/index.html: cannot reach orar.test: ENOTFOUND (no such host) - check the network and --schedule-root`);
    expect(writer.files.size).to.equal(0);
  });

  it('ends the run (exit 3) when the academic page fails, fetching it once', async () => {
    serve(new Map([...facultyPages()].filter(([p]) => p !== CALENDAR_PATH)));
    let calls = 0;
    nock(UNIV).get(CALENDAR_PATH).times(3).reply(() => {
      calls += 1;
      return [503, 'busy'];
    });
    const writer = memoryWriter();
    let error: unknown;
    await run(options(), deps(writer)).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(FatalError);
    expect((error as Error).message).to.match(/structura_anului_universitar: HTTP 503.* - check the network and --calendar-url/);
    expect(calls).to.equal(1);
    expect(writer.files.size).to.equal(0);
  });

  it("uses the room legend the current site keeps when the legend fails or lists no room, loudly; with none kept, leaves locations out", async () => {
    const first = await publishedSite();
    const legendPath = `${SCHEDULE_ROOT_PATH}/2030-2/sali/legenda.html`;
    const withoutLegend = () => new Map([...facultyPages()].filter(([p]) => p !== legendPath));
    const cases: [string, () => void][] = [
      ['unreachable', () => nock(ORIGIN).get(legendPath).reply(503, 'busy')],
      ['no room listed', () => nock(ORIGIN).get(legendPath).reply(200, '<html><body><h1>Legenda</h1></body></html>', { 'content-type': 'text/html' })],
    ];
    for (const [what, answer] of cases) {
      serve(withoutLegend());
      answer();
      const writer = memoryWriter(new Map(first.files));
      const report = await run(options(), deps(writer));
      expect(exitCodeOf(report), what).to.equal(0);
      expect(report.warnings.filter((w) => w.startsWith(LEGEND_KEPT)), what).to.have.length(1);
      // The same rooms: every calendar as it was, for subscribers nothing changed.
      expect(report.specs.every((s) => s.unchanged), what).to.equal(true);
      for (const [file, content] of first.files) if (file.endsWith('.ics')) expect(writer.files.get(file), file).to.equal(content);
      expect(writer.files.get('data/rooms.json'), what).to.equal(first.files.get('data/rooms.json'));
      nock.cleanAll();
    }
    // A site of another semester keeps no legend of this one's; a new site none at all.
    const other = new Map(first.files);
    other.set('data/index.json', first.files.get('data/index.json')!.replace('"semester": "2030-2"', '"semester": "2030-1"'));
    expect(other.get('data/index.json')).to.include('"semester": "2030-1"');
    for (const [what, current] of [['another semester', other], ['no site', new Map<string, string>()]] as const) {
      serve(withoutLegend());
      nock(ORIGIN).get(legendPath).reply(503, 'busy');
      const writer = memoryWriter(new Map(current));
      const report = await run(options(), deps(writer));
      expect(report.warnings.filter((w) => w.startsWith(LEGEND_UNUSED)), what).to.have.length(1);
      expect(writer.files.get('data/rooms.json'), what).to.equal('{}\n');
      nock.cleanAll();
    }
  });

  it('uses the academic calendar the current site keeps when the page fails, loudly, and exits 1', async () => {
    const first = await publishedSite();
    const cases: [string, () => void][] = [
      ['unreachable', () => nock(UNIV).get(CALENDAR_PATH).reply(503, 'busy')],
      ['not the academic-year page', () => nock(UNIV).get(CALENDAR_PATH).reply(200, '<html><h1>Pagina nu a fost gasita</h1></html>', { 'content-type': 'text/html' })],
    ];
    for (const [what, answer] of cases) {
      serve(new Map([...facultyPages()].filter(([p]) => p !== CALENDAR_PATH)));
      answer();
      const writer = memoryWriter(new Map(first.files));
      const report = await run(options(), deps(writer));
      expect(exitCodeOf(report), what).to.equal(1);
      expect(report.academicYear?.source, what).to.equal('stored copy');
      expect(report.errors[0]!.code, what).to.equal('academic-year');
      expect(report.errors[0]!.message, what).to.match(/the academic-year page could not be used \(.*\); the teaching calendar kept in data\/calendar\.json/);
      // Every spec as it would be from the page: same inputs, so carried over whole.
      expect(report.totals, what).to.include({ specsOk: 4, specsStale: 0, specsFailed: 0 });
      expect(report.specs.every((s) => s.unchanged), what).to.equal(true);
      for (const [file, content] of first.files) if (file.endsWith('.ics')) expect(writer.files.get(file), file).to.equal(content);
      const calendar = JSON.parse(writer.files.get('data/calendar.json')!);
      expect(calendar.fallback, what).to.deep.equal({ since: report.generatedAt, reason: report.errors[0]!.message });
      expect(calendar.academicYear, what).to.deep.equal(JSON.parse(first.files.get('data/calendar.json')!).academicYear);
      // A second run in a row without the page: still "since" the first one.
      nock.cleanAll();
      serve(new Map([...facultyPages()].filter(([p]) => p !== CALENDAR_PATH)));
      answer();
      const later = memoryWriter(new Map(writer.files));
      await run(options(), { ...deps(later), now: () => new Date('2030-11-29T10:00:00Z') });
      expect(JSON.parse(later.files.get('data/calendar.json')!).fallback.since, what).to.equal(report.generatedAt);
      nock.cleanAll();
    }
  });

  it('keeps the academic year as read, without what the parser could not place, and names each spec\'s calendar entry', async () => {
    serve(facultyPages());
    const writer = memoryWriter();
    await run(options(), deps(writer));
    const calendar = JSON.parse(writer.files.get('data/calendar.json')!);
    expect(Object.keys(calendar.academicYear).sort()).to.deep.equal(['sections', 'startYear']);
    for (const [code, key] of [['RO1', 'romanian/II'], ['RO3', 'romanian/II-final'], ['HU1', 'hungarian/II'], ['DE2', 'german/II']] as const) {
      const spec = JSON.parse(writer.files.get(`data/${code}.json`)!);
      expect(spec.calendarKey, code).to.equal(key);
      expect(calendar.calendars[key], code).to.be.an('object');
    }
  });

  it('names in the report each teaching-weeks calendar the academic page has no table for, and writes the others', async () => {
    const pages = facultyPages([testSpec('RO1', 'Informatica - linia de studiu romana', 1)]);
    const academic = pages.get(CALENDAR_PATH)!.body.toString('utf8');
    // The page without its Hungarian and German section: the Romanian tables only.
    const cut = academic.slice(0, academic.indexOf('<h2><strong>Liniile de studiu')) + academic.slice(academic.indexOf('</div>\n</div>\n<footer>'));
    pages.set(CALENDAR_PATH, { ...pages.get(CALENDAR_PATH)!, body: Buffer.from(cut) });
    serve(pages);
    const writer = memoryWriter();
    const report = await run(options(), deps(writer));
    const weeks = report.warnings.filter((w) => w.startsWith('no teaching-weeks calendar'));
    expect(weeks).to.deep.equal([
      'no teaching-weeks calendar for the Hungarian line: the academic-year page has no such table',
      'no teaching-weeks calendar for the Hungarian line, final years: the academic-year page has no such table',
      'no teaching-weeks calendar for the German line: the academic-year page has no such table',
      'no teaching-weeks calendar for the German line, final years: the academic-year page has no such table',
    ]);
    expect([...writer.files.keys()].filter((p) => p.startsWith('weeks-')).sort()).to.deep.equal(['weeks-romanian-final.ics', 'weeks-romanian.ics']);
  });

  it('keeps the calendars of a spec whose page lost every group table, marked stale', async () => {
    const first = await publishedSite();
    const pages = facultyPages();
    pages.set(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/DE2.html`, {
      body: Buffer.from('<html><head><title>Anul 2</title></head><body><center>\n<h1>Orar Anul 2 Informatica - linia de studiu germana</h1>\n</center></body></html>'),
      contentType: 'text/html; charset=iso-8859-2',
    });
    serve(pages);
    const writer = memoryWriter(new Map(first.files));
    const report = await run(options(), deps(writer));
    const de2 = report.specs.find((s) => s.code === 'DE2')!;
    expect(de2.status).to.equal('stale');
    expect(de2.error!.message).to.match(/DE2\.html: the page lists no group table any more; the previous calendars are kept$/);
    for (const [file, content] of first.files) if (file.endsWith('.ics') && file.includes('germana')) expect(writer.files.get(file), file).to.equal(content);
  });

  it('--only on a site of another semester is a usage error: the site would mix two semesters', async () => {
    const first = await publishedSite();
    serve(facultyPages());
    const current = new Map(first.files);
    current.set('data/index.json', JSON.stringify({ ...JSON.parse(current.get('data/index.json')!), semester: '2030-1' }));
    const error = await run(options({ only: ['RO1'] }), deps(memoryWriter(current))).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RunUsageError);
    expect((error as Error).message).to.match(/the site is of 2030-1 and this run of 2030-2; run without --only/);
  });

  it('does not take another semester\'s published events as this one\'s history (no cancelled carry-over)', async () => {
    const first = await publishedSite();
    const pages = facultyPages();
    // RO1 loses a row: with its own history that would be a CANCELLED event.
    const ro1 = `${SCHEDULE_ROOT_PATH}/2030-2/tabelar/RO1.html`;
    pages.set(ro1, { ...pages.get(ro1)!, body: Buffer.from(pages.get(ro1)!.body.toString('latin1').replace(/<tr align=center>\n<td>Luni<\/td>[\s\S]*?<\/tr>\n/, ''), 'latin1') });
    serve(pages);
    const current = new Map(first.files);
    current.set('data/RO1.json', JSON.stringify({ ...JSON.parse(current.get('data/RO1.json')!), semester: '2029-2' }));
    const writer = memoryWriter(current);
    await run(options(), deps(writer));
    const ro1Files = [...writer.files].filter(([f]) => f.startsWith('Fizica - linia de studiu romana/Year 1/'));
    expect(ro1Files.length).to.be.greaterThan(0);
    for (const [file, content] of ro1Files) expect(content, file).not.to.contain('STATUS:CANCELLED');
    // With its own semester's history the same change cancels the row's events.
    nock.cleanAll();
    serve(pages);
    const same = memoryWriter(new Map(first.files));
    await run(options(), deps(same));
    expect([...same.files].some(([f, c]) => f.startsWith('Fizica - linia de studiu romana/Year 1/') && c.includes('STATUS:CANCELLED'))).to.equal(true);
  });

  it('--only does not carry over another semester\'s files as this one\'s', async () => {
    const first = await publishedSite();
    serve(facultyPages());
    const current = new Map(first.files);
    const ro3 = JSON.parse(current.get('data/RO3.json')!);
    current.set('data/RO3.json', JSON.stringify({ ...ro3, semester: '2029-2' }));
    const report = await run(options({ only: ['RO1'] }), deps(memoryWriter(current)));
    expect(report.specs.map((s) => s.code).sort()).to.deep.equal(['DE2', 'HU1', 'RO1']);
  });

  it('does not use a kept academic calendar of another academic year', async () => {
    const first = await publishedSite();
    serve(new Map([...facultyPages()].filter(([p]) => p !== CALENDAR_PATH)));
    nock(UNIV).get(CALENDAR_PATH).reply(503, 'busy');
    // The kept copy says it is the page of 2029-2030.
    const calendar = JSON.parse(first.files.get('data/calendar.json')!);
    calendar.academicYear.startYear = 2029;
    const current = new Map(first.files).set('data/calendar.json', JSON.stringify(calendar));
    const error = await run(options(), deps(memoryWriter(current))).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(FatalError);
    expect((error as Error).message).to.match(/HTTP 503.*; and the current site keeps no academic calendar of this academic year to use instead$/);
  });

  it('reports codes asked for with --only that the index does not list', async () => {
    serve(facultyPages());
    const report = await run(options({ only: ['HU1', 'NOPE9'] }), deps());
    expect(report.specs.map((s) => s.code)).to.deep.equal(['HU1']);
    expect(report.errors).to.have.length(1);
    expect(report.errors[0]!.message).to.equal('--only NOPE9: no such code on the index page; it lists RO1, RO3, HU1, DE2');
    expect(exitCodeOf(report)).to.equal(1);
  });
});

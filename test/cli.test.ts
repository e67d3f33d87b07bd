// The command line as data: flags -> options, and the words a run prints.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { USAGE, UsageError, formatSummary, parseCli, shellWord } from '../src/cli.js';
import { runCli } from './cli-run.js';
import { progressPrinter } from '../src/progress.js';
import { LEGEND_KEPT, LEGEND_UNUSED, emptyReport, type SpecOutcome } from '../src/report.js';

const TODAY = new Date('2026-11-29T10:00:00Z');

describe('command line', () => {
  it('reads every flag, with the defaults of a run', () => {
    const command = parseCli(['--semester', '2025-2', '--only', 'ie2, mi3', '--out', 'x', '--concurrency', '8', '--calendar-file', 'saved.html'], TODAY);
    expect(command.kind).to.equal('run');
    if (command.kind !== 'run') return;
    expect(command.options).to.deep.include({
      semester: { year: 2025, half: 2 },
      only: ['ie2', 'mi3'],
      out: 'x',
      concurrency: 8,
      calendarFile: 'saved.html',
      cacheDir: null,
      retries: 2,
      timeoutSec: 20,
      demo: false,
    });
    // November 2026: the first semester of 2026-2027.
    const plain = parseCli([], TODAY);
    expect(plain.kind === 'run' && plain.options.semester).to.deep.equal({ year: 2026, half: 1 });
    expect(parseCli(['--version'], TODAY).kind).to.equal('version');
    expect(parseCli(['-h'], TODAY).kind).to.equal('help');
  });

  it('keeps --feed-base as the feed server\'s origin, the page adding /custom/{token}.ics', () => {
    const command = parseCli(['--feed-base', 'https://Feeds.Example.org'], TODAY);
    expect(command.kind === 'run' && command.options.feedBase).to.equal('https://feeds.example.org/');
  });

  it('names the flag and what it expects for every bad value', () => {
    const cases: [string[], RegExp][] = [
      [['--semester', '2025-3'], /--semester "2025-3": expected YYYY-1 or YYYY-2/],
      [['--concurrency', '0'], /--concurrency "0": expected a whole number from 1 to 32/],
      [['--retries', 'x'], /--retries "x": expected a whole number from 0 to 10/],
      [['--frobnicate'], /Unknown option '--frobnicate'/],
      [['--out'], /Option '--out <value>' argument missing/],
      [['--out', ' '], /--out: expected a path/],
      [['--schedule-root', 'ftp://x'], /--schedule-root "ftp:\/\/x": expected an http\(s\) URL/],
      [['--calendar-url', 'http://x', '--calendar-file', 'f'], /both name the academic-year page/],
      [['--demo', '--calendar-file', 'f'], /--demo serves its own pages/],
      [['--scale', '2'], /--scale only applies with --demo/],
      [['--only', ','], /--only ",": expected codes like IE2,MI3/],
      [['stray'], /Unexpected argument 'stray'/],
      [['--retries', '-1'], /^--retries: its value starts with "-"; negative values are not accepted$/],
      [['--feed-base', 'https://feeds.example.org/sub/'], /--feed-base "https:\/\/feeds\.example\.org\/sub\/": give the feed server's origin only/],
      [['--feed-base', 'https://feeds.example.org/?x=1'], /give the feed server's origin only/],
    ];
    for (const [argv, message] of cases) expect(() => parseCli(argv, TODAY), argv.join(' ')).to.throw(UsageError, message);
  });
});

describe('what a run prints', () => {
  it('quotes a path for the shell only when it must (the demo says: npm run serve -- --dir PATH)', () => {
    expect(shellWord('site')).to.equal('site');
    expect(shellWord('/tmp/out-2,v1.5/site')).to.equal('/tmp/out-2,v1.5/site');
    expect(shellWord('/tmp/my site')).to.equal("'/tmp/my site'");
    expect(shellWord("/tmp/it's $HOME")).to.equal("'/tmp/it'\\''s $HOME'");
  });


  const outcome = (over: Partial<SpecOutcome>): SpecOutcome => ({
    code: 'IE2', name: 'Informatica', year: 2, url: 'http://x/IE2.html', status: 'ok', unchanged: false, groups: 1, files: 3, events: 90,
    warnings: [], retries: [], fetchMs: 0, parseMs: 0, bytes: 0, renderMs: 0, generateMs: 0, ...over,
  });

  it('progress counts the specializations to generate in the singular for one', () => {
    for (const [total, line] of [[1, '1 specialization to generate\n'], [2, '2 specializations to generate\n']] as const) {
      const stream = new PassThrough();
      let text = '';
      stream.on('data', (d: Buffer) => (text += d.toString()));
      progressPrinter(stream as unknown as NodeJS.WriteStream)({ kind: 'start', total });
      expect(text).to.equal(line);
    }
  });

  it('progress says stale, not failed, for a spec whose previous calendars were kept', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    const print = progressPrinter(stream as unknown as NodeJS.WriteStream);
    print({ kind: 'done', outcome: outcome({ status: 'stale', error: { code: 'IE2', url: 'u', message: 'HTTP 503' } }), done: 1, total: 2 });
    print({ kind: 'done', outcome: outcome({ code: 'MI3', status: 'failed', error: { code: 'MI3', url: 'u', message: 'HTTP 404' } }), done: 2, total: 2 });
    expect(text).to.equal('[1/2] IE2: stale, kept the previous calendars: HTTP 503\n[2/2] MI3: FAILED HTTP 404\n');
  });

  it('the summary opens with a warning when the academic calendar was not read from the page', () => {
    const report = emptyReport('2025-2', TODAY);
    report.academicYear = { source: 'stored copy', problem: 'HTTP 503' };
    report.errors.push({ code: 'academic-year', url: 'http://u', message: 'the academic-year page could not be used (HTTP 503)' });
    const lines = formatSummary(report, 'site').split('\n');
    expect(lines[0]).to.equal('WARNING: academic calendar NOT read from the page this run: HTTP 503');
    expect(lines.filter((l) => l.includes('academic-year'))).to.deep.equal([]);
    const normal = emptyReport('2025-2', TODAY);
    normal.academicYear = { source: 'page' };
    expect(formatSummary(normal, 'site')).not.to.contain('WARNING');
  });

  it('the summary says in full that the room legend was not used (every location is missing)', () => {
    const report = emptyReport('2025-2', TODAY);
    report.warnings.push(`${LEGEND_UNUSED}: http://u/legenda.html: HTTP 503 Service Unavailable (after 3 attempts)`, 'IE2: a row skipped');
    const lines = formatSummary(report, 'site').split('\n');
    expect(lines.slice(-2)).to.deep.equal([
      'warnings: 2 (rows skipped or duplicated, retries; in the report, 2 under "warnings")',
      'warning: room legend not used (locations left out): http://u/legenda.html: HTTP 503 Service Unavailable (after 3 attempts)',
    ]);
  });

  it("the summary's count of warnings says where the report lists them: the run's, and each spec's", () => {
    const report = emptyReport('2025-2', TODAY);
    report.warnings.push('IE2: a row skipped');
    report.totals.warnings = 3; // the specs' own, under specs[].warnings
    expect(formatSummary(report, 'site').split('\n').at(-1)).to.equal(
      'warnings: 4 (rows skipped or duplicated, retries; in the report, 1 under "warnings" and 3 under the specs\' "warnings")',
    );
    report.warnings.length = 0;
    expect(formatSummary(report, 'site').split('\n').at(-1)).to.equal('warnings: 3 (rows skipped or duplicated, retries; in the report, 3 under the specs\' "warnings")');
  });

  it("the summary says in full that the site's copy of the room legend was used", () => {
    const report = emptyReport('2025-2', TODAY);
    report.warnings.push(`${LEGEND_KEPT}: http://u/legenda.html: HTTP 503 Service Unavailable (after 3 attempts)`);
    expect(formatSummary(report, 'site').split('\n').at(-1)).to.equal(
      "warning: room legend not usable, the site's copy of it used: http://u/legenda.html: HTTP 503 Service Unavailable (after 3 attempts)",
    );
  });
});

describe('the commands', () => {
  it('--help lists the commands the program has, and an unknown one names them (exit 2)', async () => {
    const result = await runCli(['bogus']);
    expect(result.code).to.equal(2);
    const known = /commands: ([a-z-]+(?:, [a-z-]+)*) \(or none/.exec(result.stderr)?.[1]?.split(', ');
    expect(known, result.stderr).to.not.equal(undefined);
    const listed = [...USAGE.slice(USAGE.indexOf('Commands:'), USAGE.indexOf('Options:')).matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]);
    expect([...listed].sort()).to.deep.equal([...known!].sort());
  });
});

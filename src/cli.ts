// Command line -> options, and the words the program prints. No I/O here
// beyond what is passed in.
import { defaultSemester } from './calendar/semester.js';
import { UsageError, httpUrlFlag, integerFlag, parseFlags, pathFlag, semesterFlag } from './commands/flags.js';
import { DEFAULT_CALENDAR_URL, DEFAULT_SCHEDULE_ROOT } from './sources.js';
import type { Semester } from './model.js';
import { LEGEND_KEPT, LEGEND_UNUSED, type Report } from './report.js';
import path from 'node:path';

export { UsageError };

/** Where a run keeps its HTTP cache when --cache-dir is not given. */
export const DEFAULT_CACHE_DIR = '.cache/orar-cal';

export interface CliOptions {
  semester: Semester;
  scheduleRoot: string;
  calendarUrl: string;
  /** A saved copy of the academic-year page to read instead of calendarUrl. */
  calendarFile: string | null;
  out: string;
  concurrency: number;
  timeoutSec: number;
  /** Retries after a failed attempt (network error, timeout, 5xx, 429). */
  retries: number;
  /** The HTTP cache; null when not given (a run uses DEFAULT_CACHE_DIR, the demo a temporary folder). */
  cacheDir: string | null;
  only: string[] | null;
  /** Run against the built-in sample faculty on a loopback server. */
  demo: boolean;
  /** Sample faculty size multiplier (with --demo). */
  scale: number;
  /** Where custom feeds are served (--feed-base), stored in data/index.json for the page; null when not given. */
  feedBase: string | null;
}

export type CliCommand = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'version' };


export const USAGE = `Usage: orar-cal [options]
       orar-cal COMMAND [options]   (each command has its own --help)

Turns the faculty's timetable pages into one .ics calendar per group and
subgroup, JSON data and a static page, under --out.

Commands:
  serve           serve a generated site, with custom feeds (/custom/{token}.ics)
  calendar        make one calendar of several groups, with filters
  academic-year   show how the academic-year page is read
  restore         fetch a deployed site's state into an empty folder (a lost local copy)

Options:
  --semester YYYY-S      semester to generate, e.g. 2025-2 (default: the current one)
  --schedule-root URL    timetable root (default: ${DEFAULT_SCHEDULE_ROOT})
  --calendar-url URL     academic-year page (default: ${DEFAULT_CALENDAR_URL})
  --calendar-file FILE   read a saved copy of the academic-year page instead (check it
                         first with: orar-cal academic-year --calendar-file FILE)
  --out DIR              output folder (default: site): a new or empty folder, or a
                         site orar-cal wrote before (files in it no run wrote are kept)
  --concurrency N        pages fetched at once, 1-32 (default: 6)
  --timeout SEC          per-attempt timeout in seconds (default: 20)
  --retries N            retries after a failed attempt, 0-10 (default: 2, so 3 attempts)
  --cache-dir DIR        HTTP cache for conditional requests (default: .cache/orar-cal;
                         with --demo: a temporary folder removed at exit)
  --only CODE,CODE       regenerate only these specializations (e.g. IE2,MI3; any case);
                         every other one is kept in the site as it was
  --demo                 use the built-in sample faculty (offline, on 127.0.0.1)
  --scale K              with --demo: K times as many specializations (default: 1)
  --feed-base URL        where custom feeds are served (orar-cal serve or the Worker):
                         the page offers subscribing to URL/custom/{token}.ics
  --help                 show this help
  --version              print the version

Exit codes: 0 all written; 1 some specializations failed (kept from the last
build when possible, marked stale; the rest written); 2 bad usage; 3 nothing
could be done (index or academic page unusable, or another run holds --out):
the previous site is left as it was.`;

export function parseCli(argv: readonly string[], today: Date): CliCommand {
  const v = parseFlags(argv, {
    semester: { type: 'string' },
    'schedule-root': { type: 'string' },
    'calendar-url': { type: 'string' },
    'calendar-file': { type: 'string' },
    out: { type: 'string' },
    concurrency: { type: 'string' },
    timeout: { type: 'string' },
    retries: { type: 'string' },
    'cache-dir': { type: 'string' },
    only: { type: 'string' },
    demo: { type: 'boolean' },
    scale: { type: 'string' },
    'feed-base': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  });
  if (v.help) return { kind: 'help' };
  if (v.version) return { kind: 'version' };
  if (v.scale !== undefined && !v.demo) throw new UsageError('--scale only applies with --demo');
  if (v.demo && (v['schedule-root'] !== undefined || v['calendar-url'] !== undefined || v['calendar-file'] !== undefined)) {
    throw new UsageError('--demo serves its own pages: drop --schedule-root, --calendar-url and --calendar-file');
  }
  if (v['calendar-url'] !== undefined && v['calendar-file'] !== undefined) {
    throw new UsageError('--calendar-url and --calendar-file both name the academic-year page: give one');
  }
  return {
    kind: 'run',
    options: {
      semester: v.semester === undefined ? defaultSemester(today) : semesterFlag('--semester', v.semester),
      scheduleRoot: httpUrlFlag('--schedule-root', v['schedule-root'] ?? DEFAULT_SCHEDULE_ROOT),
      calendarUrl: httpUrlFlag('--calendar-url', v['calendar-url'] ?? DEFAULT_CALENDAR_URL),
      calendarFile: v['calendar-file'] === undefined ? null : pathFlag('--calendar-file', v['calendar-file']),
      out: pathFlag('--out', v.out ?? 'site'),
      concurrency: integerFlag('--concurrency', v.concurrency ?? '6', 1, 32),
      timeoutSec: integerFlag('--timeout', v.timeout ?? '20', 1, 600),
      retries: integerFlag('--retries', v.retries ?? '2', 0, 10),
      cacheDir: v['cache-dir'] === undefined ? null : pathFlag('--cache-dir', v['cache-dir']),
      only: v.only === undefined ? null : codes(v.only),
      demo: v.demo === true,
      scale: integerFlag('--scale', v.scale ?? '1', 1, 100),
      feedBase: v['feed-base'] === undefined ? null : feedBaseFlag(v['feed-base']),
    },
  };
}

function codes(text: string): string[] {
  const list = text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (list.length === 0) throw new UsageError(`--only "${text}": expected codes like IE2,MI3`);
  return list;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A path as one word for a POSIX shell, for a command the user is told to paste: as it is when it can be, else in single quotes. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** The closing summary. */
export function formatSummary(report: Report, out: string): string {
  const t = report.totals;
  const h = report.http;
  const w = report.writes;
  const lines = [
    `orar-cal ${report.semester}: ${t.specsOk} specialization${t.specsOk === 1 ? '' : 's'} ok, ${t.specsStale} stale, ${t.specsFailed} failed${t.specsKept > 0 ? `, ${t.specsKept} not in --only kept as they were` : ''}; ${t.files} calendar files, ${t.events} events`,
    `files: ${w.written} written, ${w.unchanged} unchanged, ${w.carried} carried over · http: ${h.responses} × 200, ${h.notModified} × 304 (${h.cacheHits} from cache), ${h.retries} retries`,
    `time: fetch ${seconds(report.timings.fetchMs)} · generate ${seconds(report.timings.generateMs)} · total ${seconds(report.timings.totalMs)}`,
    `site: ${path.join(out, 'index.html')} (report: ${path.join(out, 'data', 'build.json')})`,
  ];
  if (report.largestFile) {
    const l = report.largestFile;
    lines.splice(3, 0, `largest calendar: ${l.path} (${Math.round(l.bytes / 1024)} KB, ${l.events} events)`);
  }
  if (report.people) {
    const p = report.people;
    lines.splice(1, 0, `teachers and rooms: ${p.teachers} teacher and ${p.rooms} room calendars, ${p.events} events; ${p.clashes} clash${p.clashes === 1 ? '' : 'es'} (data/clashes.json)`);
  }
  if (report.academicYear?.source === 'stored copy') {
    lines.unshift(`WARNING: academic calendar NOT read from the page this run: ${report.academicYear.problem ?? ''}`);
  }
  // The run's own warnings and each spec's are listed in two places of the report: say which hold how many.
  const where = [
    ...(report.warnings.length > 0 ? [`${report.warnings.length} under "warnings"`] : []),
    ...(t.warnings > 0 ? [`${t.warnings} under the specs' "warnings"`] : []),
  ];
  if (where.length > 0) lines.push(`warnings: ${report.warnings.length + t.warnings} (rows skipped or duplicated, retries; in the report, ${where.join(' and ')})`);
  // Every room's location is missing from the calendars, or is as the last run had it: not a warning to leave in the report.
  for (const w of report.warnings) if (w.startsWith(LEGEND_UNUSED) || w.startsWith(LEGEND_KEPT)) lines.push(`warning: ${w}`);
  for (const s of report.specs) {
    if (s.status === 'stale' && !s.notSelected) lines.push(`stale: ${s.code}: kept the previous calendars; ${s.error?.message ?? ''}`);
  }
  for (const e of report.errors) {
    if (e.code === 'academic-year') continue; // said first, above
    if (!report.specs.some((s) => s.code === e.code && s.status === 'stale')) lines.push(`error: ${e.code}: ${e.message}`);
  }
  return lines.join('\n');
}

/**
 * --feed-base: the origin of the feed server (`orar-cal serve` or the
 * Worker), which answers /custom/{token}.ics at its root; a path or query
 * would give addresses nothing answers.
 */
function feedBaseFlag(value: string): string {
  const base = httpUrlFlag('--feed-base', value);
  const url = new URL(base);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new UsageError(`--feed-base "${value}": give the feed server's origin only (e.g. https://feeds.example.org/): it answers /custom/{token}.ics at its root`);
  }
  return url.origin + '/';
}

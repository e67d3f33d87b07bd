// orar-cal academic-year: what the academic-year page was understood to say,
// so a maintainer can check a rewritten page before a run depends on it.
import { parseArgs } from 'node:util';
import { academicYearProblem, missingTables, tablesOfSemester } from '../calendar/academic-calendar.js';
import { formatSemester, parseSemester } from '../calendar/semester.js';
import type { Semester } from '../model.js';
import { AcademicPageUnavailable, readAcademicPage, type AcademicPageSource } from '../net/academic-page.js';
import { createHttpClient } from '../net/client.js';
import { describeAcademicYear } from '../output/academic-year-text.js';
import { EXIT } from '../report.js';
import { parseAcademicYear } from '../scrape/academic-year.js';
import { USER_AGENT } from '../version.js';

export const usage = (defaultUrl: string): string => `Usage: orar-cal academic-year [--calendar-url URL | --calendar-file FILE] [--semester YYYY-S]

Prints what the academic-year page was understood to say: per study line and
semester table, the teaching periods, vacations, holidays and the numbered
teaching weeks with their parity.

  --calendar-url URL    the page (default: ${defaultUrl})
  --calendar-file FILE  a saved copy of the page instead
  --semester YYYY-S     only that semester's tables, and check the page is for its year
  --help                show this help

Exit codes: 0 read; 2 bad usage, an unreadable file, or a page with no
study-line section or without a table it needs (the reason names what was
found instead); 3 the URL could not be fetched.`;

const MAX_PAGE_BYTES = 5 * 1024 * 1024;

/** The generator's default page; its module is loaded only when the default is needed (it brings the whole generator). */
async function defaultCalendarUrl(): Promise<string> {
  return (await import('../pipeline.js')).DEFAULT_CALENDAR_URL;
}

class UsageError extends Error {}

interface Options {
  /** null: the default URL. */
  source: AcademicPageSource | null;
  semester: Semester | null;
}

function parseOptions(argv: string[]): Options | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'calendar-url': { type: 'string' },
        'calendar-file': { type: 'string' },
        semester: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  if (values.help) return 'help';
  const url = values['calendar-url'];
  const file = values['calendar-file'];
  if (url !== undefined && file !== undefined) throw new UsageError('give --calendar-url or --calendar-file, not both');
  if (file !== undefined && file.trim() === '') throw new UsageError('--calendar-file: expected a file name');
  let semester: Semester | null = null;
  if (values.semester !== undefined) {
    semester = parseSemester(values.semester);
    if (!semester) throw new UsageError(`--semester "${values.semester}": expected YYYY-1 or YYYY-2, e.g. 2025-2`);
  }
  return { source: file !== undefined ? { file } : url !== undefined ? { url: httpUrl(url) } : null, semester };
}

function httpUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--calendar-url "${text}": not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--calendar-url "${text}": expected an http(s) URL`);
  return text;
}

export async function main(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`orar-cal academic-year: ${error.message}\n\n${usage(await defaultCalendarUrl())}\n`);
    return EXIT.usage;
  }
  if (options === 'help') {
    process.stdout.write(`${usage(await defaultCalendarUrl())}\n`);
    return EXIT.ok;
  }
  const source = options.source ?? { url: await defaultCalendarUrl() };
  const http = createHttpClient({ userAgent: USER_AGENT, timeoutMs: 20_000, maxBytes: MAX_PAGE_BYTES });
  let html: string;
  try {
    html = await readAcademicPage(source, http);
  } catch (error) {
    if (!(error instanceof AcademicPageUnavailable)) throw error;
    if (error.source === 'file') {
      process.stderr.write(`orar-cal academic-year: ${error.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`orar-cal academic-year: ${error.message} - check the network, or save the page and pass --calendar-file\n`);
    return EXIT.fatal;
  }
  const where = 'file' in source ? source.file : source.url;
  const year = parseAcademicYear(html);
  const problem = academicYearProblem(year, options.semester);
  if (problem && year.sections.length === 0) {
    process.stderr.write(`orar-cal academic-year: ${where}: ${problem}\n`);
    return EXIT.usage;
  }
  const tables = options.semester ? tablesOfSemester(options.semester) : (['I', 'II', 'II-final'] as const);
  process.stdout.write(describeAcademicYear(year, tables));
  const reasons = [...(problem ? [problem] : []), ...missingTables(year, tables)];
  if (reasons.length > 0) {
    const what = options.semester ? `semester ${formatSemester(options.semester)}` : 'the academic year';
    process.stderr.write(`\norar-cal academic-year: ${where} cannot serve ${what}:\n${reasons.map((r) => `  - ${r}\n`).join('')}`);
    return EXIT.usage;
  }
  return EXIT.ok;
}

// orar-cal academic-year: what the academic-year page was understood to say,
// so a maintainer can check a rewritten page before a run depends on it.
import { academicYearProblem, missingTables, tablesOfSemester } from '../calendar/academic-calendar.js';
import { formatSemester } from '../calendar/semester.js';
import { DEFAULT_CALENDAR_URL } from '../sources.js';
import { UsageError, httpUrlFlag, parseFlags, pathFlag, semesterFlag } from './flags.js';
import type { Semester } from '../model.js';
import { AcademicPageUnavailable, readAcademicPage, type AcademicPageSource } from '../net/academic-page.js';
import { createHttpClient } from '../net/client.js';
import { describeAcademicYear } from '../output/academic-year-text.js';
import { EXIT } from '../report.js';
import { parseAcademicYear } from '../scrape/academic-year.js';
import { USER_AGENT } from '../version.js';

export const USAGE = `Usage: orar-cal academic-year [--calendar-url URL | --calendar-file FILE] [--semester YYYY-S]

Prints what the academic-year page was understood to say: per study line and
semester table, the teaching periods, vacations, holidays and the numbered
teaching weeks with their parity.

  --calendar-url URL    the page (default: ${DEFAULT_CALENDAR_URL})
  --calendar-file FILE  a saved copy of the page instead
  --semester YYYY-S     only that semester's tables, and check the page is for its year
  --help                show this help

Exit codes: 0 read; 2 bad usage, an unreadable file, or a page with no
study-line section or without a table it needs (the reason names what was
found instead); 3 the URL could not be fetched.`;

const MAX_PAGE_BYTES = 5 * 1024 * 1024;


interface Options {
  /** null: the default URL. */
  source: AcademicPageSource | null;
  semester: Semester | null;
}

function parseOptions(argv: string[]): Options | 'help' {
  const values = parseFlags(argv, {
    'calendar-url': { type: 'string' },
    'calendar-file': { type: 'string' },
    semester: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const url = values['calendar-url'];
  const file = values['calendar-file'];
  if (url !== undefined && file !== undefined) throw new UsageError('give --calendar-url or --calendar-file, not both');
  return {
    source: file !== undefined ? { file: pathFlag('--calendar-file', file) } : url !== undefined ? { url: httpUrlFlag('--calendar-url', url) } : null,
    semester: values.semester === undefined ? null : semesterFlag('--semester', values.semester),
  };
}

export async function main(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`orar-cal academic-year: ${error.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const source = options.source ?? { url: DEFAULT_CALENDAR_URL };
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

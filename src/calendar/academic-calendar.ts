// From the parsed academic-year page to the teaching calendar of one study
// line, semester and final-year flag.
import type { Activity, CalendarKey, Semester, StudyLine, TeachingCalendar } from '../model.js';
import type { AcademicYear, LineSection, SemesterTable } from '../scrape/academic-year.js';
import { formatSemester } from './semester.js';

export class MissingCalendarError extends Error {}

export const LINE_NAMES: Readonly<Record<StudyLine, string>> = { romanian: 'Romanian', hungarian: 'Hungarian', german: 'German', english: 'English' };
export const TABLE_NAMES: Readonly<Record<SemesterTable, string>> = {
  I: 'SEMESTRUL I',
  II: 'SEMESTRUL II',
  'II-final': 'SEMESTRUL II - Anii terminali',
};

function tableFor(key: CalendarKey): SemesterTable {
  if (key.semester.half === 1) return 'I';
  return key.finalYear ? 'II-final' : 'II';
}

/**
 * Names the calendar a key asks for, for sharing one derivation among the
 * specs that ask. An English key has its own id even when the Romanian
 * section serves it: the id is known before the page is, and the two
 * derivations give the same calendar.
 */
export function calendarKeyId(key: CalendarKey): string {
  return `${key.line}/${formatSemester(key.semester)}/${tableFor(key)}`;
}

/**
 * The line whose section serves `line`, given the lines the page has
 * sections for: English-taught programmes follow the Romanian line unless
 * the page gives English its own section. The same rule reads data/calendar.json
 * ("english/I" is there only when the page had an English section).
 */
function servingLine(line: StudyLine, withSection: readonly StudyLine[]): StudyLine {
  return line === 'english' && !withSection.includes('english') ? 'romanian' : line;
}

export function linesWithSection(year: AcademicYear): StudyLine[] {
  return [...new Set(year.sections.flatMap((s) => s.lines))];
}

/**
 * The data/calendar.json entry ("line/table") holding a key's teaching
 * calendar: the page reads a spec's teaching weeks from it, so it names the
 * section that really served the key (Romanian for English, unless English
 * has its own).
 */
export function calendarDataKey(year: AcademicYear, key: CalendarKey): string {
  return `${servingLine(key.line, linesWithSection(year))}/${tableFor(key)}`;
}

/** The section holding a line's calendar (the Romanian one for English, unless English has its own). */
function sectionFor(year: AcademicYear, line: StudyLine): LineSection | undefined {
  const serving = servingLine(line, linesWithSection(year));
  return year.sections.find((s) => s.lines.includes(serving));
}

/** Throws MissingCalendarError naming the line and table when it is not there. */
export function teachingCalendarFor(year: AcademicYear, key: CalendarKey): TeachingCalendar {
  const table = tableFor(key);
  const section = sectionFor(year, key.line);
  const name = LINE_NAMES[servingLine(key.line, linesWithSection(year))];
  if (!section) {
    throw new MissingCalendarError(`academic-year page has no section for the ${name} study line`);
  }
  const rows = section.tables[table];
  if (!rows) {
    throw new MissingCalendarError(`academic-year page has no "${TABLE_NAMES[table]}" table for the ${name} study line ("${section.heading}")`);
  }
  if (!rows.some((r) => r.teaching)) {
    throw new MissingCalendarError(
      `academic-year page: the "${TABLE_NAMES[table]}" table of the ${name} study line has no "activitate didactică" period`,
    );
  }
  return teachingCalendarOf(rows);
}

/**
 * The teaching calendar of one semester table: its "activitate didactică"
 * periods in date order and the days off their notes name. The one
 * derivation behind the calendars, the teaching-weeks files and the page's data.
 */
export function teachingCalendarOf(rows: readonly Activity[]): TeachingCalendar {
  const teaching = rows.filter((r) => r.teaching);
  return {
    periods: teaching.map((r) => ({ start: r.start, end: r.end })).sort((a, b) => a.start.localeCompare(b.start)),
    holidays: [...new Set(teaching.flatMap((r) => r.holidays))].sort(),
  };
}

/**
 * The academic-year page always shows the current year; generating an older
 * or newer semester against it would put every class on the wrong dates.
 * Returns the reason when the page is for another academic year.
 */
export function academicYearMismatch(year: AcademicYear, semester: Semester): string | null {
  const start = year.startYear ?? inferredStartYear(year);
  if (start === null || start === semester.year) return null;
  return (
    `the academic-year page describes ${start}-${start + 1}, but semester ${formatSemester(semester)} ` +
    `belongs to ${semester.year}-${semester.year + 1}; pass that year's page (--calendar-url or --calendar-file) or another --semester`
  );
}

function inferredStartYear(year: AcademicYear): number | null {
  const first = year.sections[0]?.tables.I?.find((r) => r.teaching)?.start;
  if (!first) return null;
  const [y, m] = first.split('-').map(Number) as [number, number];
  return m >= 8 ? y : y - 1;
}

/** The tables a semester uses: I; or II and its final-year table. */
export function tablesOfSemester(semester: Semester): SemesterTable[] {
  return semester.half === 1 ? ['I'] : ['II', 'II-final'];
}

/** A row that is a vacation ("vacanță de Crăciun", "vacanța de Paști"). */
export function isVacation(activity: string): boolean {
  return /vacan/i.test(activity);
}

/**
 * Why a parsed academic year cannot serve a semester, or null when it can:
 * no study-line section, another academic year, or no section with the
 * semester's table (with no semester: only the first). The reason names
 * what the page held instead, so whoever reads it sees whether the page
 * changed its wording or is another page. One definition for the generator
 * and `orar-cal academic-year`.
 */
export function academicYearProblem(year: AcademicYear, semester: Semester | null): string | null {
  if (year.sections.length === 0) {
    return (
      'no study-line sections found (a heading naming română, maghiară, germană or engleză, with a "SEMESTRUL ..." table under it); ' +
      foundInstead(year)
    );
  }
  if (!semester) return null;
  const mismatch = academicYearMismatch(year, semester);
  if (mismatch) return mismatch;
  const main = tablesOfSemester(semester)[0]!;
  if (!year.sections.some((s) => s.tables[main])) {
    const headings = year.sections.map((s) => `"${s.heading}"`).join(', ');
    return `no "${TABLE_NAMES[main]}" table in any study-line section (${headings}); ${foundInstead(year)}`;
  }
  return null;
}

/**
 * Each table the faculty's three lines need that the page lacks, in words
 * ("the German line has no "SEMESTRUL II - Anii terminali" table"). English
 * is never missing: without its own section it follows the Romanian line.
 */
export function missingTables(year: AcademicYear, tables: readonly SemesterTable[]): string[] {
  const missing: string[] = [];
  for (const line of ['romanian', 'hungarian', 'german'] as const) {
    const section = sectionFor(year, line);
    if (!section) {
      missing.push(`no section for the ${LINE_NAMES[line]} line`);
      continue;
    }
    for (const table of tables) {
      if (!section.tables[table]) missing.push(`the ${LINE_NAMES[line]} line ("${section.heading}") has no "${TABLE_NAMES[table]}" table`);
    }
  }
  return missing;
}

const SHOWN = 12;

/** "found instead: headings ..., tables with no semester label ..." from what the parser could not place. */
function foundInstead(year: AcademicYear): string {
  const left = year.leftovers;
  if (!left) return 'found instead: nothing the parser recorded';
  const quoted = (texts: readonly string[]): string =>
    texts.slice(0, SHOWN).map((t) => `"${t}"`).join(', ') + (texts.length > SHOWN ? ` and ${texts.length - SHOWN} more` : '');
  const parts: string[] = [];
  if (left.emptySections.length > 0) parts.push(`language headings with no semester table under them: ${quoted(left.emptySections)}`);
  if (left.unplacedTables.length > 0) parts.push(`tables of dates that could not be placed: ${left.unplacedTables.join('; ')}`);
  if (left.headings.length > 0) parts.push(`other headings: ${quoted(left.headings)}`);
  return parts.length > 0 ? `found instead: ${parts.join('; ')}` : 'found instead: no headings and no tables of dates at all';
}

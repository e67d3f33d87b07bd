// From the parsed academic-year page to the teaching calendar of one study
// line, semester and final-year flag.
import type { CalendarKey, Semester, StudyLine, TeachingCalendar } from '../model.js';
import type { AcademicYear, SemesterTable } from '../scrape/academic-year.js';
import { formatSemester } from './semester.js';

export class MissingCalendarError extends Error {}

const LINE_NAMES: Record<StudyLine, string> = { romanian: 'Romanian', hungarian: 'Hungarian', german: 'German' };
const TABLE_NAMES: Record<SemesterTable, string> = {
  I: 'SEMESTRUL I',
  II: 'SEMESTRUL II',
  'II-final': 'SEMESTRUL II - Anii terminali',
};

export function tableFor(key: CalendarKey): SemesterTable {
  if (key.semester.half === 1) return 'I';
  return key.finalYear ? 'II-final' : 'II';
}

export function calendarKeyId(key: CalendarKey): string {
  return `${key.line}/${formatSemester(key.semester)}/${tableFor(key)}`;
}

/** Throws MissingCalendarError naming the line and table when it is not there. */
export function teachingCalendarFor(year: AcademicYear, key: CalendarKey): TeachingCalendar {
  const table = tableFor(key);
  const section = year.sections.find((s) => s.lines.includes(key.line));
  if (!section) {
    throw new MissingCalendarError(`academic-year page has no section for the ${LINE_NAMES[key.line]} study line`);
  }
  const rows = section.tables[table];
  if (!rows) {
    throw new MissingCalendarError(
      `academic-year page has no "${TABLE_NAMES[table]}" table for the ${LINE_NAMES[key.line]} study line ("${section.heading}")`,
    );
  }
  const teaching = rows.filter((r) => r.teaching);
  if (teaching.length === 0) {
    throw new MissingCalendarError(
      `academic-year page: the "${TABLE_NAMES[table]}" table of the ${LINE_NAMES[key.line]} study line has no "activitate didactică" period`,
    );
  }
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
    `belongs to ${semester.year}-${semester.year + 1}; pass --calendar-url for that year's page or another --semester`
  );
}

function inferredStartYear(year: AcademicYear): number | null {
  const first = year.sections[0]?.tables.I?.find((r) => r.teaching)?.start;
  if (!first) return null;
  const [y, m] = first.split('-').map(Number) as [number, number];
  return m >= 8 ? y : y - 1;
}

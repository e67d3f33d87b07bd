// What the academic-year page was understood to say, in plain text: per
// study line and semester table, the teaching periods, vacations, holidays
// and the numbered teaching weeks with their parity. For a maintainer to
// check at a glance that a rewritten page was read right.
import { LINE_NAMES, TABLE_NAMES, isVacation, linesWithSection, teachingCalendarOf } from '../calendar/academic-calendar.js';
import { dayNumber, isoDate, weekdayIndex } from '../calendar/dates.js';
import { teachingWeeks } from '../calendar/teaching-weeks.js';
import type { Activity, IsoDate } from '../model.js';
import type { AcademicYear, SemesterTable } from '../scrape/academic-year.js';

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The tables asked for (all three when no semester was given), per section, in the page's order. */
export function describeAcademicYear(year: AcademicYear, tables: readonly SemesterTable[]): string {
  const out: string[] = [];
  const span = year.startYear === null ? 'academic year not stated in the title' : `academic year ${year.startYear}-${year.startYear + 1}`;
  out.push(`Academic-year page: ${span}, ${year.sections.length} study-line section(s).`);
  if (!linesWithSection(year).includes('english')) {
    out.push('English-taught programmes follow the Romanian line (the page has no English section).');
  }
  for (const section of year.sections) {
    out.push('', `${section.lines.map((l) => LINE_NAMES[l]).join(' and ')} line${section.lines.length > 1 ? 's' : ''}: "${section.heading}"`);
    for (const table of tables) {
      const rows = section.tables[table];
      out.push('', `  ${TABLE_NAMES[table]}`);
      if (rows) out.push(...describeTable(rows).map((line) => `    ${line}`));
      else out.push('    (no such table under this heading)');
    }
  }
  return `${out.join('\n')}\n`;
}

function describeTable(rows: readonly Activity[]): string[] {
  const teaching = rows.filter((r) => r.teaching);
  const holidays = teaching
    .flatMap((r) => Object.entries(r.holidayNames))
    .sort(([a], [b]) => a.localeCompare(b));
  const out = [`teaching periods: ${teaching.length > 0 ? teaching.map((r) => range(r.start, r.end)).join(', ') : 'none ("activitate didactică" rows)'}`];
  const vacations = rows.filter((r) => isVacation(r.activity));
  out.push(`vacations: ${vacations.length > 0 ? vacations.map((r) => `${range(r.start, r.end)} ${r.activity}`).join('; ') : 'none'}`);
  out.push(`holidays: ${holidays.length > 0 ? holidays.map(([date, name]) => `${day(date)} ${name}`).join('; ') : 'none'}`);
  const weeks = teachingWeeks(teachingCalendarOf(rows));
  out.push(`teaching weeks: ${weeks.length}`);
  for (const week of weeks) {
    const monday = dayNumber(week.monday);
    const off = holidays.filter(([date]) => dayNumber(date) >= monday && dayNumber(date) < monday + 7);
    const note = off.length > 0 ? `  holiday: ${off.map(([date, name]) => `${day(date)} ${name}`).join('; ')}` : '';
    out.push(`  week ${String(week.number).padStart(2)} ${week.parity.padEnd(4)} ${range(week.monday, isoDate(monday + 4))}${note}`);
  }
  return out;
}

function dmy(date: IsoDate): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

function day(date: IsoDate): string {
  return `${DAY_NAMES[weekdayIndex(dayNumber(date))]} ${dmy(date)}`;
}

function range(start: IsoDate, end: IsoDate): string {
  return `${day(start)} - ${day(end)}`;
}

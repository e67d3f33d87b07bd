// The site-wide files written after every spec: teaching-weeks calendars,
// the page's calendar data, the change log, the largest-file figure.
import type { ClassChange } from '../calendar/changes.js';
import { isVacation, teachingCalendarOf } from '../calendar/academic-calendar.js';
import { formatSemester } from '../calendar/semester.js';
import { teachingWeeks } from '../calendar/teaching-weeks.js';
import { weeksCalendar } from '../calendar/weeks-calendar.js';
import type { Activity, Semester } from '../model.js';
import type { Report } from '../report.js';
import type { AcademicYear, SemesterTable } from '../scrape/academic-year.js';
import { renderAllDayIcs } from './ics.js';
import type { SpecListing } from './index-html.js';
import type { SiteFile } from './site-writer.js';
import type { LineCalendarJson, PageCalendarJson } from '../site-data.js';
import { TIME_ZONE } from '../model.js';

const LINE_LABELS = { romanian: 'Romanian line', hungarian: 'Hungarian line', german: 'German line', english: 'English line' } as const;

/**
 * weeks-{line}.ics (and weeks-{line}-final.ics in semester II) for every
 * study line the page has; weeks-english*.ics only when the page gives
 * English its own section (otherwise English-taught programmes use the
 * Romanian line's).
 */
export function weeksCalendars(year: AcademicYear, semester: Semester, warnings: string[]): (SiteFile & { label: string })[] {
  const files: (SiteFile & { label: string })[] = [];
  for (const line of ['romanian', 'hungarian', 'german', 'english'] as const) {
    const section = year.sections.find((s) => s.lines.includes(line));
    if (line === 'english' && !section) continue;
    const tables: [SemesterTable, string, string][] =
      semester.half === 1 ? [['I', '', '']] : [['II', '', ''], ['II-final', '-final', ', final years']];
    for (const [table, suffix, what] of tables) {
      const rows = section?.tables[table];
      if (!rows) {
        warnings.push(`no teaching-weeks calendar for the ${LINE_LABELS[line]}${what}: the academic-year page has no such table`);
        continue;
      }
      const label = `${LINE_LABELS[line]}${what}`;
      const events = weeksCalendar(rows, `${formatSemester(semester)}-${line}${suffix}`);
      files.push({
        path: `weeks-${line}${suffix}.ics`,
        label,
        content: renderAllDayIcs({
          name: `Teaching weeks ${formatSemester(semester)} · ${label}`,
          description: `Teaching weeks (odd/even), vacations and public holidays, semester ${formatSemester(semester)}, ${label}.`,
          events,
          // Stable, so an unchanged academic year gives the same bytes.
          stamp: new Date(`${rows[0]!.start}T00:00:00Z`),
        }),
      });
    }
  }
  return files;
}

/** data/calendar.json: what the page reads (site-data.d.ts), and the academic year as read, for a later run. */
export interface CalendarJson extends PageCalendarJson {
  /**
   * The academic-year page as this site last read it: a later run of the
   * same academic year uses it when the page cannot be had or read.
   */
  academicYear: AcademicYear;
}

/**
 * data/calendar.json: for the page, each study line's teaching weeks,
 * periods, vacations and holidays, keyed "line/table" like calendarKeyId.
 */
export function calendarJson(year: AcademicYear, semester: Semester, fallback: CalendarJson['fallback'] | null = null): CalendarJson {
  const calendars: Record<string, LineCalendarJson> = {};
  for (const section of year.sections) {
    for (const [table, rows] of Object.entries(section.tables) as [SemesterTable, Activity[]][]) {
      if ((semester.half === 1) !== (table === 'I')) continue;
      const calendar = teachingCalendarOf(rows);
      const teaching = rows.filter((r) => r.teaching);
      for (const line of section.lines) {
        calendars[`${line}/${table}`] = {
          weeks: teachingWeeks(calendar),
          periods: calendar.periods,
          vacations: rows.filter((r) => isVacation(r.activity)).map((r) => ({ name: r.activity, start: r.start, end: r.end })),
          holidays: teaching.flatMap((r) => Object.entries(r.holidayNames).map(([date, name]) => ({ date, name }))),
        };
      }
    }
  }
  // The page as read, without what the parser could not place (menus,
  // footers): those change with the university's site, not the year.
  const kept: AcademicYear = { startYear: year.startYear, sections: year.sections };
  return { semester: formatSemester(semester), timeZone: TIME_ZONE, calendars, academicYear: kept, ...(fallback ? { fallback } : {}) };
}

/** data/changes.json: the runs that changed something, newest first. */
/** A spec whose calendars changed for subscribers in this run, and how. */
export interface SpecChanges {
  spec: SpecListing;
  changes: ClassChange[];
}

export interface ChangesJson {
  runs: {
    at: string;
    specs: {
      code: string;
      name: string;
      year: number;
      groups: { group: string; added: ClassChange[]; changed: ClassChange[]; cancelled: ClassChange[] }[];
    }[];
  }[];
}

const CHANGE_RUNS = 100;

export function changesJson(
  previous: ChangesJson | null,
  at: string,
  changed: readonly SpecChanges[],
  byOrder: (a: { code: string }, b: { code: string }) => number,
): ChangesJson {
  const runs = previous?.runs ?? [];
  if (changed.length === 0) return { runs };
  const specs = [...changed]
    .sort((a, b) => byOrder(a.spec, b.spec))
    .map(({ spec, changes }) => ({
      code: spec.code,
      name: spec.name,
      year: spec.year,
      groups: [...new Set(changes.map((c) => c.group))].map((group) => {
        const of = (kinds: ClassChange['kind'][]) => changes.filter((c) => c.group === group && kinds.includes(c.kind));
        return { group, added: of(['added']), changed: of(['changed', 'moved']), cancelled: of(['cancelled']) };
      }),
    }));
  return { runs: [{ at, specs }, ...runs].slice(0, CHANGE_RUNS) };
}

/** The biggest calendar of the site (feeds must stay well under Google's limits). */
export function largestFile(listings: readonly SpecListing[]): Report['largestFile'] {
  let best: Report['largestFile'] = null;
  for (const l of listings) {
    for (const g of l.groups) {
      for (const c of g.calendars) {
        const bytes = c.bytes ?? 0;
        if (!best || bytes > best.bytes || (bytes === best.bytes && c.events > best.events)) best = { path: c.path, bytes, events: c.events };
      }
    }
  }
  return best;
}


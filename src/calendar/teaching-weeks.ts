// Teaching weeks and class occurrences. Weeks are Monday-based and numbered
// 1, 2, ... across all teaching periods of the semester, so the count (and
// with it the parity of "sapt. 1" / "sapt. 2") carries on after a vacation.
import { WEEKDAYS, type Entry, type IsoDate, type TeachingCalendar } from '../model.js';
import { dayNumber, isoDate, mondayOf } from './dates.js';
import type { TeachingWeek } from '../site-data.js';

export type { TeachingWeek } from '../site-data.js';

/** Every week whose Monday-Friday touches a teaching period, in order. */
export function teachingWeeks(calendar: TeachingCalendar): TeachingWeek[] {
  const mondays = new Set<number>();
  for (const period of calendar.periods) {
    const start = dayNumber(period.start);
    const end = dayNumber(period.end);
    // The week of Monday m touches [start, end] when m <= end and m + 4 >= start.
    for (let m = mondayOf(start); m <= end; m += 7) {
      if (m + 4 >= start) mondays.add(m);
    }
  }
  return [...mondays]
    .sort((a, b) => a - b)
    .map((m, i) => ({ number: i + 1, monday: isoDate(m), parity: i % 2 === 0 ? 'odd' : 'even' }));
}

/**
 * The dates a timetable row takes place: the week's Monday plus the row's
 * day, in weeks of the right parity, inside a teaching period and not on a
 * holiday.
 */
export function occurrences(
  entry: Pick<Entry, 'day' | 'frequency'>,
  calendar: TeachingCalendar,
  weeks: readonly TeachingWeek[] = teachingWeeks(calendar),
): IsoDate[] {
  const offset = WEEKDAYS.indexOf(entry.day);
  const { holidays, periods } = prepared(calendar);
  const mondays = mondaysOf(weeks);
  const dates: IsoDate[] = [];
  for (let i = 0; i < weeks.length; i++) {
    if (entry.frequency !== 'every' && entry.frequency !== weeks[i]!.parity) continue;
    const day = mondays[i]! + offset;
    if (!periods.some(([start, end]) => day >= start && day <= end)) continue;
    const date = isoDate(day);
    if (!holidays.has(date)) dates.push(date);
  }
  return dates;
}

// Every row of a spec is dated against the same calendar and weeks: their
// day numbers are worked out once, not once per row.
const preparedCalendars = new WeakMap<TeachingCalendar, { holidays: Set<IsoDate>; periods: (readonly [number, number])[] }>();
const preparedWeeks = new WeakMap<readonly TeachingWeek[], number[]>();

function prepared(calendar: TeachingCalendar): { holidays: Set<IsoDate>; periods: (readonly [number, number])[] } {
  let p = preparedCalendars.get(calendar);
  if (!p) {
    p = { holidays: new Set(calendar.holidays), periods: calendar.periods.map((x) => [dayNumber(x.start), dayNumber(x.end)] as const) };
    preparedCalendars.set(calendar, p);
  }
  return p;
}

function mondaysOf(weeks: readonly TeachingWeek[]): number[] {
  let m = preparedWeeks.get(weeks);
  if (!m) {
    m = weeks.map((w) => dayNumber(w.monday));
    preparedWeeks.set(weeks, m);
  }
  return m;
}

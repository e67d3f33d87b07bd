// The teaching-weeks calendar of a study line: one all-day event per
// teaching week ("Week 5 (odd)"), per vacation and per public holiday, so
// students can overlay it and always know the week's parity.
import type { Activity, IsoDate } from '../model.js';
import { isVacation, teachingCalendarOf } from './academic-calendar.js';
import { dayNumber, isoDate } from './dates.js';
import { teachingWeeks } from './teaching-weeks.js';

export interface AllDayEvent {
  uid: string;
  summary: string;
  /** First day. */
  start: IsoDate;
  /** The day after the last one (iCalendar's exclusive end). */
  end: IsoDate;
  description: string;
}

const next = (date: IsoDate, days = 1): IsoDate => isoDate(dayNumber(date) + days);

export function weeksCalendar(rows: readonly Activity[], uidPrefix: string): AllDayEvent[] {
  const events: AllDayEvent[] = teachingWeeks(teachingCalendarOf(rows)).map((w) => ({
    uid: `${uidPrefix}-week${w.number}`,
    summary: `Week ${w.number} (${w.parity})`,
    start: w.monday,
    end: next(w.monday, 5),
    description: `Teaching week ${w.number}: "sapt. ${w.parity === 'odd' ? 1 : 2}" classes take place this week.`,
  }));
  for (const row of rows) {
    if (isVacation(row.activity)) {
      events.push({ uid: `${uidPrefix}-vacation-${row.start}`, summary: row.activity, start: row.start, end: next(row.end), description: row.notes });
    }
    for (const [date, name] of Object.entries(row.holidayNames)) {
      events.push({ uid: `${uidPrefix}-holiday-${date}`, summary: name, start: date, end: next(date), description: 'Public holiday: no classes.' });
    }
  }
  return events.sort((a, b) => (a.start === b.start ? a.uid.localeCompare(b.uid) : a.start < b.start ? -1 : 1));
}

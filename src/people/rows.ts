// The rows the other views of the timetable are made from: every row of
// every spec in the site, with its dates, as the spec's JSON has them. Pure.
import type { Entry, IsoDate } from '../model.js';

/** One timetable row of one spec, dated from its own spec's calendar (study line, final year). */
export interface TimetableRow extends Entry {
  /** The spec's code. */
  spec: string;
  dates: readonly IsoDate[];
}

/**
 * A spec's rows, from its groups' entries (fresh or read back from its
 * published JSON). A year-wide row is listed in every group's table: it is
 * one row here. Rows of one spec share their date lists when equal (most
 * do: same day and parity), which keeps a 10x faculty small in memory.
 */
export function rowsOfSpec(code: string, groups: readonly { entries: readonly (Entry & { dates: readonly IsoDate[] })[] }[]): TimetableRow[] {
  const rows: TimetableRow[] = [];
  /** Row text -> seen, to list a year-wide row once. */
  const seen = new Set<string>();
  /** Dates joined -> the one list kept. */
  const dateLists = new Map<string, readonly IsoDate[]>();
  for (const group of groups) {
    for (const e of group.entries) {
      const key = [e.day, e.startHour, e.endHour, e.frequency, e.room, e.formation, e.type, e.subject, e.professor].join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      const datesKey = e.dates.join();
      let dates = dateLists.get(datesKey);
      if (!dates) {
        dates = [...e.dates];
        dateLists.set(datesKey, dates);
      }
      const { day, startHour, endHour, frequency, room, formation, type, subject, professor } = e;
      rows.push({ spec: code, day, startHour, endHour, frequency, room, formation, type, subject, professor, dates });
    }
  }
  return rows;
}

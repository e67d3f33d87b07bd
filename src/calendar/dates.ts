// Calendar-date arithmetic on `YYYY-MM-DD` strings via day numbers (days
// since 1970-01-01). No time of day and no time zone: those appear only when
// an event is written.
import { TIME_ZONE, type IsoDate } from '../model.js';

const MS_PER_DAY = 86_400_000;

export function dayNumber(date: IsoDate): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY);
}

const isoCache = new Map<number, IsoDate>();

/** Day number -> `YYYY-MM-DD`; memoized (a semester has ~150 distinct days, asked for again and again). */
export function isoDate(day: number): IsoDate {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(day, iso);
  }
  return iso;
}

/** 0 for Monday ... 6 for Sunday. */
export function weekdayIndex(day: number): number {
  // 1970-01-01 was a Thursday (index 3).
  return (((day + 3) % 7) + 7) % 7;
}

export function mondayOf(day: number): number {
  return day - weekdayIndex(day);
}

/** Made on first use: a formatter with a time zone loads ICU's zone data (~25 ms), which --help and --version never need. */
let localDateFormat: Intl.DateTimeFormat | undefined;

/** The calendar date at the faculty (TIME_ZONE) at an instant. */
export function localDate(now: Date): IsoDate {
  localDateFormat ??= new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE });
  return localDateFormat.format(now);
}

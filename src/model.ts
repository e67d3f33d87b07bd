// The core types every stage agrees on. Plain data, no behaviour.

import type { Entry, EventType, IsoDate, StudyLine, Weekday } from './site-data.js';

// The types the site's JSON carries too are declared once, with the page's
// (site-data.d.ts); the rest are the generator's own.
export type { Entry, EventType, Frequency, IsoDate, Spec, StudyLine, Weekday } from './site-data.js';

export const WEEKDAYS = ['Luni', 'Marti', 'Miercuri', 'Joi', 'Vineri', 'Sambata'] as const satisfies readonly Weekday[];

export const EVENT_TYPES = ['Curs', 'Seminar', 'Laborator'] as const satisfies readonly EventType[];

/** The one-letter tag of a type: `[C]`, `[S]`, `[L]` in summaries, and in UIDs. */
export const TYPE_TAG: Readonly<Record<EventType, string>> = { Curs: 'C', Seminar: 'S', Laborator: 'L' };

/** The faculty's time zone: every date and hour here is wall time there. */
export const TIME_ZONE = 'Europe/Bucharest';

/** `2025-1` is the first semester of academic year 2025-2026. */
export interface Semester {
  year: number;
  half: 1 | 2;
}

export interface GroupTable {
  group: string;
  entries: Entry[];
}

/** Room code -> where it is. */
export type Rooms = Readonly<Record<string, string>>;

/** One row of the academic-year table: a date range and what happens in it. */
export interface Activity {
  start: IsoDate;
  end: IsoDate;
  activity: string;
  notes: string;
  teaching: boolean;
  /** Dates named in the notes of a teaching row: days off. */
  holidays: IsoDate[];
  /** The names the notes give those days ("Ziua Muncii"), by date. */
  holidayNames: Record<IsoDate, string>;
}

/** What the calendar logic needs: when teaching happens and which days are off. */
export interface TeachingCalendar {
  periods: { start: IsoDate; end: IsoDate }[];
  holidays: IsoDate[];
}

/** Which academic-year table applies to a spec. */
export interface CalendarKey {
  line: StudyLine;
  semester: Semester;
  finalYear: boolean;
}

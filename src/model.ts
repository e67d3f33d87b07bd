// The core types every stage agrees on. Plain data, no behaviour.

/** A calendar date, `YYYY-MM-DD`, always in the faculty's local calendar. */
export type IsoDate = string;

export const WEEKDAYS = ['Luni', 'Marti', 'Miercuri', 'Joi', 'Vineri', 'Sambata'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `''` every week, `sapt. 1` odd teaching weeks, `sapt. 2` even ones. */
export type Frequency = 'every' | 'odd' | 'even';

export const EVENT_TYPES = ['Curs', 'Seminar', 'Laborator'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The one-letter tag of a type: `[C]`, `[S]`, `[L]` in summaries, and in UIDs. */
export const TYPE_TAG: Readonly<Record<EventType, string>> = { Curs: 'C', Seminar: 'S', Laborator: 'L' };

/**
 * A study line of the academic-year page. English-taught programmes follow
 * the Romanian line's calendar unless the page gives English its own section.
 */
export type StudyLine = 'romanian' | 'hungarian' | 'german' | 'english';

/** `2025-1` is the first semester of academic year 2025-2026. */
export interface Semester {
  year: number;
  half: 1 | 2;
}

/** One specialization-year: one timetable page. */
export interface Spec {
  code: string;
  name: string;
  year: number;
  master: boolean;
}

/** One row of a group's timetable. */
export interface Entry {
  day: Weekday;
  startHour: number;
  endHour: number;
  frequency: Frequency;
  room: string;
  formation: string;
  type: EventType;
  subject: string;
  professor: string;
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

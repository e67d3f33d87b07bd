// The site's data as the generator writes it and the page reads it: one set
// of types for both. Types only (a declaration file), so the page's build,
// rooted at src/web, can import it without compiling the generator.

/** A calendar date, `YYYY-MM-DD`, always in the faculty's local calendar. */
export type IsoDate = string;

export type Weekday = 'Luni' | 'Marti' | 'Miercuri' | 'Joi' | 'Vineri' | 'Sambata';

/** `''` every week, `sapt. 1` odd teaching weeks, `sapt. 2` even ones. */
export type Frequency = 'every' | 'odd' | 'even';

export type EventType = 'Curs' | 'Seminar' | 'Laborator';

export type StudyLine = 'romanian' | 'hungarian' | 'german' | 'english';

/**
 * What a spec came to in a run. ok: written from this run's page. stale: this
 * run failed, the previous files were kept. failed: this run failed and
 * there was nothing to keep.
 */
export type SpecStatus = 'ok' | 'stale' | 'failed';

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

/** A numbered teaching week and its parity ("sapt. 1" is odd). */
export interface TeachingWeek {
  number: number;
  monday: IsoDate;
  parity: 'odd' | 'even';
}

/** data/{CODE}.json, one group. */
export interface GroupJson {
  name: string;
  hasSubgroups: boolean;
  calendars: { subgroup: string | null; label: string; path: string; events: number; bytes?: number }[];
  /** Each row with its dates and the stem of its events' UIDs (the page filters calendars by it). */
  entries: (Entry & { dates: IsoDate[]; uidStem: string })[];
}

/** data/{CODE}.json */
export interface SpecJson extends Spec {
  studyLine: StudyLine;
  /** The data/calendar.json entry ("line/table") its dates come from; absent in files from before it was written. */
  calendarKey?: string;
  finalYear: boolean;
  semester: string;
  /** When these files were last generated from changed inputs. */
  updatedAt: string;
  /** When its calendars were first published; absent in files from before it was recorded. */
  firstPublishedAt?: string;
  /** When its events last changed after the first publication; absent while they never did. */
  changedAt?: string;
  /** The Atom feed of the changes, site-relative; once it has changed. */
  feed?: string;
  /** Fingerprint of the page, calendar, legend and generator version they came from. */
  inputsHash: string;
  groups: GroupJson[];
}

/** data/index.json */
export interface IndexJson {
  semester: string;
  generatedAt: string;
  /** Where custom feeds are served (`--feed-base`): `{feedBase}/custom/{token}.ics`. Absent when none was given. */
  feedBase?: string;
  specializations: { name: string; master: boolean; years: { year: number; code: string; status: SpecStatus }[] }[];
}

/** data/calendar.json, one study line and semester table. */
export interface LineCalendarJson {
  weeks: TeachingWeek[];
  periods: { start: IsoDate; end: IsoDate }[];
  vacations: { name: string; start: IsoDate; end: IsoDate }[];
  holidays: { date: IsoDate; name: string }[];
}

/** data/calendar.json as the page reads it (the generator adds the academic year as read). */
export interface PageCalendarJson {
  semester: string;
  /** The faculty's time zone: "today" and every date are there. */
  timeZone: string;
  /** Keyed "line/table", like a spec's calendarKey. */
  calendars: Record<string, LineCalendarJson>;
  /** Set when a run could not read the academic-year page and used the kept copy: since when, and why. */
  fallback?: { since: string; reason: string };
}

/** data/build.json as the page reads it (the run report has more). */
export interface PageBuildJson {
  generatedAt: string;
  specs: { code: string; status: SpecStatus; error?: { message: string } }[];
  /** Teacher and room calendars, when the run wrote them: the clash count the page shows before loading the list. */
  people?: { clashes: number };
}

/** data/teachers.json, one teacher (the list is sorted by name, diacritics and case aside). */
export interface TeacherJson {
  /** The professor cell without its title word (`BLAGA Paul`). */
  name: string;
  /** Title words the rows give them (`Prof.`, `Conf.`, `Lect.`, `Asist.`, `C.d.asociat`, `Drd.`, in that order). */
  titles: string[];
  /** ASCII, stable from run to run, one per teacher. */
  slug: string;
  /** `teachers/{slug}.ics`, site-relative. */
  file: string;
  /** Events in the file (cancelled ones included). */
  events: number;
  /** Codes of the specs they teach in, sorted. */
  specs: string[];
}

/** data/room-index.json, one room (the list is sorted by room). */
export interface RoomIndexJson {
  /** The code the timetable gives (`2/I`, `L001`). */
  room: string;
  /** Where it is, from the legend; null when the legend does not say. */
  location: string | null;
  slug: string;
  /** `rooms/{slug}.ics`, site-relative. */
  file: string;
  events: number;
}

/**
 * data/occupancy.json: which room is taken on which date at which hour,
 * exact by date (each row dated by its own spec: vacations, holidays, week
 * parity and final years per study line).
 */
export interface OccupancyJson {
  semester: string;
  /** The first and last date any class is held on; outside them the timetable says nothing. */
  from: IsoDate | null;
  to: IsoDate | null;
  /** Room codes, in data/room-index.json's order. */
  rooms: string[];
  /**
   * Date -> one number per room (same order as `rooms`): bit h set when the
   * room is taken from h:00 to h+1:00 (a 10-12 class sets bits 10 and 11).
   * A date not listed has no class anywhere.
   */
  dates: Record<IsoDate, number[]>;
}

/** One class in a clash: a row of a spec's timetable. */
export interface ClashClassJson {
  spec: string;
  formation: string;
  subject: string;
  type: EventType;
  /** The professor cell as written (`Conf. BLAGA Paul`, `- Necunoscut`). */
  teacher: string;
  room: string;
  startHour: number;
  endHour: number;
}

/**
 * data/clashes.json, one clash: two classes in one room at overlapping
 * hours with different teachers (kind `room`), or one teacher in two rooms
 * at overlapping hours (kind `teacher`), on the dates listed. Sorted by
 * kind (rooms first), room or teacher, first date, hour.
 */
export interface ClashJson {
  kind: 'room' | 'teacher';
  /** The room (kind `room`) or the teacher's name (kind `teacher`). */
  room?: string;
  teacher?: string;
  day: Weekday;
  /** The hours both classes take. */
  startHour: number;
  endHour: number;
  dates: IsoDate[];
  /** The rows of the first class, then of the second. */
  classes: ClashClassJson[];
}

/**
 * data/clashes.json: how many clashes the timetable has, and the first
 * 500 of them in order (a real faculty has a few dozen; a page gone wrong
 * could list thousands, and the file stays small for the page).
 */
export interface ClashesJson {
  count: number;
  clashes: ClashJson[];
}

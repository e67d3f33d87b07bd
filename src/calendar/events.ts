// Timetable rows + teaching calendar -> the concrete events of one calendar.
import { TYPE_TAG, type Entry, type IsoDate, type Rooms, type TeachingCalendar } from '../model.js';
import { occurrences, type TeachingWeek } from './teaching-weeks.js';
import { eventUid } from './uid.js';

export interface ClassEvent {
  /** eventUid(stem, date). */
  uid: string;
  /** The class's UID stem, shared by all its dates (see uid.ts). */
  stem: string;
  date: IsoDate;
  startHour: number;
  endHour: number;
  summary: string;
  location: string;
  description: string;
  /** The row it comes from, for saying in words what changed. */
  row: Pick<Entry, 'day' | 'type' | 'subject' | 'room' | 'professor' | 'formation' | 'frequency'>;
}

const PARITY_TEXT = { every: 'every week', odd: 'odd weeks (sapt. 1)', even: 'even weeks (sapt. 2)' } as const;

/** Same text a subscriber sees, apart from UID and date: hours, summary, location, description. */
export function sameEventText(a: Omit<ClassEvent, 'uid' | 'stem' | 'date'>, b: Omit<ClassEvent, 'uid' | 'stem' | 'date'>): boolean {
  return a.startHour === b.startHour && a.endHour === b.endHour && a.summary === b.summary && a.location === b.location && a.description === b.description;
}

export function summaryOf(entry: Entry): string {
  return `[${TYPE_TAG[entry.type]}] ${entry.subject}`;
}

export function locationOf(entry: Pick<Entry, 'room'>, rooms: Rooms): string {
  const where = Object.hasOwn(rooms, entry.room) ? rooms[entry.room] : undefined;
  return where ? `${entry.room}, ${where}` : entry.room;
}

export function descriptionOf(entry: Entry): string {
  // ASCII separators: lines that stay ASCII take the folding fast path.
  return [entry.professor, `${entry.type}, ${entry.formation}, ${PARITY_TEXT[entry.frequency]}`].filter(Boolean).join('\n');
}

export interface DatedEntry {
  entry: Entry;
  /** From classUidStems: stable and unique within the group. */
  uidStem: string;
  dates: IsoDate[];
}

/** Every row dated against the calendar (the same dates go to JSON and .ics). */
export function dateEntries(
  entries: readonly Entry[],
  stems: readonly string[],
  calendar: TeachingCalendar,
  weeks: readonly TeachingWeek[],
): DatedEntry[] {
  return entries.map((entry, i) => ({ entry, uidStem: stems[i]!, dates: occurrences(entry, calendar, weeks) }));
}

/**
 * One event per occurrence, in time order (row order breaks ties). Pass a
 * `cache` when the same rows go into several calendars (G-1, G-2, G-all):
 * each row's events are then built once and shared.
 */
export function buildEvents(dated: readonly DatedEntry[], rooms: Rooms, cache?: Map<DatedEntry, ClassEvent[]>): ClassEvent[] {
  const events: ClassEvent[] = [];
  for (const d of dated) {
    let own = cache?.get(d);
    if (!own) {
      own = eventsOfRow(d, rooms);
      cache?.set(d, own);
    }
    for (const event of own) events.push(event);
  }
  // Stable sort: equal keys keep row order.
  return events.sort((a, b) => (a.date === b.date ? a.startHour - b.startHour : a.date < b.date ? -1 : 1));
}

function eventsOfRow({ entry, uidStem, dates }: DatedEntry, rooms: Rooms): ClassEvent[] {
  const summary = summaryOf(entry);
  const location = locationOf(entry, rooms);
  const description = descriptionOf(entry);
  const { day, type, subject, room, professor, formation, frequency } = entry;
  const row = { day, type, subject, room, professor, formation, frequency };
  return dates.map((date) => ({ uid: eventUid(uidStem, date), stem: uidStem, date, startHour: entry.startHour, endHour: entry.endHour, summary, location, description, row }));
}

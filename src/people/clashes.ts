// Timetable clashes: two classes in one room at overlapping hours with
// different teachers, or one teacher in two rooms at overlapping hours.
// The same teacher in the same room at the same time is one class (listed
// under two subject names, or for several groups), never a clash. Pure.
import type { ClashClassJson, ClashesJson, ClashJson } from '../site-data.js';
import type { TimetableRow } from './rows.js';
import { byName } from './names.js';
import { byRow, isRealRoom, type Slot } from './views.js';
import type { IsoDate } from '../model.js';

/** One clash of one room or teacher: its rows as the slots' own arrays (shared, so a 10x faculty's thousands stay small). */
export interface Clash {
  kind: ClashJson['kind'];
  who: string;
  day: ClashJson['day'];
  startHour: number;
  endHour: number;
  /** In time order: each who's slots come in date order. */
  dates: IsoDate[];
  a: Set<readonly TimetableRow[]>;
  b: Set<readonly TimetableRow[]>;
}

/**
 * The clashes of one room (classes of different teachers) or one teacher
 * (classes in two rooms), from its slots in time order. One entry per pair
 * of classes, a class being its hours, room and teacher: a weekly clash is
 * one entry with its dates, listing every row either class has on any of
 * them (a course ending a week earlier for final years is the same clash).
 */
export function clashesOf(kind: ClashJson['kind'], who: string, slots: readonly Slot[]): Clash[] {
  /** Pair of classes -> its clash so far. */
  const found = new Map<string, Clash>();
  const classKey = (s: Slot): string => `${s.startHour}-${s.endHour}|${s.room}|${s.teacher ?? ''}`;
  const note = (a: Slot, b: Slot): void => {
    const key = `${classKey(a)}\u0000${classKey(b)}`;
    let entry = found.get(key);
    if (!entry) {
      const day = a.rows[0]!.day;
      entry = { kind, who, day, startHour: Math.max(a.startHour, b.startHour), endHour: Math.min(a.endHour, b.endHour), dates: [], a: new Set(), b: new Set() };
      found.set(key, entry);
    }
    entry.dates.push(a.date);
    entry.a.add(a.rows);
    entry.b.add(b.rows);
  };
  if (kind === 'room') {
    // Classes of different teachers (an unknown teacher is another class too).
    overlapping(slots, (a, b) => a.teacher === null || a.teacher !== b.teacher, note);
  } else {
    // Classes in two rooms (`neprecizat`, a room not given yet, may well be the other one).
    overlapping(slots, (a, b) => a.room !== b.room && isRealRoom(a.room) && isRealRoom(b.room), note);
  }
  return [...found.values()];
}

/** data/clashes.json: every clash counted; the first `max` of them (by kind, room or teacher, date, hour) listed. */
export function listClashes(found: readonly Clash[], max: number): ClashesJson {
  const rowsOf = (arrays: Set<readonly TimetableRow[]>): TimetableRow[] => [...new Set([...arrays].flat())].sort(byRow);
  const sorted = [...found].sort(
    (a, b) =>
      (a.kind === b.kind ? 0 : a.kind === 'room' ? -1 : 1) ||
      byName(a.who, b.who) ||
      (a.dates[0]! < b.dates[0]! ? -1 : a.dates[0]! > b.dates[0]! ? 1 : 0) ||
      a.startHour - b.startHour,
  );
  const clashes = sorted.slice(0, max).map(({ kind, who, day, startHour, endHour, dates, a, b }): ClashJson => ({
    kind,
    ...(kind === 'room' ? { room: who } : { teacher: who }),
    day,
    startHour,
    endHour,
    dates,
    classes: [...rowsOf(a), ...rowsOf(b)].map(classJson),
  }));
  return { count: sorted.length, clashes };
}

/** Calls `found` for each pair of slots on one date whose hours overlap and that `differ` (slots in time order). */
function overlapping(slots: readonly Slot[], differ: (a: Slot, b: Slot) => boolean, found: (a: Slot, b: Slot) => void): void {
  for (let i = 0; i < slots.length; i++) {
    const a = slots[i]!;
    for (let j = i + 1; j < slots.length; j++) {
      const b = slots[j]!;
      if (b.date !== a.date || b.startHour >= a.endHour) break;
      if (differ(a, b)) found(a, b);
    }
  }
}

function classJson(row: TimetableRow): ClashClassJson {
  const { spec, formation, subject, type, professor, room, startHour, endHour } = row;
  return { spec, formation, subject, type, teacher: professor.trim(), room, startHour, endHour };
}

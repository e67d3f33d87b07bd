// Timetable clashes: two classes in one room at overlapping hours with
// different teachers, or one teacher in two rooms at overlapping hours.
// The same teacher in the same room at the same time is one class (listed
// under two subject names, or for several groups), never a clash. Pure.
import type { ClashClassJson, ClashJson } from '../site-data.js';
import type { TimetableRow } from './rows.js';
import { byName } from './names.js';
import type { Slot } from './views.js';

/**
 * Collects clashes room by room and teacher by teacher (each one's slots in
 * time order), once per pair of classes with the dates it happens on: a
 * weekly clash is one entry with its ~14 dates.
 */
export function clashCollector(): {
  room: (room: string, slots: readonly Slot[]) => void;
  teacher: (name: string, slots: readonly Slot[]) => void;
  list: () => ClashJson[];
} {
  /** Pair of classes -> its clash, gathering dates. */
  const found = new Map<string, ClashJson>();
  /** Each row's number, for naming a class by its rows. */
  const rowIds = new Map<TimetableRow, number>();
  const classKey = (s: Slot): string => `${s.startHour}-${s.endHour}|${s.room}|${s.teacher ?? ''}|${s.rows.map((r) => rowIdOf(rowIds, r)).join(',')}`;
  const note = (kind: ClashJson['kind'], who: string, a: Slot, b: Slot): void => {
    const key = `${kind}\u0000${who}\u0000${classKey(a)}\u0000${classKey(b)}`;
    const clash = found.get(key);
    if (clash) {
      clash.dates.push(a.date);
      return;
    }
    found.set(key, {
      kind,
      ...(kind === 'room' ? { room: who } : { teacher: who }),
      day: a.rows[0]!.day,
      startHour: Math.max(a.startHour, b.startHour),
      endHour: Math.min(a.endHour, b.endHour),
      dates: [a.date],
      classes: [...a.rows, ...b.rows].map(classJson),
    });
  };
  return {
    // Classes of different teachers (an unknown teacher is another class too).
    room: (room, slots) => overlapping(slots, (a, b) => a.teacher === null || a.teacher !== b.teacher, (a, b) => note('room', room, a, b)),
    // Classes in different rooms.
    teacher: (name, slots) => overlapping(slots, (a, b) => a.room !== b.room, (a, b) => note('teacher', name, a, b)),
    list: () =>
      [...found.values()].sort(
        (a, b) =>
          (a.kind === b.kind ? 0 : a.kind === 'room' ? -1 : 1) ||
          byName(a.room ?? a.teacher ?? '', b.room ?? b.teacher ?? '') ||
          (a.dates[0]! < b.dates[0]! ? -1 : a.dates[0]! > b.dates[0]! ? 1 : 0) ||
          a.startHour - b.startHour,
      ),
  };
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

function rowIdOf(ids: Map<TimetableRow, number>, row: TimetableRow): number {
  let id = ids.get(row);
  if (id === undefined) {
    id = ids.size;
    ids.set(row, id);
  }
  return id;
}

function classJson(row: TimetableRow): ClashClassJson {
  const { spec, formation, subject, type, professor, room, startHour, endHour } = row;
  return { spec, formation, subject, type, teacher: professor.trim(), room, startHour, endHour };
}

// A teacher's week and a room's week, from every row of every spec: the
// classes each one holds, one per distinct date and hours (and room, or
// teacher), whatever the groups and specs that list them. Pure.
import type { IsoDate } from '../model.js';
import { teacherOf } from './names.js';
import type { TimetableRow } from './rows.js';

/** One class of a teacher or a room on one date: the rows that list it. */
export interface Slot {
  date: IsoDate;
  startHour: number;
  endHour: number;
  /** '' when the row names none. */
  room: string;
  /** The teacher's name (teacherOf), or null for `- Necunoscut`. */
  teacher: string | null;
  /** Sorted by spec, formation, type, subject. */
  rows: TimetableRow[];
}

export interface TeacherRows {
  name: string;
  /** Title words the rows give them (`Conf.`), in order of appearance. */
  titles: string[];
  /** Codes of the specs they teach in, sorted. */
  specs: string[];
  rows: TimetableRow[];
}

/** Rooms the faculty writes for "no room yet": not a room anyone can find free. */
export function isRealRoom(room: string): boolean {
  return room.trim() !== '' && !/^neprecizat$/i.test(room.trim());
}

/**
 * The rows of each teacher (by name) and of each room. A row with no
 * teacher (`- Necunoscut`) still takes its room; a row with no room
 * (`neprecizat`) still is its teacher's class.
 */
export function rowsByTeacherAndRoom(rows: readonly TimetableRow[]): { teachers: Map<string, TeacherRows>; rooms: Map<string, TimetableRow[]> } {
  const teachers = new Map<string, TeacherRows & { specSet: Set<string> }>();
  const rooms = new Map<string, TimetableRow[]>();
  for (const row of rows) {
    const teacher = teacherOf(row.professor);
    if (teacher) {
      let t = teachers.get(teacher.name);
      if (!t) {
        t = { name: teacher.name, titles: [], specs: [], rows: [], specSet: new Set() };
        teachers.set(teacher.name, t);
      }
      if (teacher.title && !t.titles.includes(teacher.title)) t.titles.push(teacher.title);
      t.specSet.add(row.spec);
      t.rows.push(row);
    }
    const room = row.room.trim();
    if (isRealRoom(room)) {
      const list = rooms.get(room);
      if (list) list.push(row);
      else rooms.set(room, [row]);
    }
  }
  const result = new Map<string, TeacherRows>();
  for (const [name, { specSet, ...t }] of teachers) result.set(name, { ...t, specs: [...specSet].sort() });
  return { teachers: result, rooms };
}

/** A teacher's classes: one slot per distinct (date, hours, room), whatever groups and specs list it; in time order, then room. */
export function teacherSlots(rows: readonly TimetableRow[]): Slot[] {
  return slotsOf(rows, (row, teacher) => `${row.room.trim()}|${teacher ?? ''}`, (s) => s.room);
}

/** A room's classes: one slot per distinct (date, hours, teacher); in time order, then teacher. */
export function roomSlots(rows: readonly TimetableRow[]): Slot[] {
  return slotsOf(rows, (_row, teacher) => teacher ?? '', (s) => s.teacher ?? '');
}

function slotsOf(rows: readonly TimetableRow[], keyOf: (row: TimetableRow, teacher: string | null) => string, other: (s: Slot) => string): Slot[] {
  const byKey = new Map<string, Slot>();
  for (const row of rows) {
    const teacher = teacherOf(row.professor)?.name ?? null;
    const room = row.room.trim();
    const key = `${row.startHour}|${row.endHour}|${keyOf(row, teacher)}|`;
    for (const date of row.dates) {
      const slot = byKey.get(key + date);
      if (slot) slot.rows.push(row);
      else byKey.set(key + date, { date, startHour: row.startHour, endHour: row.endHour, room, teacher, rows: [row] });
    }
  }
  return sortSlots([...byKey.values()], other);
}

/** Time order, then `other`; each slot's rows in a fixed order (specs arrive in any order under --only). */
function sortSlots(slots: Slot[], other: (s: Slot) => string): Slot[] {
  for (const s of slots) if (s.rows.length > 1) s.rows.sort(byRow);
  return slots.sort(
    (a, b) =>
      (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
      a.startHour - b.startHour ||
      a.endHour - b.endHour ||
      (other(a) < other(b) ? -1 : other(a) > other(b) ? 1 : 0),
  );
}

function byRow(a: TimetableRow, b: TimetableRow): number {
  for (const k of ['spec', 'formation', 'type', 'subject', 'professor', 'room'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
}

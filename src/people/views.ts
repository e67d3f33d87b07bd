// A teacher's week and a room's week, from every row of every spec: the
// classes each one holds, one per distinct date and hours (and room, or
// teacher), whatever the groups and specs that list them. Pure.
import type { IsoDate } from '../model.js';
import { TITLES, teacherOf } from './names.js';
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
  /** Title words the rows give them (`Conf.`), in TITLES' order. */
  titles: string[];
  /** Codes of the specs they teach in, sorted. */
  specs: string[];
  rows: TimetableRow[];
}

/** Rooms the faculty writes for "no room yet": not a room anyone can find free. */
export function isRealRoom(room: string): boolean {
  return room.trim() !== '' && !/^neprecizat$/i.test(room.trim());
}

/** Every row so far, by teacher and by room; rows come a spec at a time. */
export interface PeopleRows {
  /** Adds rows (a spec's); returns the teachers and the rooms they name. */
  add(rows: readonly TimetableRow[]): { teachers: Set<string>; rooms: Set<string> };
  teacher(name: string): TeacherRows | undefined;
  room(room: string): readonly TimetableRow[] | undefined;
}

/**
 * The rows of each teacher (by name) and of each room. A row with no
 * teacher (`- Necunoscut`) still takes its room; a row with no room
 * (`neprecizat`) still is its teacher's class.
 */
export function peopleRows(): PeopleRows {
  const teachers = new Map<string, { titles: Set<string>; specs: Set<string>; rows: TimetableRow[] }>();
  const rooms = new Map<string, TimetableRow[]>();
  // Titles in a fixed order: rows arrive in spec order, which --only changes.
  const rank = (title: string): number => (TITLES as readonly string[]).indexOf(title);
  return {
    add(rows) {
      const touched = { teachers: new Set<string>(), rooms: new Set<string>() };
      for (const row of rows) {
        const teacher = teacherOf(row.professor);
        if (teacher) {
          let t = teachers.get(teacher.name);
          if (!t) {
            t = { titles: new Set(), specs: new Set(), rows: [] };
            teachers.set(teacher.name, t);
          }
          if (teacher.title) t.titles.add(teacher.title);
          t.specs.add(row.spec);
          t.rows.push(row);
          touched.teachers.add(teacher.name);
        }
        const room = row.room.trim();
        if (isRealRoom(room)) {
          const list = rooms.get(room);
          if (list) list.push(row);
          else rooms.set(room, [row]);
          touched.rooms.add(room);
        }
      }
      return touched;
    },
    teacher(name) {
      const t = teachers.get(name);
      return t && { name, titles: [...t.titles].sort((a, b) => rank(a) - rank(b)), specs: [...t.specs].sort(), rows: t.rows };
    },
    room: (room) => rooms.get(room),
  };
}

/** A teacher's classes: one slot per distinct (date, hours, room), whatever groups and specs list it; in time order, then room. */
export function teacherSlots(rows: readonly TimetableRow[]): Slot[] {
  return slotsOf(rows, (row) => row.room.trim(), (slot) => slot.room);
}

/** A room's classes: one slot per distinct (date, hours, teacher); in time order, then teacher. */
export function roomSlots(rows: readonly TimetableRow[]): Slot[] {
  return slotsOf(rows, (row) => teacherOf(row.professor)?.name ?? '', (slot) => slot.teacher ?? '');
}

/**
 * The slots of one teacher's or room's rows, `other` naming what else tells
 * two classes at the same hours apart (the room, the teacher). Slots of a
 * class whose dates have the same rows share one rows array (the events'
 * texts are made once per array).
 */
function slotsOf(rows: readonly TimetableRow[], other: (row: TimetableRow) => string, otherOf: (slot: Slot) => string): Slot[] {
  /** Class (hours and `other`) -> its rows, in byRow order. */
  const classes = new Map<string, TimetableRow[]>();
  for (const row of rows) {
    const key = `${row.startHour}|${row.endHour}|${other(row)}`;
    const list = classes.get(key);
    if (list) list.push(row);
    else classes.set(key, [row]);
  }
  const slots: Slot[] = [];
  for (const [key, list] of classes) {
    list.sort(byRow);
    const first = list[0]!;
    const teacher = teacherOf(first.professor)?.name ?? null;
    const room = first.room.trim();
    /** Date -> the rows held on it (a subsequence of `list`, so still in order). */
    const byDate = new Map<IsoDate, TimetableRow[]>();
    for (const row of list) {
      for (const date of row.dates) {
        const held = byDate.get(date);
        if (held) held.push(row);
        else byDate.set(date, [row]);
      }
    }
    /** The same rows on several dates: one array. */
    const shared = new Map<string, TimetableRow[]>();
    for (const [date, held] of byDate) {
      const id = held.length === list.length ? '*' : held.map((r) => list.indexOf(r)).join();
      let same = shared.get(id);
      if (!same) {
        same = held.length === list.length ? list : held;
        shared.set(id, same);
      }
      slots.push({ date, startHour: first.startHour, endHour: first.endHour, room, teacher, rows: same });
    }
  }
  return slots.sort(
    (a, b) =>
      (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
      a.startHour - b.startHour ||
      a.endHour - b.endHour ||
      (otherOf(a) < otherOf(b) ? -1 : otherOf(a) > otherOf(b) ? 1 : 0),
  );
}

/** Rows in a fixed order: spec, formation, type, subject, teacher, room. */
export function byRow(a: TimetableRow, b: TimetableRow): number {
  for (const k of ['spec', 'formation', 'type', 'subject', 'professor', 'room'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
}

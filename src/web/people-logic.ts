// Teachers, rooms and free rooms on the page, without the DOM: search over
// data/teachers.json and data/room-index.json, a teacher's or a room's week
// from the spec files, and which rooms data/occupancy.json says are free.
// Runs in the browser and under the tests alike.
import type { IsoDate, OccupancyJson, RoomIndexJson, SpecJson, TeacherJson } from '../site-data.js';
import { normalize, teacherFor, wordScore, type Entry } from './logic.js';

export interface PersonHit {
  kind: 'teacher' | 'room';
  slug: string;
  /** What the results list shows: the teacher's name, or the room and its location. */
  label: string;
  score: number;
}

/**
 * Teachers by name (any order of the names, diacritics, case and small typos
 * forgiven: "ana parvulescu" finds "PÂRVULESCU Ana") and rooms by code
 * ("2/i", "2 i" find "2/I"). Scores are on search()'s scale, so the two
 * lists can be merged.
 */
export function searchPeople(teachers: readonly TeacherJson[], rooms: readonly RoomIndexJson[], query: string, limit = 8): PersonHit[] {
  const q = normalize(query);
  if (!q) return [];
  const tokens = q.split(' ');
  const compact = q.replace(/ /g, '');
  const hits: PersonHit[] = [];
  for (const t of teachers) {
    const words = normalize(t.name).split(' ');
    let matched = 0;
    for (const token of tokens) {
      const s = wordScore(token, words);
      if (s === 0) {
        matched = -1;
        break;
      }
      matched += s;
    }
    if (matched > 0) hits.push({ kind: 'teacher', slug: t.slug, label: t.name, score: 100 + matched + (10 * tokens.length) / words.length });
  }
  for (const r of rooms) {
    const code = normalize(r.room).replace(/ /g, '');
    const score = code === compact ? 1000 : code.startsWith(compact) ? 800 : 0;
    if (score > 0) hits.push({ kind: 'room', slug: r.slug, label: r.location ? `${r.room} (${r.location})` : r.room, score });
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
}

/**
 * A teacher's classes across the specs they teach in, one row per class:
 * the same class listed for several groups (or specs) is one row whose
 * formation names them all (`921 (IE2), 922 (IE2)`). A row is theirs when
 * its professor cell names them (teacherFor: the details sheet's rule).
 */
export function teacherWeek(specs: readonly SpecJson[], teacher: TeacherJson, teachers: readonly TeacherJson[]): Entry[] {
  const whose = new Map<string, boolean>();
  return mergedClasses(specs, (e) => {
    let mine = whose.get(e.professor);
    if (mine === undefined) {
      mine = teacherFor(e.professor, teachers) === teacher;
      whose.set(e.professor, mine);
    }
    return mine;
  });
}

/** A room's classes across every spec, one row per class (see teacherWeek). */
export function roomWeek(specs: readonly SpecJson[], room: string): Entry[] {
  return mergedClasses(specs, (e) => e.room.trim() === room);
}

function mergedClasses(specs: readonly SpecJson[], wanted: (e: Entry) => boolean): Entry[] {
  const classes = new Map<string, { entry: Entry; formations: string[]; dates: Set<IsoDate> }>();
  for (const spec of specs) {
    for (const group of spec.groups) {
      for (const e of group.entries) {
        if (!wanted(e)) continue;
        const key = [e.day, e.startHour, e.endHour, e.frequency, e.room, e.type, e.subject, e.professor].join('|');
        let c = classes.get(key);
        if (!c) {
          c = { entry: e, formations: [], dates: new Set() };
          classes.set(key, c);
        }
        // A year-wide formation is its spec's code already.
        const label = e.formation === spec.code ? spec.code : `${e.formation} (${spec.code})`;
        if (!c.formations.includes(label)) c.formations.push(label);
        for (const d of e.dates) c.dates.add(d);
      }
    }
  }
  return [...classes.values()].map(({ entry, formations, dates }) => ({ ...entry, formation: formations.join(', '), dates: [...dates].sort() }));
}

export interface FreeRoom {
  room: string;
  location: string | null;
  /** The hour it is next taken that day, or null: free for the rest of the day. */
  until: number | null;
}

export interface FreeRooms {
  /** False outside the dates the timetable covers (occupancy's from..to): nothing is known there. */
  covered: boolean;
  /** How many rooms are taken at that hour. */
  taken: number;
  /** No class at all that day (a weekend, a holiday, a vacation): every room is free for the day. */
  noClasses: boolean;
  /** Free rooms by building, buildings by name (rooms the legend does not place last), rooms in the index's order. */
  buildings: { building: string; rooms: FreeRoom[] }[];
}

/** The buildings group of rooms the legend gives no location for. */
const NO_BUILDING = 'Location not given';

/**
 * The building in a legend location: its first part, up to the first comma
 * ("Cladirea Centrala, Etaj 1"), without a hall's own name before " - "
 * ("Sala Nicolae Iorga - Cladirea Centrala UBB, Etaj 1").
 */
export function buildingOf(location: string | null): string {
  const first = location?.split(',')[0]?.trim() ?? '';
  const building = first.split(' - ').at(-1)!.trim();
  return building || NO_BUILDING;
}

/** Rooms free on `date` from `hour`:00, and until when (bit h of a room's number: taken h:00-h+1:00). */
export function freeRooms(occupancy: OccupancyJson, index: readonly RoomIndexJson[], date: IsoDate, hour: number): FreeRooms {
  const covered = occupancy.from !== null && occupancy.to !== null && date >= occupancy.from && date <= occupancy.to;
  const masks = occupancy.dates[date];
  const location = new Map(index.map((r) => [r.room, r.location]));
  const byBuilding = new Map<string, FreeRoom[]>();
  let taken = 0;
  occupancy.rooms.forEach((room, i) => {
    const mask = masks?.[i] ?? 0;
    if (mask & (1 << hour)) {
      taken++;
      return;
    }
    let until: number | null = null;
    for (let h = hour + 1; h < 24; h++) {
      if (mask & (1 << h)) {
        until = h;
        break;
      }
    }
    const where = location.get(room) ?? null;
    const building = buildingOf(where);
    byBuilding.set(building, [...(byBuilding.get(building) ?? []), { room, location: where, until }]);
  });
  const names = [...byBuilding.keys()].sort((a, b) => (a === NO_BUILDING ? 1 : b === NO_BUILDING ? -1 : a.localeCompare(b)));
  return { covered, taken, noClasses: covered && masks === undefined, buildings: names.map((building) => ({ building, rooms: byBuilding.get(building)! })) };
}

/** The hour (0-23) it is now in the faculty's time zone. */
export function hourIn(now: Date, timeZone: string | undefined): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now)) % 24;
}

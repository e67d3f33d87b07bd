// The other views of the timetable, written: a calendar per teacher and per
// room (evolving like group calendars, with their own publication state),
// the lists the page searches, free rooms by date and hour, and clashes.
// Made from every spec's rows once all specs are known; one teacher or room
// at a time, so a 10x faculty never holds all their events at once.
import type { ClassEvent } from '../calendar/events.js';
import { encodeState, publish, readStoredState } from '../calendar/publication.js';
import type { IsoDate, Rooms } from '../model.js';
import { clashCollector } from '../people/clashes.js';
import { roomEventText, slotEvents, teacherEventText, type SlotText } from '../people/events.js';
import { assignSlugs, byName } from '../people/names.js';
import { occupancy, takenHours } from '../people/occupancy.js';
import type { TimetableRow } from '../people/rows.js';
import { roomSlots, rowsByTeacherAndRoom, teacherSlots, type Slot } from '../people/views.js';
import type { RoomIndexJson, TeacherJson } from '../site-data.js';
import { IcsRenderer } from './ics.js';
import { toJson } from './json.js';
import { PEOPLE_STATE_FILES, peopleStatePath } from './paths.js';
import { readJson } from '../generate.js';
import type { SiteWriter } from './site-writer.js';

/** Clashes written out in data/clashes.json; all are counted. */
const LISTED_CLASHES = 500;

/**
 * What a view published, for the next run: its slugs, so addresses stay.
 * The calendars' own states are in shards by the slug's first character
 * (`peopleStatePath`), each written once its calendars are made: a 10x
 * faculty never holds them all, and the real one writes ~35 state files,
 * not one per calendar.
 */
export interface ViewState {
  v: 2;
  semester: string;
  /** Teacher name or room -> its slug. */
  slugs: Record<string, string>;
}

/** The run's figures for these files (build.json `people`, the summary). */
export interface PeopleSummary {
  teachers: number;
  rooms: number;
  /** Calendar files written (teachers and rooms). */
  files: number;
  /** Events in them, cancelled ones included. */
  events: number;
  clashes: number;
  /** Building, comparing, rendering and handing over every one of these files. */
  generateMs: number;
}

export interface PeopleInput {
  semester: string;
  /** Every row of every spec in the site (regenerated, carried over, kept by --only, stale). */
  rows: readonly TimetableRow[];
  /** The legend: where each room is. */
  rooms: Rooms;
  /** DTSTAMP of what changed. */
  now: Date;
  writer: SiteWriter;
  clock: () => number;
}

/** Writes teachers/*.ics, rooms/*.ics, data/teachers.json, data/room-index.json, data/occupancy.json, data/clashes.json and the views' state. */
export function writePeopleFiles(input: PeopleInput): PeopleSummary {
  const started = input.clock();
  const { semester, rooms: legend, writer } = input;
  const { teachers, rooms } = rowsByTeacherAndRoom(input.rows);
  const clashes = clashCollector();
  let files = 0;
  let events = 0;

  const teacherState = previousState(writer, PEOPLE_STATE_FILES.teachers, semester);
  const teacherSlugs = assignSlugs([...teachers.keys(), ...Object.keys(teacherState?.slugs ?? {})], teacherState?.slugs ?? {});
  const teacherList: TeacherJson[] = [];
  const teacherView = publishView(input, teacherState, PEOPLE_STATE_FILES.teachers, teacherSlugs, 'teachers', (name, slug) => {
    const found = teachers.get(name);
    const slots = teacherSlots(found?.rows ?? []);
    clashes.teacher(name, slots);
    return {
      stem: `${semester}-teacher-${slug}`,
      slots,
      text: (slot) => teacherEventText(slot, legend),
      title: `${name} · ${semester}`,
      description: `Classes of ${[found?.titles[0], name].filter(Boolean).join(' ')} in every specialization, semester ${semester}.`,
      listed: (file, count) => teacherList.push({ name, titles: found?.titles ?? [], slug, file, events: count, specs: found?.specs ?? [] }),
    };
  });
  files += teacherView.files;
  events += teacherView.events;

  const roomState = previousState(writer, PEOPLE_STATE_FILES.rooms, semester);
  const roomSlugs = assignSlugs([...rooms.keys(), ...Object.keys(roomState?.slugs ?? {})], roomState?.slugs ?? {});
  const roomList: RoomIndexJson[] = [];
  const taken: { room: string; taken: Map<IsoDate, number> }[] = [];
  const roomView = publishView(input, roomState, PEOPLE_STATE_FILES.rooms, roomSlugs, 'rooms', (room, slug) => {
    const slots = roomSlots(rooms.get(room) ?? []);
    clashes.room(room, slots);
    const location = Object.hasOwn(legend, room) ? legend[room]! : null;
    return {
      stem: `${semester}-room-${slug}`,
      slots,
      text: (slot) => roomEventText(slot, legend),
      title: `Room ${room} · ${semester}`,
      description: `Classes in room ${room}${location ? ` (${location})` : ''}, semester ${semester}.`,
      listed: (file, count) => {
        roomList.push({ room, location, slug, file, events: count });
        taken.push({ room, taken: takenHours(slots) });
      },
    };
  });
  files += roomView.files;
  events += roomView.events;
  // Calendars are made in slug order (their state is sharded by it); the lists are by name.
  teacherList.sort((a, b) => byName(a.name, b.name));
  const roomOrder = roomList.map((entry, i) => ({ entry, taken: taken[i]! })).sort((a, b) => byName(a.entry.room, b.entry.room));

  const clashList = clashes.list(LISTED_CLASHES);
  writer.write([
    { path: 'data/teachers.json', content: toJson(teacherList) },
    { path: 'data/room-index.json', content: toJson(roomOrder.map((r) => r.entry)) },
    // Compact on purpose: one line of numbers per date is most of the file.
    { path: 'data/occupancy.json', content: `${JSON.stringify(occupancy(semester, roomOrder.map((r) => r.taken)))}\n` },
    { path: 'data/clashes.json', content: toJson(clashList) },
  ]);
  return { teachers: teacherList.length, rooms: roomList.length, files, events, clashes: clashList.count, generateMs: input.clock() - started };
}

/** One teacher's or room's calendar, as the view needs it. */
interface CalendarPlan {
  stem: string;
  slots: Slot[];
  text: (slot: Slot) => SlotText;
  title: string;
  description: string;
  /** Called once the file is written, with its path and event count (in slug order). */
  listed: (file: string, events: number) => void;
}

/**
 * Every calendar of one view, in slug order: its events compared with what
 * it published last time (unchanged events keep their bytes, changed ones
 * SEQUENCE + 1, gone ones CANCELLED), rendered and written one at a time;
 * then the view's state. A name the last run had and this one has not
 * keeps its file, its events cancelled.
 */
function publishView(
  input: PeopleInput,
  previous: ViewState | null,
  viewStatePath: string,
  slugs: ReadonlyMap<string, string>,
  folder: 'teachers' | 'rooms',
  plan: (name: string, slug: string) => CalendarPlan,
): { files: number; events: number } {
  const { writer, now } = input;
  let events = 0;
  /** The shard being filled: calendars whose slug starts with the same character, and their states. */
  let shard = { key: '', previous: {} as Record<string, unknown>, states: [] as string[] };
  const flush = (): void => {
    if (shard.states.length > 0) writer.write([{ path: peopleStatePath(folder, shard.key), content: `{${shard.states.join(',')}}` }]);
  };
  const bySlug = [...slugs].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  for (const [name, slug] of bySlug) {
    if (slug[0] !== shard.key) {
      flush();
      const key = slug[0]!;
      shard = { key, previous: (previous && readJson<Record<string, unknown>>(writer, peopleStatePath(folder, key))) || {}, states: [] };
    }
    const path = `${folder}/${slug}.ics`;
    const p = plan(name, slug);
    // Slots holding the same rows (most dates of a class) share their text.
    const made = new Map<readonly TimetableRow[], SlotText>();
    const textOf = (slot: Slot): SlotText => {
      let text = made.get(slot.rows);
      if (!text) {
        text = p.text(slot);
        made.set(slot.rows, text);
      }
      return text;
    };
    const next = new Map([[path, slotEvents(p.slots, p.stem, textOf)]]);
    const publication = publish(readStoredState(Object.hasOwn(shard.previous, slug) ? shard.previous[slug] : null), next, now);
    const published = publication.files.get(path)!;
    writer.write([{ path, content: new IcsRenderer().render({ name: p.title, description: p.description, events: published }) }]);
    shard.states.push(`${JSON.stringify(slug)}:${JSON.stringify(encodeState(publication.state))}`);
    events += published.length;
    p.listed(path, published.length);
  }
  flush();
  const state: ViewState = { v: 2, semester: input.semester, slugs: Object.fromEntries([...slugs].sort((a, b) => byName(a[0], b[0]))) };
  writer.write([{ path: viewStatePath, content: JSON.stringify(state) }]);
  return { files: slugs.size, events };
}

/** A view's state from the current site, if it is this semester's (another semester starts a new publication history). */
function previousState(writer: SiteWriter, path: string, semester: string): ViewState | null {
  const text = writer.previous(path);
  if (text === null) return null;
  try {
    const state = JSON.parse(text) as Partial<ViewState>;
    if (state.v !== 2 || state.semester !== semester || typeof state.slugs !== 'object' || state.slugs === null) return null;
    return state as ViewState;
  } catch {
    return null;
  }
}

// The other views of the timetable, written: a calendar per teacher and per
// room (evolving like group calendars, with their own publication state),
// the lists the page searches, free rooms by date and hour, and clashes.
//
// Rows come a spec at a time, as specs are generated. A calendar can be
// made ahead (`prepareOne`, while the run waits on the network) and is made
// again at the end only if a later spec changed its rows: the files made
// after the last page are those of the teachers and rooms that page names.
import { encodeState, publish, readStoredState } from '../calendar/publication.js';
import type { IsoDate, Rooms } from '../model.js';
import { clashesOf, listClashes, type Clash } from '../people/clashes.js';
import { roomEventText, slotEvents, teacherEventText, type SlotText } from '../people/events.js';
import { assignSlugs, byCodePoint, sortedByName } from '../people/names.js';
import { occupancy, takenHours } from '../people/occupancy.js';
import type { TimetableRow } from '../people/rows.js';
import { peopleRows, roomSlots, teacherSlots, type Slot } from '../people/views.js';
import type { RoomIndexJson, TeacherJson } from '../site-data.js';
import { readJson } from '../generate.js';
import { IcsRenderer } from './ics.js';
import { toJson } from './json.js';
import { PEOPLE_STATE_FILES, peopleStatePath } from './paths.js';
import type { SiteWriter } from './site-writer.js';

/** Clashes written out in data/clashes.json; all are counted. */
const LISTED_CLASHES = 500;

/**
 * What a view published, for the next run: its slugs, so addresses stay.
 * The calendars' own states are in shards by the slug's first character
 * (`peopleStatePath`): the real faculty writes ~45 state files, not one
 * per calendar.
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
  /** Calendars made ahead, while the run waited on the network, and kept. */
  madeAhead: number;
  /** Calendars made after the last spec (new, or changed by a spec after they were made ahead). */
  madeAtEnd: number;
  /** Calendars made in all, ahead and at the end: one made ahead and made again counts twice. */
  made: number;
  /** Making, comparing, rendering and handing over the files after the last spec. */
  generateMs: number;
}

export interface PeopleFilesOptions {
  semester: string;
  /** DTSTAMP of what changed. */
  now: Date;
  writer: SiteWriter;
  clock: () => number;
}

export interface PeopleFiles {
  /** A spec's rows (regenerated, carried over, kept by --only, stale): their teachers' and rooms' calendars are to be made (again). */
  add(rows: readonly TimetableRow[]): void;
  /** One step ahead: makes one calendar whose rows changed since it was last made, or writes the state shards due; false when nothing is left to do. */
  prepareOne(legend: Rooms): boolean;
  /** Makes what is left and writes the lists, free rooms, clashes and the views' state. */
  finish(legend: Rooms): PeopleSummary;
}

type ViewName = 'teachers' | 'rooms';

/** One teacher's or room's calendar as made: what the end needs of it without making it again. */
interface Made {
  /** The rows' version it was made from, under which slug, with which legend. */
  version: number;
  slug: string;
  legend: Rooms;
  path: string;
  events: number;
  /** Its publication state, as stored (JSON), until its shard is written (then the shard holds it). */
  state: string | null;
  clashes: Clash[];
  /** Rooms only: taken hours by date. */
  taken: Map<IsoDate, number> | null;
}

/** A teacher or a room. */
interface Entity {
  view: ViewName;
  name: string;
  /** Bumped by every spec that names it. */
  version: number;
  made: Made | null;
}

/** One view's previous publication and its slugs. */
interface View {
  name: ViewName;
  previous: ViewState | null;
  entities: Map<string, Entity>;
  /** Name -> slug for the names known so far; null when a new name came since. */
  slugs: Map<string, string> | null;
  /** The previous state shard last read (calendars are made in slug order, so mostly one at a time). */
  shard: { key: string; states: Record<string, unknown> } | null;
  /** State shards (by first character of the slug) whose calendars were made since the shard was written. */
  dirtyShards: Set<string>;
  /** State shards written in this run: where each calendar's state is in the shard's text (slug -> [from, to)). */
  writtenShards: Map<string, Map<string, [number, number]>>;
}

export function peopleFiles(options: PeopleFilesOptions): PeopleFiles {
  const { semester, now, writer, clock } = options;
  const rows = peopleRows();
  const views: Record<ViewName, View> = { teachers: openView('teachers'), rooms: openView('rooms') };
  /** Entities whose rows changed since they were made: in slug order per view, teachers first (see `next`). */
  let pending: Entity[] | null = null;
  /** Calendars made so far, made again ones included. */
  let made = 0;
  /** The state shard of the calendar made ahead last. */
  let lastShard = '';
  /** Calendar path -> the entity whose calendar the new site holds there. */
  const owners = new Map<string, Entity>();

  function openView(name: ViewName): View {
    const previous = previousState(writer, PEOPLE_STATE_FILES[name], semester);
    const view: View = { name, previous, entities: new Map(), slugs: null, shard: null, dirtyShards: new Set(), writtenShards: new Map() };
    // A name the last run had and this one has not keeps its file, its events cancelled.
    for (const known of Object.keys(previous?.slugs ?? {})) view.entities.set(known, { view: name, name: known, version: 1, made: null });
    return view;
  }

  function touch(view: View, name: string): void {
    let entity = view.entities.get(name);
    if (!entity) {
      entity = { view: view.name, name, version: 0, made: null };
      view.entities.set(name, entity);
      view.slugs = null;
    }
    entity.version += 1;
    pending = null;
  }

  function slugsOf(view: View): Map<string, string> {
    view.slugs ??= assignSlugs([...view.entities.keys()], view.previous?.slugs ?? {});
    return view.slugs;
  }

  const isCurrent = (entity: Entity, slug: string, legend: Rooms): boolean =>
    entity.made !== null && entity.made.version === entity.version && entity.made.slug === slug && entity.made.legend === legend;

  /** The next calendar to make ahead, in slug order (the previous state is sharded by slug). */
  function next(legend: Rooms): { entity: Entity; slug: string } | undefined {
    if (pending === null) {
      pending = [];
      for (const view of [views.teachers, views.rooms]) {
        const slugs = slugsOf(view);
        pending.push(...[...view.entities.values()].sort((a, b) => byCodePoint(slugs.get(a.name)!, slugs.get(b.name)!)));
      }
      pending.reverse(); // taken from the end
    }
    while (pending.length > 0) {
      const entity = pending.pop()!;
      const slug = slugsOf(views[entity.view]).get(entity.name)!;
      if (!isCurrent(entity, slug, legend)) return { entity, slug };
    }
    return undefined;
  }

  /** Makes and writes one calendar. A calendar made before under another slug is taken back. */
  function make(entity: Entity, slug: string, legend: Rooms): void {
    const view = views[entity.view];
    const path = `${view.name}/${slug}.ics`;
    const plan = entity.view === 'teachers' ? teacherPlan(entity.name, slug, legend) : roomPlan(entity.name, slug, legend);
    // Slots holding the same rows (most dates of a class) share their text.
    const texts = new Map<readonly TimetableRow[], SlotText>();
    const textOf = (slot: Slot): SlotText => {
      let text = texts.get(slot.rows);
      if (!text) {
        text = plan.text(slot);
        texts.set(slot.rows, text);
      }
      return text;
    };
    const publication = publish(readStoredState(previousOf(view, slug)), new Map([[path, slotEvents(plan.slots, plan.stem, textOf)]]), now);
    const published = publication.files.get(path)!;
    // A file made ahead under a slug its name no longer has is taken back,
    // unless another name's calendar has been written over it since.
    const before = entity.made?.path;
    if (before !== undefined && before !== path && owners.get(before) === entity) {
      writer.remove([before]);
      owners.delete(before);
    }
    owners.set(path, entity);
    if (entity.made) view.dirtyShards.add(entity.made.slug[0]!);
    view.dirtyShards.add(slug[0]!);
    writer.write([{ path, content: new IcsRenderer().render({ name: plan.title, description: plan.description, events: published }) }]);
    made += 1;
    entity.made = {
      version: entity.version,
      slug,
      legend,
      path,
      events: published.length,
      state: JSON.stringify(encodeState(publication.state)),
      clashes: clashesOf(entity.view === 'teachers' ? 'teacher' : 'room', entity.name, plan.slots),
      taken: entity.view === 'rooms' ? takenHours(plan.slots) : null,
    };
  }

  function teacherPlan(name: string, slug: string, legend: Rooms): CalendarPlan {
    const found = rows.teacher(name);
    return {
      stem: `${semester}-teacher-${slug}`,
      slots: teacherSlots(found?.rows ?? []),
      text: (slot) => teacherEventText(slot, legend),
      title: `${name} · ${semester}`,
      description: `Classes of ${[found?.titles[0], name].filter(Boolean).join(' ')} in every specialization, semester ${semester}.`,
    };
  }

  function roomPlan(room: string, slug: string, legend: Rooms): CalendarPlan {
    const location = Object.hasOwn(legend, room) ? legend[room]! : null;
    return {
      stem: `${semester}-room-${slug}`,
      slots: roomSlots(rows.room(room) ?? []),
      text: (slot) => roomEventText(slot, legend),
      title: `Room ${room} · ${semester}`,
      description: `Classes in room ${room}${location ? ` (${location})` : ''}, semester ${semester}.`,
    };
  }

  /**
   * Writes the state shards holding calendars made since they were written
   * (those whose calendars are all made as their rows and slugs now are);
   * false when none was due.
   */
  function writeStates(legend: Rooms): boolean {
    let wrote = false;
    for (const view of [views.teachers, views.rooms]) {
      if (view.dirtyShards.size === 0) continue;
      const shards = new Map<string, [string, Made][]>();
      const unmade = new Set<string>();
      for (const [name, slug] of slugsOf(view)) {
        if (!view.dirtyShards.has(slug[0]!)) continue;
        const entity = view.entities.get(name)!;
        if (isCurrent(entity, slug, legend)) getOrAdd(shards, slug[0]!).push([slug, entity.made!]);
        else unmade.add(slug[0]!);
      }
      for (const key of [...view.dirtyShards].filter((k) => !unmade.has(k))) {
        writeShard(view, key, shards.get(key)?.sort((a, b) => byCodePoint(a[0], b[0])) ?? []);
        wrote = true;
      }
    }
    return wrote;
  }

  /** One state shard: the states of the calendars whose slugs start with `key` (in slug order), or none any more. */
  function writeShard(view: View, key: string, entries: readonly [string, Made][]): void {
    const path = peopleStatePath(view.name, key);
    if (entries.length === 0) {
      if (view.writtenShards.delete(key)) writer.remove([path]); // its calendars moved to other slugs
      view.dirtyShards.delete(key);
      return;
    }
    // States already in the shard are taken back from its text as written
    // (only where each one is, is held: a 10x faculty's states would be ~15 MB).
    const at = view.writtenShards.get(key);
    const written = at && entries.some(([, made]) => made.state === null) ? writer.written(path)! : '';
    const where = new Map<string, [number, number]>();
    let content = '{';
    for (const [slug, made] of entries) {
      if (content.length > 1) content += ',';
      content += `${JSON.stringify(slug)}:`;
      const state = made.state ?? written.slice(...writtenAt(at, view.name, key, slug));
      where.set(slug, [content.length, content.length + state.length]);
      content += state;
    }
    writer.write([{ path, content: `${content}}` }]);
    // Only once it is written: a shard that failed stays to be written, and its states held.
    for (const [, made] of entries) made.state = null;
    view.writtenShards.set(key, where);
    view.dirtyShards.delete(key);
  }

  /** Where a calendar's state is in its shard as written; only a calendar written into that shard under that slug has its state there. */
  function writtenAt(at: Map<string, [number, number]> | undefined, view: ViewName, key: string, slug: string): [number, number] {
    const found = at?.get(slug);
    if (!found) throw new Error(`people state: ${view} shard "${key}" was not written with ${slug}'s state, which it should hold (a bug: please report it)`);
    return found;
  }

  /** What the calendar with this slug published last time, from its view's state shard. */
  function previousOf(view: View, slug: string): unknown {
    if (!view.previous) return null;
    const key = slug[0]!;
    if (view.shard?.key !== key) view.shard = { key, states: readJson<Record<string, unknown>>(writer, peopleStatePath(view.name, key)) ?? {} };
    return Object.hasOwn(view.shard.states, slug) ? view.shard.states[slug] : null;
  }

  return {
    add(added) {
      const touched = rows.add(added);
      for (const name of touched.teachers) touch(views.teachers, name);
      for (const room of touched.rooms) touch(views.rooms, room);
    },

    prepareOne(legend) {
      const found = next(legend);
      if (!found) return writeStates(legend);
      // Calendars are made in slug order: the shards behind are written as the making moves on, not all held.
      if (found.slug[0] !== lastShard) {
        writeStates(legend);
        lastShard = found.slug[0]!;
      }
      make(found.entity, found.slug, legend);
      return true;
    },

    finish(legend) {
      const started = clock();
      let madeAtEnd = 0;
      let madeAhead = 0;
      const summary = { files: 0, events: 0 };
      const lists = { teachers: [] as TeacherJson[], rooms: [] as { entry: RoomIndexJson; taken: Map<IsoDate, number> }[] };
      const clashes: Clash[] = [];
      for (const view of [views.teachers, views.rooms]) {
        // Shards are written as soon as their calendars are all made: the states are not all held at once.
        let shard: { key: string; entries: [string, Made][] } = { key: '', entries: [] };
        const shardDone = (): void => {
          if (view.dirtyShards.has(shard.key)) writeShard(view, shard.key, shard.entries);
        };
        for (const [name, slug] of [...slugsOf(view)].sort((a, b) => byCodePoint(a[1], b[1]))) {
          if (slug[0] !== shard.key) {
            shardDone();
            shard = { key: slug[0]!, entries: [] };
          }
          const entity = view.entities.get(name)!;
          if (isCurrent(entity, slug, legend)) madeAhead += 1;
          else {
            make(entity, slug, legend);
            madeAtEnd += 1;
          }
          const made = entity.made!;
          shard.entries.push([slug, made]);
          clashes.push(...made.clashes);
          summary.files += 1;
          summary.events += made.events;
          if (view.name === 'teachers') {
            const found = rows.teacher(name);
            lists.teachers.push({ name, titles: found?.titles ?? [], slug, file: made.path, events: made.events, specs: found?.specs ?? [] });
          } else {
            lists.rooms.push({ entry: { room: name, location: Object.hasOwn(legend, name) ? legend[name]! : null, slug, file: made.path, events: made.events }, taken: made.taken! });
          }
        }
        shardDone();
      }
      writeStates(legend); // shards left with no calendar
      // The views' slugs, once: sorting every name by its ASCII form is not for every step ahead.
      for (const view of [views.teachers, views.rooms]) {
        const state: ViewState = { v: 2, semester, slugs: Object.fromEntries(sortedByName(slugsOf(view), ([name]) => name)) };
        writer.write([{ path: PEOPLE_STATE_FILES[view.name], content: JSON.stringify(state) }]);
      }
      const rooms = sortedByName(lists.rooms, (r) => r.entry.room);
      const clashList = listClashes(clashes, LISTED_CLASHES);
      writer.write([
        { path: 'data/teachers.json', content: toJson(sortedByName(lists.teachers, (t) => t.name)) },
        { path: 'data/room-index.json', content: toJson(rooms.map((r) => r.entry)) },
        // Compact on purpose: one line of numbers per date is most of the file.
        { path: 'data/occupancy.json', content: `${JSON.stringify(occupancy(semester, rooms.map((r) => ({ room: r.entry.room, taken: r.taken }))))}\n` },
        { path: 'data/clashes.json', content: toJson(clashList) },
      ]);
      return {
        teachers: lists.teachers.length,
        rooms: lists.rooms.length,
        ...summary,
        clashes: clashList.count,
        madeAhead,
        madeAtEnd,
        made,
        generateMs: clock() - started,
      };
    },
  };
}

/** One teacher's or room's calendar, as the view needs it. */
interface CalendarPlan {
  stem: string;
  slots: Slot[];
  text: (slot: Slot) => SlotText;
  title: string;
  description: string;
}

function getOrAdd<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
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

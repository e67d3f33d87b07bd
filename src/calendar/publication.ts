// Calendars that evolve. Each run compares the events it would publish with
// the ones it published last time, by UID, so that calendar apps update
// subscribed calendars in place:
//   unchanged -> the same bytes: same DTSTAMP and SEQUENCE as before;
//   changed   -> SEQUENCE + 1, DTSTAMP and LAST-MODIFIED = this run;
//   gone      -> kept as STATUS:CANCELLED, SEQUENCE + 1 (apps strike it out
//                or remove it instead of keeping a ghost);
//   new       -> SEQUENCE 0.
// Pure: the previous state in, the new state and the changes out.
import type { IsoDate } from '../model.js';
import { sameEventText, type ClassEvent } from './events.js';
import { eventUid } from './uid.js';

/** An event as published: what the file says about it. */
export interface PublishedEvent extends ClassEvent {
  sequence: number;
  /** DTSTAMP, ISO UTC. */
  stamp: string;
  /** LAST-MODIFIED, ISO UTC: set when the event changed after its first publication. */
  lastModified?: string;
  cancelled?: boolean;
}

/** What a spec published, kept with the site (data/state/{CODE}.json). */
export interface SpecState {
  /** Live events by UID (one UID is one class occurrence, shared by G-1, G-2, G-all). */
  events: Map<string, PublishedEvent>;
  /** Calendar path -> the UIDs it lists, live ones and cancelled ones. */
  calendars: Record<string, string[]>;
  /** Calendar path -> UID -> the cancelled version that file shows. */
  cancelled: Record<string, Record<string, PublishedEvent>>;
}

export interface EventChange {
  kind: 'added' | 'changed' | 'cancelled';
  /** Calendar files it concerns. */
  paths: string[];
  before?: ClassEvent;
  after?: ClassEvent;
}

export interface Publication {
  state: SpecState;
  /** Calendar path -> its events in file order (live ones, then cancelled ones). */
  files: Map<string, PublishedEvent[]>;
  /** Empty on a first publication: nothing changed for anyone yet. */
  changes: EventChange[];
}

/** What makes an event differ for a subscriber. */
function sameContent(a: ClassEvent, b: ClassEvent): boolean {
  return a.date === b.date && sameEventText(a, b);
}

/** Same text and the same publication fields (SEQUENCE, DTSTAMP, LAST-MODIFIED, status); dates aside. */
export function samePublishedText(a: PublishedEvent, b: PublishedEvent): boolean {
  return sameEventText(a, b) && a.sequence === b.sequence && a.stamp === b.stamp && a.lastModified === b.lastModified && a.cancelled === b.cancelled;
}

const strip = ({ sequence: _s, stamp: _t, lastModified: _m, cancelled: _c, ...event }: PublishedEvent): ClassEvent => event;

/**
 * The new publication of a spec. `next` maps each calendar path to the
 * events the timetable gives it now; `now` stamps what changed.
 */
export function publish(previous: SpecState | null, next: ReadonlyMap<string, readonly ClassEvent[]>, now: Date): Publication {
  const at = now.toISOString();
  if (!previous) return firstPublication(next, at);
  const before = previous?.events ?? new Map<string, PublishedEvent>();
  const events = new Map<string, PublishedEvent>();
  const changes = new Map<string, EventChange>();
  const note = (uid: string, change: Omit<EventChange, 'paths'>, path: string): void => {
    if (!previous) return;
    const seen = changes.get(`${change.kind}:${uid}`);
    if (seen) seen.paths.push(path);
    else changes.set(`${change.kind}:${uid}`, { ...change, paths: [path] });
  };

  // The highest SEQUENCE a file showed for a cancelled UID: reviving it must go above.
  const cancelledSeq = new Map<string, number>();
  for (const copies of Object.values(previous?.cancelled ?? {})) {
    for (const [uid, e] of Object.entries(copies)) cancelledSeq.set(uid, Math.max(cancelledSeq.get(uid) ?? -1, e.sequence));
  }

  // Live events: one published version per UID, whichever files list it.
  // Calendars of one spec share their event objects, so most look-ups are by identity.
  const publishedOf = new Map<ClassEvent, PublishedEvent>();
  for (const [path, list] of next) {
    const inFileBefore = previous ? new Set(previous.calendars[path] ?? []) : null;
    const cancelledHere = previous?.cancelled[path];
    for (const event of list) {
      const old = previous ? before.get(event.uid) : undefined;
      if (!(previous && events.has(event.uid)) && !publishedOf.has(event)) {
        const revived = cancelledSeq.get(event.uid);
        let published: PublishedEvent;
        if (revived !== undefined) published = asPublished(event, Math.max(revived, old?.sequence ?? -1) + 1, at, at);
        else if (old && sameContent(old, event)) published = old;
        else if (old) published = asPublished(event, old.sequence + 1, at, at);
        else published = asPublished(event, 0, at);
        events.set(event.uid, published);
        publishedOf.set(event, published);
      }
      if (!inFileBefore) continue; // a first publication changes nothing for anyone
      const wasInFile = inFileBefore.has(event.uid);
      const wasCancelledHere = cancelledHere?.[event.uid];
      if (old && !sameContent(old, event) && wasInFile && !wasCancelledHere) note(event.uid, { kind: 'changed', before: strip(old), after: event }, path);
      else if (!wasInFile || wasCancelledHere) note(event.uid, { kind: 'added', after: event }, path);
    }
  }

  // Events a file listed before and lists no more: cancelled there, and kept
  // as cancelled (already cancelled ones stay as they were).
  const cancelled: SpecState['cancelled'] = {};
  const files = new Map<string, PublishedEvent[]>();
  for (const [path, list] of next) {
    const live = new Set(list.map((e) => e.uid));
    const gone: Record<string, PublishedEvent> = {};
    let anyGone = false;
    for (const uid of previous?.calendars[path] ?? []) {
      if (live.has(uid)) continue;
      const already = previous?.cancelled[path]?.[uid];
      const old = before.get(uid);
      if (already) gone[uid] = already;
      else if (old) {
        gone[uid] = asPublished(old, (events.get(uid)?.sequence ?? old.sequence) + 1, at, at, true);
        note(uid, { kind: 'cancelled', before: strip(old) }, path);
      } else continue;
      anyGone = true;
    }
    const listed = list.map((e) => publishedOf.get(e) ?? events.get(e.uid)!);
    if (anyGone) {
      cancelled[path] = gone;
      listed.push(...Object.values(gone));
      listed.sort(byTime); // the timetable's events come sorted; cancelled ones join in time order
    }
    files.set(path, listed);
  }

  const calendars: SpecState['calendars'] = {};
  for (const [path, list] of files) calendars[path] = list.map((e) => e.uid);
  return { state: { events, calendars, cancelled }, files, changes: [...changes.values()] };
}

/** Nothing published before: every event new, at SEQUENCE 0; no changes for anyone. */
function firstPublication(next: ReadonlyMap<string, readonly ClassEvent[]>, at: string): Publication {
  const events = new Map<string, PublishedEvent>();
  const publishedOf = new Map<ClassEvent, PublishedEvent>();
  const files = new Map<string, PublishedEvent[]>();
  const calendars: SpecState['calendars'] = {};
  for (const [path, list] of next) {
    const listed: PublishedEvent[] = new Array(list.length);
    const uids: string[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const event = list[i]!;
      let published = publishedOf.get(event);
      if (!published) {
        published = asPublished(event, 0, at);
        publishedOf.set(event, published);
        events.set(event.uid, published);
      }
      listed[i] = published;
      uids[i] = event.uid;
    }
    files.set(path, listed);
    calendars[path] = uids;
  }
  return { state: { events, calendars, cancelled: {} }, files, changes: [] };
}

/**
 * An event as published. Written out property by property: the spread form
 * ({ ...event, sequence }) costs several times more in a fresh process, and
 * this runs once per event.
 */
function asPublished(e: ClassEvent, sequence: number, stamp: string, lastModified?: string, cancelled?: boolean): PublishedEvent {
  const published: PublishedEvent = {
    uid: e.uid,
    stem: e.stem,
    date: e.date,
    startHour: e.startHour,
    endHour: e.endHour,
    summary: e.summary,
    location: e.location,
    description: e.description,
    row: e.row,
    sequence,
    stamp,
  };
  if (lastModified !== undefined) published.lastModified = lastModified;
  if (cancelled) published.cancelled = true;
  return published;
}

function byTime(a: PublishedEvent, b: PublishedEvent): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.startHour - b.startHour;
}

/**
 * The state as stored. The live events of a class share its text and its
 * UID stem, their UIDs are stem + date, and stamps repeat from run to run,
 * so the file keeps each of those once (about a tenth of the plain form)
 * and names no UID of a live event.
 */
export interface StoredState {
  v: 2;
  stamps: string[];
  /** [UID stem, the text its live events share] */
  classes: [string, ClassText][];
  /** [class index, date as YYYYMMDD, SEQUENCE, DTSTAMP index, LAST-MODIFIED index or -1] */
  live: [number, number, number, number, number][];
  /** Live events kept whole: written by earlier versions (a stem with a second text); now each text is a class of its own. */
  odd: PublishedEvent[];
  /** Calendar path -> its live events: indices into `live`, then `odd`. Its cancelled ones are in `cancelled`. */
  calendars: Record<string, number[]>;
  cancelled: Record<string, PublishedEvent[]>;
}

type ClassText = Omit<ClassEvent, 'uid' | 'stem' | 'date'>;

export function encodeState(state: SpecState): StoredState {
  const stamps: string[] = [];
  const stampIndex = new Map<string, number>();
  const stamp = (s: string | undefined): number => {
    if (s === undefined) return -1;
    let i = stampIndex.get(s);
    if (i === undefined) {
      i = stamps.push(s) - 1;
      stampIndex.set(s, i);
    }
    return i;
  };
  const classes: StoredState['classes'] = [];
  /** UID stem -> its classes: one text each (a teacher's slot can hold one lab in odd weeks and another in even ones). */
  const classIndex = new Map<string, number[]>();
  const live: StoredState['live'] = [];
  const position = new Map<string, number>();
  for (const e of state.events.values()) {
    let texts = classIndex.get(e.stem);
    if (texts === undefined) {
      texts = [];
      classIndex.set(e.stem, texts);
    }
    let c = texts.length === 1 ? (sameClassText(classes[texts[0]!]![1], e) ? texts[0] : undefined) : texts.find((i) => sameClassText(classes[i]![1], e));
    if (c === undefined) {
      const { startHour, endHour, summary, location, description, row } = e;
      c = classes.push([e.stem, { startHour, endHour, summary, location, description, row }]) - 1;
      texts.push(c);
    }
    position.set(e.uid, live.length);
    live.push([c, compactDate(e.date), e.sequence, stamp(e.stamp), stamp(e.lastModified)]);
  }
  const calendars: StoredState['calendars'] = {};
  for (const [path, uids] of Object.entries(state.calendars)) {
    const cancelledHere = state.cancelled[path];
    const listed: number[] = [];
    for (const uid of uids) if (!cancelledHere?.[uid]) listed.push(position.get(uid)!);
    calendars[path] = listed;
  }
  const cancelled: StoredState['cancelled'] = {};
  for (const [path, copies] of Object.entries(state.cancelled)) cancelled[path] = Object.values(copies);
  return { v: 2, stamps, classes, live, odd: [], calendars, cancelled };
}

export function decodeState(stored: StoredState): SpecState {
  const events = new Map<string, PublishedEvent>();
  const uids: string[] = [];
  for (const [c, day, sequence, s, m] of stored.live) {
    const [stem, text] = stored.classes[c]!;
    const date = isoDate(day);
    const uid = eventUid(stem, date);
    const { startHour, endHour, summary, location, description, row } = text;
    const event = asPublished({ uid, stem, date, startHour, endHour, summary, location, description, row }, sequence, stored.stamps[s]!, m >= 0 ? stored.stamps[m]! : undefined);
    events.set(uid, event);
    uids.push(uid);
  }
  for (const e of stored.odd) {
    events.set(e.uid, e);
    uids.push(e.uid);
  }
  const calendars: SpecState['calendars'] = {};
  for (const [path, list] of Object.entries(stored.calendars)) calendars[path] = list.map((i) => uids[i]!);
  const cancelled: SpecState['cancelled'] = {};
  for (const [path, copies] of Object.entries(stored.cancelled)) {
    cancelled[path] = Object.fromEntries(copies.map((e) => [e.uid, e]));
    (calendars[path] ??= []).push(...copies.map((e) => e.uid));
  }
  return { events, calendars, cancelled };
}

/** Stored state as this version or the one before wrote it; null for anything else (read as nothing published). */
export function readStoredState(stored: unknown): SpecState | null {
  const v = typeof stored === 'object' && stored !== null ? (stored as { v?: unknown }).v : undefined;
  if (v === 2) return decodeState(stored as StoredState);
  if (v === 1) return decodeStateV1(stored as StoredStateV1);
  return null;
}

/** The first stored form: UIDs listed whole, classes keyed by UID without its date. */
interface StoredStateV1 {
  v: 1;
  stamps: string[];
  classes: Record<string, ClassText>;
  uids: string[];
  live: [number, number, number, number][];
  odd: Omit<PublishedEvent, 'stem'>[];
  calendars: Record<string, number[]>;
  cancelled: Record<string, Omit<PublishedEvent, 'stem'>[]>;
}

const DATED_UID = /^(.*)-(\d{4})(\d\d)(\d\d)(@[^@]*)$/;

/** A site published by the previous version keeps its SEQUENCEs: subscribers still see updates in place. */
function decodeStateV1(stored: StoredStateV1): SpecState {
  const stemOf = (uid: string): string => DATED_UID.exec(uid)?.[1] ?? uid;
  const withStem = (e: Omit<PublishedEvent, 'stem'>): PublishedEvent => ({ ...e, stem: stemOf(e.uid) });
  const events = new Map<string, PublishedEvent>();
  for (const [i, sequence, s, m] of stored.live) {
    const uid = stored.uids[i]!;
    const parts = DATED_UID.exec(uid);
    const text = parts ? stored.classes[`${parts[1]}${parts[5]}`] : undefined;
    if (!parts || !text) continue;
    const { startHour, endHour, summary, location, description, row } = text;
    const date = `${parts[2]}-${parts[3]}-${parts[4]}`;
    events.set(uid, asPublished({ uid, stem: parts[1]!, date, startHour, endHour, summary, location, description, row }, sequence, stored.stamps[s]!, m >= 0 ? stored.stamps[m]! : undefined));
  }
  for (const e of stored.odd) events.set(e.uid, withStem(e));
  const calendars: SpecState['calendars'] = {};
  for (const [path, list] of Object.entries(stored.calendars)) calendars[path] = list.map((i) => stored.uids[i]!);
  const cancelled: SpecState['cancelled'] = {};
  for (const [path, copies] of Object.entries(stored.cancelled)) cancelled[path] = Object.fromEntries(copies.map((e) => [e.uid, withStem(e)]));
  return { events, calendars, cancelled };
}

/** 2031-03-24 -> 20310324 */
function compactDate(date: IsoDate): number {
  let n = 0;
  for (let i = 0; i < date.length; i++) {
    const digit = date.charCodeAt(i) - 48;
    if (digit >= 0 && digit <= 9) n = n * 10 + digit;
  }
  return n;
}

function isoDate(day: number): IsoDate {
  const text = String(day);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

function sameClassText(a: ClassText, b: ClassText): boolean {
  const r = a.row;
  const q = b.row;
  return (
    sameEventText(a, b) &&
    (r === q ||
      (r.day === q.day && r.type === q.type && r.subject === q.subject && r.room === q.room && r.professor === q.professor && r.formation === q.formation && r.frequency === q.frequency))
  );
}

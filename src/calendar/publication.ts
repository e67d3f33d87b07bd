// Calendars that evolve. Each run compares the events it would publish with
// the ones it published last time, by UID, so that calendar apps update
// subscribed calendars in place:
//   unchanged -> the same bytes: same DTSTAMP and SEQUENCE as before;
//   changed   -> SEQUENCE + 1, DTSTAMP and LAST-MODIFIED = this run;
//   gone      -> kept as STATUS:CANCELLED, SEQUENCE + 1 (apps strike it out
//                or remove it instead of keeping a ghost);
//   new       -> SEQUENCE 0.
// Pure: the previous state in, the new state and the changes out.
import type { ClassEvent } from './events.js';

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
  events: Record<string, PublishedEvent>;
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
  return (
    a.date === b.date &&
    a.startHour === b.startHour &&
    a.endHour === b.endHour &&
    a.summary === b.summary &&
    a.location === b.location &&
    a.description === b.description
  );
}

const strip = ({ sequence: _s, stamp: _t, lastModified: _m, cancelled: _c, ...event }: PublishedEvent): ClassEvent => event;

/**
 * The new publication of a spec. `next` maps each calendar path to the
 * events the timetable gives it now; `now` stamps what changed.
 */
export function publish(previous: SpecState | null, next: ReadonlyMap<string, readonly ClassEvent[]>, now: Date): Publication {
  const at = now.toISOString();
  const before = previous?.events ?? {};
  const events: Record<string, PublishedEvent> = {};
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
  for (const [path, list] of next) {
    for (const event of list) {
      const old = before[event.uid];
      if (!events[event.uid]) {
        const revived = cancelledSeq.get(event.uid);
        if (revived !== undefined) events[event.uid] = { ...event, sequence: Math.max(revived, old?.sequence ?? -1) + 1, stamp: at, lastModified: at };
        else if (old && sameContent(old, event)) events[event.uid] = old;
        else if (old) events[event.uid] = { ...event, sequence: old.sequence + 1, stamp: at, lastModified: at };
        else events[event.uid] = { ...event, sequence: 0, stamp: at };
      }
      const wasInFile = previous?.calendars[path]?.includes(event.uid) ?? false;
      const wasCancelledHere = previous?.cancelled[path]?.[event.uid];
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
    for (const uid of previous?.calendars[path] ?? []) {
      if (live.has(uid)) continue;
      const already = previous?.cancelled[path]?.[uid];
      if (already) {
        gone[uid] = already;
        continue;
      }
      const old = before[uid];
      if (!old) continue;
      gone[uid] = { ...old, sequence: (events[uid]?.sequence ?? old.sequence) + 1, stamp: at, lastModified: at, cancelled: true };
      note(uid, { kind: 'cancelled', before: strip(old) }, path);
    }
    if (Object.keys(gone).length > 0) cancelled[path] = gone;
    const listed = [...list.map((e) => events[e.uid]!), ...Object.values(gone)];
    files.set(path, listed.sort(byTime));
  }

  // A UID gone from every file is no longer live: its last version stays
  // in the state only through the cancelled copies.
  const calendars: SpecState['calendars'] = {};
  for (const [path, list] of files) calendars[path] = list.map((e) => e.uid);
  return { state: { events, calendars, cancelled }, files, changes: [...changes.values()] };
}

function byTime(a: PublishedEvent, b: PublishedEvent): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.startHour - b.startHour;
}

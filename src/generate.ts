// Generating one spec's files: rendered from a fresh page, carried over
// when nothing changed, or kept (stale) when this run could not read it.
// Pure but for the writer's carry-over, which links the current files.
import { describeChanges, type ClassChange } from './calendar/changes.js';
import { buildEvents, dateEntries, type ClassEvent, type DatedEntry } from './calendar/events.js';
import { encodeState, publish, readStoredState, type StoredState } from './calendar/publication.js';
import { selectCalendars, type CalendarSelection } from './calendar/selection.js';
import { isFinalYear, studyLineOf } from './calendar/study-line.js';
import { teachingWeeks } from './calendar/teaching-weeks.js';
import { localDate } from './calendar/dates.js';
import { classUidStems } from './calendar/uid.js';
import type { Entry, GroupTable, Rooms, Spec, TeachingCalendar } from './model.js';
import { feedEntry, renderAtom, type FeedEntry } from './output/atom.js';
import { IcsRenderer } from './output/ics.js';
import type { SpecListing } from './output/index-html.js';
import { groupJson, toJson, type GroupJson, type SpecJson } from './output/json.js';
import { fileNamer, type SpecPaths } from './output/paths.js';
import type { SiteFile, SiteWriter } from './output/site-writer.js';
import type { PageResponse, SpecOutcome } from './report.js';
import { rowsOfSpec, type TimetableRow } from './people/rows.js';

/** A spec whose page and calendar are in hand, ready to generate. */
export interface FetchedSpec {
  spec: Spec;
  url: string;
  groups: GroupTable[];
  warnings: string[];
  calendar: TeachingCalendar;
  /** Its entry in data/calendar.json ("romanian/II"), for the page. */
  calendarKey: string;
  rooms: Rooms;
  fetchMs: number;
  /** Time spent parsing the page, and its size in characters. */
  parseMs: number;
  bytes: number;
  /** Fingerprint of everything the spec's files are made from. */
  inputsHash: string;
  retries: string[];
  response: PageResponse;
  paths: SpecPaths;
}

/** A spec that could not be fetched or read. */
export interface FailedSpec {
  spec: Spec;
  url: string;
  message: string;
  fetchMs: number;
  retries: string[];
  /** The page's answer, when it came but could not be read. */
  response?: PageResponse;
  paths: SpecPaths;
}

export interface GeneratedSpec {
  outcome: SpecOutcome;
  listing: SpecListing;
  /** What changed for subscribers, class by class (regenerated specs only). */
  changes?: ClassChange[];
  /** Its rows with their dates, for the teachers' and rooms' views; none when it has no calendars in the site. */
  rows?: TimetableRow[];
}


/** A JSON file of the current site, or null when missing or unreadable. */
export function readJson<T>(writer: SiteWriter, path: string): T | null {
  const text = writer.previous(path);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}


function outcomeBase(spec: Spec, url: string): Omit<SpecOutcome, 'status'> {
  return {
    code: spec.code,
    name: spec.name,
    year: spec.year,
    url,
    unchanged: false,
    groups: 0,
    files: 0,
    events: 0,
    warnings: [],
    retries: [],
    fetchMs: 0,
    parseMs: 0,
    bytes: 0,
    renderMs: 0,
    generateMs: 0,
  };
}

/** The outcome of a spec read from this run's page, before counting its files. */
function fetchedOutcome(fetched: FetchedSpec): SpecOutcome {
  return {
    ...outcomeBase(fetched.spec, fetched.url),
    status: 'ok',
    warnings: fetched.warnings,
    retries: fetched.retries,
    response: fetched.response,
    fetchMs: fetched.fetchMs,
    parseMs: fetched.parseMs,
    bytes: fetched.bytes,
  };
}

/** The calendar files a spec's previous build wrote. */
function previousCalendars(previous: SpecJson): string[] {
  return previous.groups.flatMap((g) => g.calendars.map((c) => c.path));
}

/** Every file a spec's previous build wrote: calendars, JSON, state, and its feed when it had one. */
function previousFiles(previous: SpecJson, paths: SpecPaths): string[] {
  return [...previousCalendars(previous), paths.data, paths.state, ...(previous.feed ? [paths.feed] : [])];
}

function listingOf(previous: SpecJson, status: SpecListing['status'], error?: string): SpecListing {
  return {
    code: previous.code,
    name: previous.name,
    year: previous.year,
    master: previous.master,
    status,
    error,
    updatedAt: previous.updatedAt,
    firstPublishedAt: previous.firstPublishedAt,
    changedAt: previous.changedAt,
    feed: previous.feed,
    groups: previous.groups.map((g) => ({ name: g.name, calendars: g.calendars })),
  };
}

/** Files of a spec whose inputs did not change, taken over as they are. Null when some are missing. */
export function carryOver(fetched: FetchedSpec, previous: SpecJson, writer: SiteWriter): GeneratedSpec | null {
  // JSON from before firstPublishedAt existed says "changed" of specs that
  // never changed: regenerate once, which reads the truth from the state.
  if (previous.firstPublishedAt === undefined) return null;
  const paths = previousFiles(previous, fetched.paths);
  const missing = writer.keep(paths);
  if (missing.length > 0) return null;
  const events = previous.groups.reduce((n, g) => n + g.calendars.reduce((m, c) => m + c.events, 0), 0);
  return {
    outcome: { ...fetchedOutcome(fetched), unchanged: true, groups: previous.groups.length, files: previousCalendars(previous).length, events },
    listing: listingOf(previous, 'ok'),
  };
}

/**
 * A spec --only left out: its calendars, state, feed and listing stay exactly
 * as the current site has them (subscribers keep their feeds and SEQUENCEs).
 * Null when the current site has nothing of it.
 */
export function keepUnselected(
  spec: Spec,
  url: string,
  paths: SpecPaths,
  previous: SpecJson | null,
  status: SpecListing['status'],
  writer: SiteWriter,
  semester: string,
): GeneratedSpec | null {
  // Another semester's files are not this semester's calendars.
  if (!previous || previous.semester !== semester) return null;
  const files = previousFiles(previous, paths);
  const missing = writer.keep(files);
  const calendars = files.filter((p) => p.endsWith('.ics') && !missing.includes(p)).length;
  return {
    outcome: {
      ...outcomeBase(spec, url),
      status,
      unchanged: true,
      notSelected: true,
      groups: previous.groups.length,
      files: calendars,
      events: previous.groups.reduce((n, g) => n + g.calendars.reduce((m, c) => m + c.events, 0), 0),
    },
    listing: listingOf(previous, status),
  };
}

/**
 * A spec this run could not fetch or read: its previous files stay in the
 * site, marked stale; without previous files it is simply failed.
 */
export function keepStale(failed: FailedSpec, previous: SpecJson | null, writer: SiteWriter): GeneratedSpec {
  const { spec, url, message, fetchMs, retries, response } = failed;
  const error = { code: spec.code, url, message };
  const base = { ...outcomeBase(spec, url), error, fetchMs, retries, response };
  if (previous) {
    const paths = previousFiles(previous, failed.paths);
    const missing = writer.keep(paths);
    if (missing.length < paths.length) {
      return {
        outcome: {
          ...base,
          status: 'stale',
          groups: previous.groups.length,
          files: previousCalendars(previous).length - missing.filter((p) => p.endsWith('.ics')).length,
          events: previous.groups.reduce((n, g) => n + g.calendars.reduce((m, c) => m + c.events, 0), 0),
          warnings: missing.filter((p) => p.endsWith('.ics') || p === failed.paths.data).map((p) => `previous file missing, not kept: ${p}`),
        },
        listing: listingOf(previous, 'stale', message),
      };
    }
  }
  return {
    outcome: { ...base, status: 'failed' },
    listing: { code: spec.code, name: spec.name, year: spec.year, master: spec.master, status: 'failed', error: message, groups: [] },
  };
}

/** What a spec's calendars published, kept with the site for the next run (data/state/). */
export interface SpecHistory {
  publication: StoredState;
  /** When its calendars were first published. */
  firstPublishedAt: string;
  /** When its events last changed for subscribers; absent until something changes after the first publication. */
  changedAt?: string;
  /** Newest first; empty until something changes. */
  feed: FeedEntry[];
  /** Its Atom feed is on the site. Once it is, it stays, so a subscribed feed never goes away. */
  feedPublished: boolean;
}

/**
 * The history as the previous version stored it: `changedAt` set at the first
 * publication even when nothing ever changed, and a feed file always written.
 */
interface LegacySpecHistory {
  publication: StoredState;
  changedAt: string;
  feed: FeedEntry[];
}

/**
 * A stored history in today's form. From the previous version: a spec with
 * no feed entry never changed, so its `changedAt` was its first publication;
 * one that did change keeps its `changedAt`, and its first publication is the
 * earliest DTSTAMP or feed entry still on record. Its feed file was
 * published (empty or not) and stays.
 */
function currentHistory(history: SpecHistory | LegacySpecHistory): SpecHistory {
  if ('firstPublishedAt' in history) return history;
  const { publication, changedAt, feed } = history;
  if (feed.length === 0) return { publication, firstPublishedAt: changedAt, feed, feedPublished: true };
  const known = [changedAt, ...feed.map((e) => e.at), ...(Array.isArray(publication?.stamps) ? publication.stamps : [])];
  const firstPublishedAt = known.reduce((a, b) => (b < a ? b : a));
  return { publication, firstPublishedAt, changedAt, feed, feedPublished: true };
}

const FEED_ENTRIES = 50;


/**
 * Every calendar of a spec, its JSON, its publication state and its feed, as
 * files to write. Events are compared with what `history` says was
 * published, so unchanged ones keep their bytes. Pure.
 *
 * A generator: it yields after each group's events and each calendar's
 * bytes, where the caller may let other work run (`stepped`), and returns
 * the files.
 */
export function* renderSpec(
  fetched: FetchedSpec,
  semester: string,
  now: Date,
  stored: SpecHistory | LegacySpecHistory | null,
): Generator<void, GeneratedSpec & { files: SiteFile[]; changes: ClassChange[] }, void> {
  const { spec, groups, calendar, rooms } = fetched;
  const weeks = teachingWeeks(calendar);
  const nameFile = fileNamer();
  const updatedAt = now.toISOString();
  const history = stored ? currentHistory(stored) : null;

  // The events each calendar should hold now. A year-wide class is listed
  // in every group's table: its events are built once for the spec, so
  // every calendar that lists it shares them (compared, stamped and
  // rendered once).
  const next = new Map<string, ClassEvent[]>();
  const shared = new Map<DatedEntry, ClassEvent[]>();
  const sameClass = new Map<string, DatedEntry>();
  const groupOfPath = new Map<string, string>();
  const layout: { table: GroupTable; dated: DatedEntry[]; calendars: { selection: CalendarSelection; path: string }[] }[] = [];
  for (const table of groups) {
    const dated = dateEntries(table.entries, classUidStems(semester, spec.code, table.entries), calendar, weeks);
    const datedOf = new Map(
      dated.map((d) => {
        const seen = sameClass.get(d.uidStem);
        if (seen && sameEntry(seen.entry, d.entry)) return [d.entry, seen];
        if (!seen) sameClass.set(d.uidStem, d);
        return [d.entry, d];
      }),
    );
    const calendars = selectCalendars(table).map((selection) => {
      const path = `${fetched.paths.folder}/${nameFile(selection.baseName, '.ics')}`;
      next.set(path, buildEvents(selection.entries.map((e) => datedOf.get(e)!), rooms, shared));
      groupOfPath.set(path, table.group);
      return { selection, path };
    });
    layout.push({ table, dated, calendars });
    yield;
  }

  // Compared with what was published: sequences, stamps, cancellations, changes.
  const publication = publish(readStoredState(history?.publication), next, now);
  const changes = describeChanges(publication.changes, (p) => groupOfPath.get(p) ?? '?', weeks, localDate(now));
  // A first publication is not a change: no "changed on", no feed, until
  // something changes for subscribers.
  const firstPublishedAt = history?.firstPublishedAt ?? updatedAt;
  const changedAt = changes.length > 0 ? updatedAt : history?.changedAt;
  const feed = changes.length > 0 ? [feedEntry(updatedAt, changes), ...(history?.feed ?? [])].slice(0, FEED_ENTRIES) : (history?.feed ?? []);
  const feedPublished = feed.length > 0 || history?.feedPublished === true;
  const feedPath = feedPublished ? fetched.paths.feed : undefined;
  const whenText = changedAt ? `Timetable last changed ${changedAt.slice(0, 10)}.` : `First published ${firstPublishedAt.slice(0, 10)}.`;

  const ics = new IcsRenderer();
  const files: SiteFile[] = [];
  const listing: SpecListing = { code: spec.code, name: spec.name, year: spec.year, master: spec.master, status: 'ok', updatedAt, firstPublishedAt, changedAt, feed: feedPath, groups: [] };
  const groupsJson: GroupJson[] = [];
  let events = 0;
  for (const { table, dated, calendars: selections } of layout) {
    const calendars: GroupJson['calendars'] = [];
    for (const { selection, path } of selections) {
      const published = publication.files.get(path)!;
      const kind = selection.subgroup === '1' || selection.subgroup === '2' ? 'subgroup' : 'group';
      const content = ics.render({
        name: `${spec.code} ${selection.label} · ${semester}`,
        description: `${spec.name}, year ${spec.year}, ${kind} ${selection.label}, semester ${semester}. ${whenText}`,
        events: published,
      });
      files.push({ path, content });
      calendars.push({ subgroup: selection.subgroup, label: selection.label, path, events: published.length, bytes: content.length });
      events += published.length;
      yield;
    }
    groupsJson.push(groupJson(table.group, !table.group.includes('/'), calendars, dated));
    listing.groups.push({ name: table.group, calendars });
  }
  const json: SpecJson = {
    code: spec.code,
    name: spec.name,
    year: spec.year,
    master: spec.master,
    studyLine: studyLineOf(spec),
    calendarKey: fetched.calendarKey,
    finalYear: isFinalYear(spec),
    semester,
    updatedAt,
    firstPublishedAt,
    changedAt,
    feed: feedPath,
    inputsHash: fetched.inputsHash,
    groups: groupsJson,
  };
  const calendarFiles = files.length;
  const state: SpecHistory = { publication: encodeState(publication.state), firstPublishedAt, changedAt, feed, feedPublished };
  files.push({ path: fetched.paths.data, content: toJson(json) }, { path: fetched.paths.state, content: JSON.stringify(state) });
  if (feedPath) {
    files.push({
      path: feedPath,
      content: renderAtom({
        id: `tag:orar-cal,${semester}:${spec.code}`,
        title: `${spec.name}, year ${spec.year} (${spec.code}): timetable changes`,
        updated: changedAt ?? firstPublishedAt,
        siteHref: '../index.html',
        entries: feed,
      }),
    });
  }
  return {
    files,
    changes,
    outcome: { ...fetchedOutcome(fetched), groups: groups.length, files: calendarFiles, events },
    listing,
    rows: rowsOfSpec(spec.code, groupsJson),
  };
}

/** Rows that say the same thing (dates follow from them). */
function sameEntry(a: Entry, b: Entry): boolean {
  return (
    a.day === b.day &&
    a.startHour === b.startHour &&
    a.endHour === b.endHour &&
    a.frequency === b.frequency &&
    a.room === b.room &&
    a.formation === b.formation &&
    a.type === b.type &&
    a.subject === b.subject &&
    a.professor === b.professor
  );
}

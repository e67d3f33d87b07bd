// The generator as one rxjs pipeline. Read top to bottom it is the design:
//
//   index page ──► specs ─► distinct(code) ─► mergeMap(fetchSpec, concurrency)
//                                              │ page + calendarFor(key) + rooms
//                                              ▼
//                          concatMap(generate) ─► reduce(addToResult) ─► writeSiteIndex
//
// The academic-year page is fetched once per run (shareReplay) and every
// study line / semester / final-year table is derived from that one copy.
// One spec's failure is caught inside its own inner Observable and becomes a
// failed outcome; only the index or academic page failing ends the run.
import {
  Observable,
  ReplaySubject,
  catchError,
  concatMap,
  defer,
  distinct,
  forkJoin,
  from,
  lastValueFrom,
  map,
  mergeMap,
  of,
  reduce,
  share,
  switchMap,
  tap,
  type MonoTypeOperatorFunction,
} from 'rxjs';
import { academicYearMismatch, calendarKeyId, teachingCalendarFor } from './calendar/academic-calendar.js';
import { buildEvents, dateEntries } from './calendar/events.js';
import { formatSemester } from './calendar/semester.js';
import { selectCalendars } from './calendar/selection.js';
import { calendarKeyOf, isFinalYear, studyLineOf } from './calendar/study-line.js';
import { teachingWeeks } from './calendar/teaching-weeks.js';
import { classUidStems } from './calendar/uid.js';
import type { CalendarKey, GroupTable, Rooms, Semester, Spec, TeachingCalendar } from './model.js';
import { decodeDeclared, decodeSchedulePage } from './net/decode.js';
import { FetchError, type FetchResult, type HttpClient } from './net/client.js';
import { IcsRenderer } from './output/ics.js';
import { renderIndexHtml, type SpecListing } from './output/index-html.js';
import { groupJson, indexJson, toJson, type GroupJson, type SpecJson } from './output/json.js';
import { calendarPath, specDataPath } from './output/paths.js';
import type { SiteWriter } from './output/site-writer.js';
import { addOutcome, emptyReport, type Report, type SpecOutcome } from './report.js';
import { parseAcademicYear, type AcademicYear } from './scrape/academic-year.js';
import { parseIndex } from './scrape/index-page.js';
import { parseRooms } from './scrape/rooms.js';
import { parseTimetable } from './scrape/timetable.js';

export const DEFAULT_SCHEDULE_ROOT = 'https://www.cs.ubbcluj.ro/files/orar';
export const DEFAULT_CALENDAR_URL = 'https://www.ubbcluj.ro/ro/studenti/invatamant/structura_anului_universitar';

export interface RunOptions {
  semester: Semester;
  scheduleRoot: string;
  calendarUrl: string;
  concurrency: number;
  /** Codes to generate; null for every spec on the index page. */
  only: readonly string[] | null;
}

export interface RunDeps {
  http: HttpClient;
  writer: SiteWriter;
  /** Wall-clock time: generated-at and DTSTAMP. */
  now: () => Date;
  /** A monotonic clock in milliseconds, for timings. */
  clock: () => number;
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { kind: 'start'; total: number }
  | { kind: 'fetched'; code: string }
  | { kind: 'done'; outcome: SpecOutcome; done: number; total: number };

/** Nothing could be done: the index or academic page is unusable (exit code 3). */
export class FatalError extends Error {}

export interface ScheduleUrls {
  index: string;
  legend: string;
  page(code: string): string;
}

export function scheduleUrls(root: string, semester: Semester): ScheduleUrls {
  const base = `${root.replace(/\/+$/, '')}/${formatSemester(semester)}`;
  return {
    index: `${base}/tabelar/index.html`,
    legend: `${base}/sali/legenda.html`,
    page: (code) => `${base}/tabelar/${encodeURIComponent(code)}.html`,
  };
}

/** A spec whose page and calendar are in hand, ready to generate. */
interface FetchedSpec {
  spec: Spec;
  url: string;
  groups: GroupTable[];
  warnings: string[];
  calendar: TeachingCalendar;
  rooms: Rooms;
  fetchMs: number;
  /** Time spent parsing the page, and its size in characters. */
  parseMs: number;
  bytes: number;
}

/** A spec that could not be fetched or read. */
interface FailedSpec {
  spec: Spec;
  url: string;
  message: string;
  fetchMs: number;
}

interface GeneratedSpec {
  outcome: SpecOutcome;
  listing: SpecListing;
}

interface RunResult {
  report: Report;
  listings: SpecListing[];
  rooms: Rooms;
  order: Spec[];
}

export async function run(options: RunOptions, deps: RunDeps): Promise<Report> {
  return lastValueFrom(buildSite(options, deps));
}

export function buildSite(options: RunOptions, deps: RunDeps): Observable<Report> {
  const semester = formatSemester(options.semester);
  const urls = scheduleUrls(options.scheduleRoot, options.semester);
  const startedAt = deps.now();
  const t0 = deps.clock();
  const elapsed = (): number => Math.round(deps.clock() - t0);

  const academicYear$ = loadAcademicYear(options, deps);
  const rooms$ = loadRooms(urls, deps);
  const calendars = new Map<string, Observable<TeachingCalendar>>();
  let lastPageAt = 0;

  /** The teaching calendar of one study line / semester / final-year table, derived once. */
  const calendarFor = (key: CalendarKey): Observable<TeachingCalendar> => {
    const id = calendarKeyId(key);
    let calendar$ = calendars.get(id);
    if (!calendar$) {
      calendar$ = academicYear$.pipe(
        map((year) => teachingCalendarFor(year, key)),
        shareOnce(),
      );
      calendars.set(id, calendar$);
    }
    return calendar$;
  };

  /** One page fetched and parsed, joined with its calendar and the legend. */
  const fetchSpec = (spec: Spec): Observable<FetchedSpec | FailedSpec> => {
    const url = urls.page(spec.code);
    const started = deps.clock();
    let parseMs = 0;
    let bytes = 0;
    const page$ = fetchText(deps.http, url, decodeSchedulePage).pipe(
      tap((html) => {
        lastPageAt = elapsed();
        bytes = html.length;
        deps.onProgress?.({ kind: 'fetched', code: spec.code });
      }),
      map((html) => {
        const parseStart = deps.clock();
        try {
          return parseTimetable(html, spec.code);
        } catch (error) {
          throw new Error(`${url}: ${messageOf(error)}`);
        } finally {
          parseMs = deps.clock() - parseStart;
        }
      }),
    );
    return forkJoin({ page: page$, calendar: calendarFor(calendarKeyOf(spec, options.semester)), rooms: rooms$ }).pipe(
      map(({ page, calendar, rooms }): FetchedSpec | FailedSpec => ({
        spec,
        url,
        groups: page.groups,
        warnings: page.warnings,
        calendar,
        rooms: rooms.rooms,
        fetchMs: Math.round(deps.clock() - started),
        parseMs,
        bytes,
      })),
      catchError((error: unknown) => {
        if (error instanceof FatalError) throw error;
        return of({ spec, url, message: messageOf(error), fetchMs: Math.round(deps.clock() - started) });
      }),
    );
  };

  /** One spec's calendars and JSON, written before the next spec starts. */
  const generate = (fetched: FetchedSpec | FailedSpec): Observable<GeneratedSpec> =>
    defer(async () => {
      if ('message' in fetched) return failedSpec(fetched);
      const started = deps.clock();
      const generated = await writeSpec(fetched, semester, deps.writer, startedAt);
      generated.outcome.generateMs = deps.clock() - started;
      return generated;
    });

  /** The run's last files: index, legend, report, page. Written after every spec. */
  const writeSiteIndex = (result: RunResult): Observable<Report> =>
    defer(async () => {
      const position = new Map<string, number>();
      result.order.forEach((s, i) => position.has(s.code) || position.set(s.code, i));
      const byOrder = <T extends { code: string }>(a: T, b: T): number => position.get(a.code)! - position.get(b.code)!;
      const ms = (x: number): number => Math.round(x * 10) / 10;
      const specs = [...result.report.specs]
        .sort(byOrder)
        .map((s) => ({ ...s, parseMs: ms(s.parseMs), generateMs: ms(s.generateMs) }));
      const listings = [...result.listings].sort(byOrder);
      const report: Report = {
        ...result.report,
        specs,
        timings: {
          fetchMs: lastPageAt,
          parseMs: ms(result.report.timings.parseMs),
          generateMs: ms(result.report.timings.generateMs),
          totalMs: elapsed(),
        },
      };
      const statusOf = new Map(specs.map((s) => [s.code, s.status]));
      const indexed = result.order.filter((s, i) => statusOf.has(s.code) && position.get(s.code) === i).map((s) => ({ ...s, status: statusOf.get(s.code)! }));
      await deps.writer.write('data/index.json', toJson(indexJson(semester, report.generatedAt, indexed)));
      await deps.writer.write('data/rooms.json', toJson(result.rooms));
      await deps.writer.write('index.html', renderIndexHtml(semester, report.generatedAt, listings));
      report.timings.totalMs = elapsed();
      report.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      await deps.writer.write('data/build.json', toJson(report));
      return report;
    });

  academicYear$.subscribe({ error: () => undefined }); // start it now, alongside the index
  return loadIndex(urls, deps).pipe(
    switchMap((index) => {
      const { specs, missing } = selectSpecs(index.specs, options.only);
      const start = emptyReport(semester, startedAt);
      start.warnings.push(...index.warnings);
      start.errors.push(...missing.map((code) => ({ code, url: urls.index, message: `--only ${code}: no such code on the index page` })));
      const total = new Set(specs.map((s) => s.code)).size;
      deps.onProgress?.({ kind: 'start', total });
      let done = 0;
      return forkJoin({
        result: from(specs).pipe(
          distinct((spec) => spec.code),
          mergeMap(fetchSpec, options.concurrency),
          concatMap(generate),
          tap(({ outcome }) => deps.onProgress?.({ kind: 'done', outcome, done: ++done, total })),
          reduce(
            (acc, { outcome, listing }) => ({ ...acc, report: addOutcome(acc.report, outcome), listings: [...acc.listings, listing] }),
            { report: start, listings: [] as SpecListing[] },
          ),
        ),
        rooms: rooms$,
      }).pipe(
        map(({ result, rooms }): RunResult => {
          if (rooms.warning) result.report.warnings.push(rooms.warning);
          return { ...result, rooms: rooms.rooms, order: specs };
        }),
      );
    }),
    concatMap(writeSiteIndex),
  );
}

/** Stage: the index page, or the end of the run. */
function loadIndex(urls: ScheduleUrls, deps: RunDeps): Observable<{ specs: Spec[]; warnings: string[] }> {
  return fetchText(deps.http, urls.index, decodeSchedulePage).pipe(
    map((html) => parseIndex(html)),
    map((index) => {
      if (index.specs.length === 0) {
        throw new FatalError(`${urls.index}: the index page lists no specializations ("Anul N" links); is this the right semester?`);
      }
      return index;
    }),
    catchError((error: unknown) => {
      if (error instanceof FatalError) throw error;
      throw new FatalError(`${messageOf(error)} - check the network or use --schedule-root for a mirror`);
    }),
  );
}

/** Stage: the room legend. Only decoration: failing to read it is a warning. */
function loadRooms(urls: ScheduleUrls, deps: RunDeps): Observable<{ rooms: Rooms; warning?: string }> {
  return fetchText(deps.http, urls.legend, decodeSchedulePage).pipe(
    map((html) => ({ rooms: parseRooms(html) })),
    catchError((error: unknown) => of({ rooms: {}, warning: `room legend not used (locations left out): ${messageOf(error)}` })),
    shareOnce(),
  );
}

/** Stage: the academic-year page, fetched once per run and shared. */
function loadAcademicYear(options: RunOptions, deps: RunDeps): Observable<AcademicYear> {
  return defer(() => deps.http.get(options.calendarUrl)).pipe(
    map((res) => parseAcademicYear(decodeDeclared(res.body, res.contentType))),
    map((year) => {
      if (year.sections.length === 0) {
        throw new FatalError(`${options.calendarUrl}: no "Linia de studiu" sections found; is this the academic-year page?`);
      }
      const mismatch = academicYearMismatch(year, options.semester);
      if (mismatch) throw new FatalError(`${options.calendarUrl}: ${mismatch}`);
      return year;
    }),
    catchError((error: unknown) => {
      if (error instanceof FatalError) throw error;
      throw new FatalError(`${messageOf(error)} - check the network or use --calendar-url for a mirror`);
    }),
    shareOnce(),
  );
}

function selectSpecs(specs: Spec[], only: readonly string[] | null): { specs: Spec[]; missing: string[] } {
  if (!only) return { specs, missing: [] };
  const wanted = new Set(only);
  const present = new Set(specs.map((s) => s.code));
  return { specs: specs.filter((s) => wanted.has(s.code)), missing: only.filter((c) => !present.has(c)) };
}

/** A GET as a cold Observable; unsubscribing aborts the request. */
function fetchText(http: HttpClient, url: string, decode: (body: Uint8Array) => string): Observable<string> {
  return new Observable<FetchResult>((subscriber) => {
    const abort = new AbortController();
    http.get(url, abort.signal).then(
      (res) => {
        subscriber.next(res);
        subscriber.complete();
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => abort.abort();
  }).pipe(
    map((res) => {
      if (res.body.length === 0) throw new FetchError(url, `${url}: empty response`);
      return decode(res.body);
    }),
  );
}

function failedSpec(failed: FailedSpec): GeneratedSpec {
  const { spec, url, message, fetchMs } = failed;
  return {
    outcome: {
      code: spec.code,
      name: spec.name,
      year: spec.year,
      url,
      status: 'failed',
      groups: 0,
      files: 0,
      events: 0,
      warnings: [],
      error: { code: spec.code, url, message },
      fetchMs,
      parseMs: 0,
      bytes: 0,
      generateMs: 0,
    },
    listing: { code: spec.code, name: spec.name, year: spec.year, master: spec.master, status: 'failed', error: message, groups: [] },
  };
}

/**
 * Renders every calendar of a spec and its JSON, then writes them all: the
 * rendering is one stretch of CPU work, the writes go out together.
 */
async function writeSpec(fetched: FetchedSpec, semester: string, writer: SiteWriter, stamp: Date): Promise<GeneratedSpec> {
  const { spec, groups, calendar, rooms } = fetched;
  const weeks = teachingWeeks(calendar);
  const ics = new IcsRenderer();
  const files: [path: string, content: string][] = [];
  const listing: SpecListing = { code: spec.code, name: spec.name, year: spec.year, master: spec.master, status: 'ok', groups: [] };
  const groupsJson: GroupJson[] = [];
  let events = 0;
  for (const table of groups) {
    const dated = dateEntries(table.entries, classUidStems(semester, spec.code, table.entries), calendar, weeks);
    const datedOf = new Map(dated.map((d) => [d.entry, d]));
    const calendars: GroupJson['calendars'] = [];
    for (const selection of selectCalendars(table)) {
      const path = calendarPath(spec.name, spec.year, selection.baseName);
      const classEvents = buildEvents(
        selection.entries.map((e) => datedOf.get(e)!),
        rooms,
      );
      const kind = selection.subgroup === '1' || selection.subgroup === '2' ? 'subgroup' : 'group';
      files.push([
        path,
        ics.render({
          name: `${spec.code} ${selection.label}`,
          description: `${spec.name}, year ${spec.year}, ${kind} ${selection.label}, semester ${semester}`,
          events: classEvents,
          stamp,
        }),
      ]);
      calendars.push({ subgroup: selection.subgroup, label: selection.label, path, events: classEvents.length });
      events += classEvents.length;
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
    finalYear: isFinalYear(spec),
    semester,
    groups: groupsJson,
  };
  const calendarFiles = files.length;
  files.push([specDataPath(spec.code), toJson(json)]);
  await Promise.all(files.map(([path, content]) => writer.write(path, content)));
  return {
    outcome: {
      code: spec.code,
      name: spec.name,
      year: spec.year,
      url: fetched.url,
      status: 'ok',
      groups: groups.length,
      files: calendarFiles,
      events,
      warnings: fetched.warnings,
      fetchMs: fetched.fetchMs,
      parseMs: fetched.parseMs,
      bytes: fetched.bytes,
      generateMs: 0,
    },
    listing,
  };
}

/**
 * shareReplay(1) that also replays an error: a failed academic page or
 * legend is reported to every spec that asks, never fetched a second time.
 */
function shareOnce<T>(): MonoTypeOperatorFunction<T> {
  return share<T>({
    connector: () => new ReplaySubject<T>(1),
    resetOnError: false,
    resetOnComplete: false,
    resetOnRefCountZero: false,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

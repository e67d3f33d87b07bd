// The generator as one rxjs pipeline. Read top to bottom it is the design:
//
//   index page ─► specs ─► distinct(code) ─► mergeMap(fetchPage, concurrency)
//     ─► observeOn(async) ─► mergeMap(joinCalendar: parse + calendarFor(key) + legend)
//     ─► concatMap(generate) ─► mergeMap(awaitWrite) ─► reduce(addOutcome) ─► writeSiteIndex
//
// Only fetchPage holds one of the `concurrency` request slots, and only until
// the page's bytes are in: parsing, joining the calendar and rendering happen
// after the slot is refilled, so CPU work never sits on the network's
// critical path. The academic-year page and the legend are fetched once per
// run, from the start (shared, errors included), and every study line /
// semester / final-year table is derived from that one copy, once per key.
// One spec's failure is caught inside its own inner Observable and becomes a
// failed outcome; only the index or academic page failing ends the run.
import {
  BehaviorSubject,
  Observable,
  ReplaySubject,
  filter,
  take,
  asyncScheduler,
  observeOn,
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
import { buildEvents, dateEntries, type ClassEvent, type DatedEntry } from './calendar/events.js';
import { describeChanges, type ClassChange } from './calendar/changes.js';
import { decodeState, encodeState, publish, type StoredState } from './calendar/publication.js';
import { feedEntry, renderAtom, type FeedEntry } from './output/atom.js';
import { formatSemester } from './calendar/semester.js';
import { selectCalendars, type CalendarSelection } from './calendar/selection.js';
import { calendarKeyOf, isFinalYear, studyLineOf } from './calendar/study-line.js';
import { teachingWeeks } from './calendar/teaching-weeks.js';
import { classUidStems } from './calendar/uid.js';
import type { Activity, CalendarKey, GroupTable, IsoDate, Rooms, Semester, Spec, TeachingCalendar } from './model.js';
import { VERSION } from './version.js';
import { decodeDeclared, decodeSchedulePage } from './net/decode.js';
import { FetchError, type FetchResult, type HttpClient, type RetryEvent } from './net/client.js';
import { createHash } from 'node:crypto';
import { IcsRenderer, renderAllDayIcs } from './output/ics.js';
import { weeksCalendar } from './calendar/weeks-calendar.js';
import { renderIndexHtml, type SpecListing } from './output/index-html.js';
import { groupJson, indexJson, toJson, type GroupJson, type SpecJson } from './output/json.js';
import { fileNamer, specPaths, type SpecPaths } from './output/paths.js';
import type { SiteFile, SiteWriter } from './output/site-writer.js';
import { addOutcome, emptyReport, type HttpTally, type Report, type SpecOutcome } from './report.js';
import { parseAcademicYear, type AcademicYear, type SemesterTable } from './scrape/academic-year.js';
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
  /** The page's own files (script, style), copied into the site as they are. */
  assets?: readonly SiteFile[];
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

/** A page's text, or why it could not be had. */
type FetchedPage = { spec: Spec; url: string; fetchMs: number; retries: string[] } & (
  | { html: string; error?: undefined }
  | { html?: undefined; error: string }
);

/** A spec whose page and calendar are in hand, ready to generate. */
export interface FetchedSpec {
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
  /** Fingerprint of everything the spec's files are made from. */
  inputsHash: string;
  retries: string[];
  paths: SpecPaths;
}

/** A spec that could not be fetched or read. */
interface FailedSpec {
  spec: Spec;
  url: string;
  message: string;
  fetchMs: number;
  retries: string[];
  paths: SpecPaths;
}

interface GeneratedSpec {
  outcome: SpecOutcome;
  listing: SpecListing;
  /** What changed for subscribers, class by class (regenerated specs only). */
  changes?: ClassChange[];
  /** Settles when the spec's files are on disk. */
  written?: Promise<void>;
}

interface RunResult {
  report: Report;
  listings: SpecListing[];
  /** Specs whose calendars changed for subscribers in this run. */
  changes: { spec: SpecListing; changes: ClassChange[] }[];
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

  const http: HttpTally = { responses: 0, notModified: 0, cacheHits: 0, retries: 0 };
  const sharedRetries: string[] = [];
  const get = (url: string, decode: (body: Uint8Array) => string, retries = sharedRetries): Observable<string> =>
    fetchText(deps.http, url, decode, (result) => tally(http, retries, result));
  const academicYear$ = loadAcademicYear(options, deps, http, sharedRetries);
  const rooms$ = loadRooms(urls, get);
  const calendars = new Map<string, Observable<TeachingCalendar>>();
  /** Folders and data files, decided once the index is in. */
  let pathsOf = new Map<string, SpecPaths>();
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

  /**
   * Pages fetched but not yet generated. When the disk or the renderer is
   * slower than the server, fetching pauses at a few pages ahead instead of
   * holding the whole faculty in memory; against a slow server the limit is
   * never reached and costs nothing.
   */
  const waiting = new BehaviorSubject(0);
  const maxWaiting = 2 * options.concurrency;
  const roomToFetch$ = waiting.pipe(
    filter((n) => n < maxWaiting),
    take(1),
  );

  /**
   * The only stage that holds a request slot: one page's bytes. It ends when
   * the body is in, so the next request goes out before any parsing.
   */
  const fetchPage = (spec: Spec): Observable<FetchedPage> => {
    const url = urls.page(spec.code);
    const started = deps.clock();
    const retries: string[] = [];
    return get(url, decodeSchedulePage, retries).pipe(
      map((html): FetchedPage => {
        waiting.next(waiting.value + 1);
        lastPageAt = elapsed();
        deps.onProgress?.({ kind: 'fetched', code: spec.code });
        return { spec, url, html, retries, fetchMs: Math.round(deps.clock() - started) };
      }),
      catchError((error: unknown) => {
        waiting.next(waiting.value + 1);
        return of({ spec, url, retries, error: messageOf(error), fetchMs: Math.round(deps.clock() - started) });
      }),
    );
  };

  /** The page parsed and joined with its teaching calendar and the legend. */
  const joinCalendar = (page: FetchedPage): Observable<FetchedSpec | FailedSpec> => {
    const { spec, url, fetchMs, retries } = page;
    const paths = pathsOf.get(spec.code)!;
    if (page.html === undefined) return of({ spec, url, message: page.error, fetchMs, retries, paths });
    const html = page.html;
    return forkJoin({ calendar: calendarFor(calendarKeyOf(spec, options.semester)), rooms: rooms$ }).pipe(
      map(({ calendar, rooms }): FetchedSpec => {
        const parseStart = deps.clock();
        let parsed;
        try {
          parsed = parseTimetable(html, spec.code);
        } catch (error) {
          throw new Error(`${url}: ${messageOf(error)}`);
        }
        return {
          spec,
          url,
          groups: parsed.groups,
          warnings: parsed.warnings,
          calendar,
          rooms: rooms.rooms,
          fetchMs,
          parseMs: deps.clock() - parseStart,
          bytes: html.length,
          inputsHash: inputsHash(semester, spec, html, calendar, rooms.rooms),
          retries,
          paths,
        };
      }),
      catchError((error: unknown) => {
        if (error instanceof FatalError) throw error;
        return of({ spec, url, message: messageOf(error), fetchMs, retries, paths });
      }),
    );
  };

  /** The spec's JSON in the current site, if it is there and readable. */
  const previousSpec = (paths: SpecPaths): SpecJson | null => readJson<SpecJson>(deps.writer, paths.data);

  /**
   * One spec's calendars and JSON. Unchanged inputs: the current files are
   * carried over, nothing is rendered. A failed fetch: the current files are
   * kept, marked stale. Otherwise rendered, then handed to the writer; a
   * writer still busy with the previous spec is waited for first (that wait
   * counts as generating), so at most one spec's files wait in memory.
   */
  let previousWrite: Promise<void> = Promise.resolve();
  const generate = (fetched: FetchedSpec | FailedSpec): Observable<GeneratedSpec> =>
    defer(async () => {
      const previous = previousSpec(fetched.paths);
      if ('message' in fetched) return keepStale(fetched, previous, deps.writer);
      const started = deps.clock();
      if (previous?.inputsHash === fetched.inputsHash) {
        const carried = await carryOver(fetched, previous, deps.writer);
        if (carried) {
          carried.outcome.generateMs = deps.clock() - started;
          return carried;
        }
      }
      const { files, ...generated } = renderSpec(fetched, semester, startedAt, readJson<SpecHistory>(deps.writer, fetched.paths.state));
      generated.outcome.renderMs = deps.clock() - started;
      await previousWrite.catch(() => undefined);
      const written = deps.writer.write(files);
      previousWrite = written;
      generated.outcome.generateMs = deps.clock() - started;
      return { ...generated, written };
    });

  /** A spec whose files could not be written is a failed spec. */
  const awaitWrite = (generated: GeneratedSpec): Observable<GeneratedSpec> =>
    defer(async () => {
      try {
        await generated.written;
        return generated;
      } catch (error) {
        const { outcome, listing } = generated;
        const message = messageOf(error);
        return {
          ...generated,
          outcome: { ...outcome, status: 'failed' as const, error: { code: outcome.code, url: outcome.url, message } },
          listing: { ...listing, status: 'failed' as const, error: message, groups: [] },
        };
      }
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
        .map((s) => ({ ...s, parseMs: ms(s.parseMs), renderMs: ms(s.renderMs), generateMs: ms(s.generateMs) }));
      const listings = [...result.listings].sort(byOrder);
      const report: Report = {
        ...result.report,
        specs,
        timings: {
          fetchMs: lastPageAt,
          parseMs: ms(result.report.timings.parseMs),
          renderMs: ms(result.report.timings.renderMs),
          generateMs: ms(result.report.timings.generateMs),
          totalMs: elapsed(),
        },
      };
      const statusOf = new Map(specs.map((s) => [s.code, s.status]));
      const indexed = result.order.filter((s, i) => statusOf.has(s.code) && position.get(s.code) === i).map((s) => ({ ...s, status: statusOf.get(s.code)! }));
      // The pages carry when the data last changed, not when this run ran:
      // a run that changes nothing leaves them byte for byte as they were.
      const dataUpdatedAt = listings.reduce((latest, l) => (l.updatedAt && l.updatedAt > latest ? l.updatedAt : latest), '');
      const academicYear = await lastValueFrom(academicYear$);
      const weeks = weeksCalendars(academicYear, options.semester, report.warnings);
      const pages: SiteFile[] = [
        ...(deps.assets ?? []),
        ...weeks.map(({ path, content }) => ({ path, content })),
        { path: 'data/changes.json', content: toJson(changesJson(readJson<ChangesJson>(deps.writer, 'data/changes.json'), report.generatedAt, result.changes, byOrder)) },
        { path: 'data/index.json', content: toJson(indexJson(semester, dataUpdatedAt, indexed)) },
        { path: 'data/calendar.json', content: toJson(calendarJson(academicYear, options.semester)) },
        { path: 'data/rooms.json', content: toJson(result.rooms) },
        { path: 'index.html', content: renderIndexHtml(semester, dataUpdatedAt, listings, weeks) },
      ];
      await deps.writer.write(pages);
      report.http = { ...http };
      report.largestFile = largestFile(listings);
      report.warnings.push(...sharedRetries);
      report.writes = { ...deps.writer.stats };
      report.timings.totalMs = elapsed();
      report.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      // The run's own report is the one file every run rewrites.
      await deps.writer.write([{ path: 'data/build.json', content: toJson(report) }]);
      return report;
    });

  // The index goes out first (every page waits for it), then the academic
  // page and the legend, which every spec needs too.
  const index$ = loadIndex(urls, get).pipe(shareOnce());
  return defer(() => {
    index$.subscribe({ error: () => undefined });
    academicYear$.subscribe({ error: () => undefined });
    rooms$.subscribe();
    return index$;
  }).pipe(
    switchMap((index) => {
      const { specs, missing } = selectSpecs(index.specs, options.only);
      pathsOf = specPaths(index.specs);
      const start = emptyReport(semester, startedAt);
      start.warnings.push(...index.warnings);
      start.errors.push(...missing.map((code) => ({ code, url: urls.index, message: `--only ${code}: no such code on the index page` })));
      const total = new Set(specs.map((s) => s.code)).size;
      deps.onProgress?.({ kind: 'start', total });
      let done = 0;
      return forkJoin({
        result: from(specs).pipe(
          distinct((spec) => spec.code),
          mergeMap((spec) => roomToFetch$.pipe(switchMap(() => fetchPage(spec))), options.concurrency),
          // Parse and render on a later turn of the event loop: the slot a
          // page just freed is refilled first.
          observeOn(asyncScheduler),
          mergeMap(joinCalendar),
          concatMap(generate),
          mergeMap(awaitWrite),
          tap(({ outcome }) => {
            waiting.next(waiting.value - 1);
            deps.onProgress?.({ kind: 'done', outcome, done: ++done, total });
          }),
          reduce(
            (acc, { outcome, listing, changes }) => ({
              report: addOutcome(acc.report, outcome),
              listings: [...acc.listings, listing],
              changes: changes && changes.length > 0 ? [...acc.changes, { spec: listing, changes }] : acc.changes,
            }),
            { report: start, listings: [] as SpecListing[], changes: [] as RunResult['changes'] },
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
function loadIndex(urls: ScheduleUrls, get: (url: string, decode: (body: Uint8Array) => string) => Observable<string>): Observable<{ specs: Spec[]; warnings: string[] }> {
  return get(urls.index, decodeSchedulePage).pipe(
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
function loadRooms(urls: ScheduleUrls, get: (url: string, decode: (body: Uint8Array) => string) => Observable<string>): Observable<{ rooms: Rooms; warning?: string }> {
  return get(urls.legend, decodeSchedulePage).pipe(
    map((html) => ({ rooms: parseRooms(html) })),
    catchError((error: unknown) => of({ rooms: {}, warning: `room legend not used (locations left out): ${messageOf(error)}` })),
    shareOnce(),
  );
}

/** Stage: the academic-year page, fetched once per run and shared. */
function loadAcademicYear(options: RunOptions, deps: RunDeps, http: HttpTally, retries: string[]): Observable<AcademicYear> {
  return defer(() => deps.http.get(options.calendarUrl)).pipe(
    tap((res) => tally(http, retries, res)),
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
      if (error instanceof FetchError) tally(http, retries, error);
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
function fetchText(
  http: HttpClient,
  url: string,
  decode: (body: Uint8Array) => string,
  onResult: (result: FetchResult | FetchError) => void,
): Observable<string> {
  return new Observable<FetchResult>((subscriber) => {
    const abort = new AbortController();
    http.get(url, { signal: abort.signal }).then(
      (res) => {
        onResult(res);
        subscriber.next(res);
        subscriber.complete();
      },
      (error: unknown) => {
        if (error instanceof FetchError) onResult(error);
        subscriber.error(error);
      },
    );
    return () => abort.abort();
  }).pipe(
    map((res) => {
      if (res.body.length === 0) throw new FetchError(url, `${url}: empty response`);
      try {
        return decode(res.body);
      } catch (error) {
        throw new FetchError(url, `${url}: ${messageOf(error)}`);
      }
    }),
  );
}

/** Counts an answer (or a failure) and its retries. */
function tally(http: HttpTally, retries: string[], result: FetchResult | FetchError): void {
  if (!(result instanceof FetchError)) {
    if (result.status === 304) http.notModified += 1;
    else http.responses += 1;
    if (result.fromCache) http.cacheHits += 1;
  }
  for (const r of result.retries ?? []) {
    http.retries += 1;
    retries.push(describeRetry(r));
  }
}

function describeRetry(r: RetryEvent): string {
  return `${r.url}: attempt ${r.attempt} failed (${r.reason}), retried after ${(r.delayMs / 1000).toFixed(1)} s`;
}

/** Everything a spec's files are made from; the same hash means the same files. */
function inputsHash(semester: string, spec: Spec, html: string, calendar: TeachingCalendar, rooms: Rooms): string {
  return createHash('sha256')
    .update(JSON.stringify([VERSION, semester, spec, calendar, rooms]))
    .update(html)
    .digest('hex');
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

/** The calendar files and JSON a spec's previous build wrote. */
function previousFiles(previous: SpecJson, paths: SpecPaths): string[] {
  return [...previous.groups.flatMap((g) => g.calendars.map((c) => c.path)), paths.data, paths.state, paths.feed];
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
    changedAt: previous.changedAt,
    feed: previous.feed,
    groups: previous.groups.map((g) => ({ name: g.name, calendars: g.calendars })),
  };
}

/** Files of a spec whose inputs did not change, taken over as they are. Null when some are missing. */
async function carryOver(fetched: FetchedSpec, previous: SpecJson, writer: SiteWriter): Promise<GeneratedSpec | null> {
  const paths = previousFiles(previous, fetched.paths);
  const missing = await writer.keep(paths);
  if (missing.length > 0) return null;
  const events = previous.groups.reduce((n, g) => n + g.calendars.reduce((m, c) => m + c.events, 0), 0);
  return {
    outcome: {
      ...outcomeBase(fetched.spec, fetched.url),
      status: 'ok',
      unchanged: true,
      groups: previous.groups.length,
      files: paths.length - 3,
      events,
      warnings: fetched.warnings,
      retries: fetched.retries,
      fetchMs: fetched.fetchMs,
      parseMs: fetched.parseMs,
      bytes: fetched.bytes,
    },
    listing: listingOf(previous, 'ok'),
  };
}

/**
 * A spec this run could not fetch or read: its previous files stay in the
 * site, marked stale; without previous files it is simply failed.
 */
async function keepStale(failed: FailedSpec, previous: SpecJson | null, writer: SiteWriter): Promise<GeneratedSpec> {
  const { spec, url, message, fetchMs, retries } = failed;
  const error = { code: spec.code, url, message };
  const base = { ...outcomeBase(spec, url), error, fetchMs, retries };
  if (previous) {
    const paths = previousFiles(previous, failed.paths);
    const missing = await writer.keep(paths);
    if (missing.length < paths.length) {
      return {
        outcome: {
          ...base,
          status: 'stale',
          groups: previous.groups.length,
          files: paths.length - 3 - missing.filter((p) => p.endsWith('.ics')).length,
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
  /** When its events last changed for subscribers. */
  changedAt: string;
  /** Newest first. */
  feed: FeedEntry[];
}

const FEED_ENTRIES = 50;

const CLUJ_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest' });

/** The calendar date in Cluj. */
function todayIn(now: Date): IsoDate {
  return CLUJ_DATE.format(now);
}

/**
 * Every calendar of a spec, its JSON, its publication state and its feed, as
 * files to write. Events are compared with what `history` says was
 * published, so unchanged ones keep their bytes. Pure.
 */
export function renderSpec(
  fetched: FetchedSpec,
  semester: string,
  now: Date,
  history: SpecHistory | null,
): GeneratedSpec & { files: SiteFile[]; changes: ClassChange[] } {
  const { spec, groups, calendar, rooms } = fetched;
  const weeks = teachingWeeks(calendar);
  const nameFile = fileNamer();
  const updatedAt = now.toISOString();

  // The events each calendar should hold now.
  const next = new Map<string, ClassEvent[]>();
  const groupOfPath = new Map<string, string>();
  const layout: { table: GroupTable; dated: DatedEntry[]; calendars: { selection: CalendarSelection; path: string }[] }[] = [];
  for (const table of groups) {
    const dated = dateEntries(table.entries, classUidStems(semester, spec.code, table.entries), calendar, weeks);
    const datedOf = new Map(dated.map((d) => [d.entry, d]));
    const calendars = selectCalendars(table).map((selection) => {
      const path = `${fetched.paths.folder}/${nameFile(selection.baseName, '.ics')}`;
      next.set(path, buildEvents(selection.entries.map((e) => datedOf.get(e)!), rooms));
      groupOfPath.set(path, table.group);
      return { selection, path };
    });
    layout.push({ table, dated, calendars });
  }

  // Compared with what was published: sequences, stamps, cancellations, changes.
  const publication = publish(history?.publication?.v === 1 ? decodeState(history.publication) : null, next, now);
  const changes = describeChanges(publication.changes, (p) => groupOfPath.get(p) ?? '?', weeks, todayIn(now));
  const changedAt = changes.length > 0 || !history ? updatedAt : history.changedAt;
  const feed = changes.length > 0 ? [feedEntry(updatedAt, changes), ...(history?.feed ?? [])].slice(0, FEED_ENTRIES) : (history?.feed ?? []);

  const ics = new IcsRenderer();
  const files: SiteFile[] = [];
  const listing: SpecListing = { code: spec.code, name: spec.name, year: spec.year, master: spec.master, status: 'ok', updatedAt, changedAt, feed: fetched.paths.feed, groups: [] };
  const groupsJson: GroupJson[] = [];
  let events = 0;
  for (const { table, dated, calendars: selections } of layout) {
    const calendars: GroupJson['calendars'] = [];
    for (const { selection, path } of selections) {
      const published = publication.files.get(path)!;
      const kind = selection.subgroup === '1' || selection.subgroup === '2' ? 'subgroup' : 'group';
      const content = ics.render({
        name: `${spec.code} ${selection.label} · ${semester}`,
        description: `${spec.name}, year ${spec.year}, ${kind} ${selection.label}, semester ${semester}. Timetable last changed ${changedAt.slice(0, 10)}.`,
        events: published,
      });
      files.push({ path, content });
      calendars.push({ subgroup: selection.subgroup, label: selection.label, path, events: published.length, bytes: Buffer.byteLength(content) });
      events += published.length;
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
    updatedAt,
    changedAt,
    feed: fetched.paths.feed,
    inputsHash: fetched.inputsHash,
    groups: groupsJson,
  };
  const calendarFiles = files.length;
  const state: SpecHistory = { publication: encodeState(publication.state), changedAt, feed };
  files.push(
    { path: fetched.paths.data, content: toJson(json) },
    { path: fetched.paths.state, content: JSON.stringify(state) },
    {
      path: fetched.paths.feed,
      content: renderAtom({
        id: `tag:orar-cal,${semester}:${spec.code}`,
        title: `${spec.name}, year ${spec.year} (${spec.code}): timetable changes`,
        updated: changedAt,
        siteHref: '../index.html',
        entries: feed,
      }),
    },
  );
  return {
    files,
    changes,
    outcome: {
      ...outcomeBase(spec, fetched.url),
      status: 'ok',
      groups: groups.length,
      files: calendarFiles,
      events,
      warnings: fetched.warnings,
      retries: fetched.retries,
      fetchMs: fetched.fetchMs,
      parseMs: fetched.parseMs,
      bytes: fetched.bytes,
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

const LINE_LABELS = { romanian: 'Romanian line', hungarian: 'Hungarian line', german: 'German line' } as const;

/** weeks-{line}.ics (and weeks-{line}-final.ics in semester II) for every study line the page has. */
function weeksCalendars(year: AcademicYear, semester: Semester, warnings: string[]): (SiteFile & { label: string })[] {
  const files: (SiteFile & { label: string })[] = [];
  for (const line of ['romanian', 'hungarian', 'german'] as const) {
    const section = year.sections.find((s) => s.lines.includes(line));
    const tables: [SemesterTable, string, string][] =
      semester.half === 1 ? [['I', '', '']] : [['II', '', ''], ['II-final', '-final', ', final years']];
    for (const [table, suffix, what] of tables) {
      const rows = section?.tables[table];
      if (!rows) {
        warnings.push(`no teaching-weeks calendar for the ${LINE_LABELS[line]}${what}: the academic-year page has no such table`);
        continue;
      }
      const label = `${LINE_LABELS[line]}${what}`;
      const events = weeksCalendar(rows, `${formatSemester(semester)}-${line}${suffix}`);
      files.push({
        path: `weeks-${line}${suffix}.ics`,
        label,
        content: renderAllDayIcs({
          name: `Teaching weeks ${formatSemester(semester)} · ${label}`,
          description: `Teaching weeks (odd/even), vacations and public holidays, semester ${formatSemester(semester)}, ${label}.`,
          events,
          // Stable, so an unchanged academic year gives the same bytes.
          stamp: new Date(`${rows[0]!.start}T00:00:00Z`),
        }),
      });
    }
  }
  return files;
}

/**
 * data/calendar.json: for the page, each study line's teaching weeks,
 * periods, vacations and holidays, keyed "line/table" like calendarKeyId.
 */
function calendarJson(year: AcademicYear, semester: Semester): unknown {
  const calendars: Record<string, unknown> = {};
  for (const section of year.sections) {
    for (const [table, rows] of Object.entries(section.tables) as [SemesterTable, Activity[]][]) {
      if ((semester.half === 1) !== (table === 'I')) continue;
      const teaching = rows.filter((r) => r.teaching);
      const calendar = { periods: teaching.map((r) => ({ start: r.start, end: r.end })), holidays: teaching.flatMap((r) => r.holidays) };
      for (const line of section.lines) {
        calendars[`${line}/${table}`] = {
          weeks: teachingWeeks(calendar),
          periods: calendar.periods,
          vacations: rows.filter((r) => /vacan/i.test(r.activity)).map((r) => ({ name: r.activity, start: r.start, end: r.end })),
          holidays: teaching.flatMap((r) => Object.entries(r.holidayNames).map(([date, name]) => ({ date, name }))),
        };
      }
    }
  }
  return { semester: formatSemester(semester), calendars };
}

/** data/changes.json: the runs that changed something, newest first. */
interface ChangesJson {
  runs: {
    at: string;
    specs: {
      code: string;
      name: string;
      year: number;
      groups: { group: string; added: ClassChange[]; changed: ClassChange[]; cancelled: ClassChange[] }[];
    }[];
  }[];
}

const CHANGE_RUNS = 100;

function changesJson(
  previous: ChangesJson | null,
  at: string,
  changed: RunResult['changes'],
  byOrder: (a: { code: string }, b: { code: string }) => number,
): ChangesJson {
  const runs = previous?.runs ?? [];
  if (changed.length === 0) return { runs };
  const specs = [...changed]
    .sort((a, b) => byOrder(a.spec, b.spec))
    .map(({ spec, changes }) => ({
      code: spec.code,
      name: spec.name,
      year: spec.year,
      groups: [...new Set(changes.map((c) => c.group))].map((group) => {
        const of = (kinds: ClassChange['kind'][]) => changes.filter((c) => c.group === group && kinds.includes(c.kind));
        return { group, added: of(['added']), changed: of(['changed', 'moved']), cancelled: of(['cancelled']) };
      }),
    }));
  return { runs: [{ at, specs }, ...runs].slice(0, CHANGE_RUNS) };
}

/** The biggest calendar of the site (feeds must stay well under Google's limits). */
function largestFile(listings: readonly SpecListing[]): Report['largestFile'] {
  let best: Report['largestFile'] = null;
  for (const l of listings) {
    for (const g of l.groups) {
      for (const c of g.calendars) {
        const bytes = c.bytes ?? 0;
        if (!best || bytes > best.bytes || (bytes === best.bytes && c.events > best.events)) best = { path: c.path, bytes, events: c.events };
      }
    }
  }
  return best;
}

/** A JSON file of the current site, or null when missing or unreadable. */
function readJson<T>(writer: SiteWriter, path: string): T | null {
  const text = writer.previous(path);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

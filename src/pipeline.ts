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
  merge,
  mergeMap,
  of,
  reduce,
  share,
  switchMap,
  tap,
  type MonoTypeOperatorFunction,
} from 'rxjs';
import { createHash } from 'node:crypto';
import { academicYearMismatch, calendarKeyId, teachingCalendarFor } from './calendar/academic-calendar.js';
import { formatSemester } from './calendar/semester.js';
import { calendarKeyOf } from './calendar/study-line.js';
import { carryOver, keepStale, keepUnselected, readJson, renderSpec, type FailedSpec, type FetchedSpec, type GeneratedSpec, type SpecHistory } from './generate.js';
import type { CalendarKey, Rooms, Semester, Spec, TeachingCalendar } from './model.js';
import { FetchError, type FetchResult, type HttpClient, type RetryEvent } from './net/client.js';
import { decodeDeclared, decodeSchedulePage } from './net/decode.js';
import { renderIndexHtml, type SpecListing } from './output/index-html.js';
import { indexJson, toJson, type IndexJson, type SpecJson } from './output/json.js';
import { specPaths, type SpecPaths } from './output/paths.js';
import { calendarJson, changesJson, largestFile, weeksCalendars, type CalendarJson, type ChangesJson, type SpecChanges } from './output/site-index.js';
import type { SiteFile, SiteWriter } from './output/site-writer.js';
import { addOutcome, emptyReport, type HttpTally, type Report, type SpecOutcome } from './report.js';
import { parseAcademicYear, type AcademicYear } from './scrape/academic-year.js';
import { parseIndex } from './scrape/index-page.js';
import { parseRooms } from './scrape/rooms.js';
import { parseTimetable } from './scrape/timetable.js';
import { VERSION } from './version.js';

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

/** --only names no code the index lists: a usage error (exit code 2), found once the index is in. */
export class NothingSelectedError extends Error {}

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

interface RunResult {
  report: Report;
  listings: SpecListing[];
  /** Specs whose calendars changed for subscribers in this run. */
  changes: SpecChanges[];
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
        map(({ year }) => teachingCalendarFor(year, key)),
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

  /** Specs --only left out: carried over from the current site as they are. */
  const keepAsTheyWere = (kept: readonly Spec[]): Observable<GeneratedSpec> =>
    from(kept).pipe(
      distinct((spec) => spec.code),
      concatMap((spec) =>
        defer(async () => {
          const paths = pathsOf.get(spec.code)!;
          const listed = readJson<IndexJson>(deps.writer, 'data/index.json')
            ?.specializations.flatMap((s) => s.years)
            .find((y) => y.code === spec.code);
          return keepUnselected(spec, urls.page(spec.code), paths, previousSpec(paths), listed?.status ?? 'ok', deps.writer);
        }),
      ),
      filter((kept): kept is GeneratedSpec => kept !== null),
    );

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
      const { year: academicYear, fallback } = await lastValueFrom(academicYear$);
      if (fallback) report.errors.unshift({ code: 'academic-year', url: options.calendarUrl, message: fallback });
      report.academicYear = { source: fallback ? 'stored copy' : 'page', ...(fallback ? { problem: fallback } : {}) };
      const weeks = weeksCalendars(academicYear, options.semester, report.warnings);
      const pages: SiteFile[] = [
        ...(deps.assets ?? []),
        ...weeks.map(({ path, content }) => ({ path, content })),
        { path: 'data/changes.json', content: toJson(changesJson(readJson<ChangesJson>(deps.writer, 'data/changes.json'), report.generatedAt, result.changes, byOrder)) },
        { path: 'data/index.json', content: toJson(indexJson(semester, dataUpdatedAt, indexed)) },
        { path: 'data/calendar.json', content: toJson(calendarJson(academicYear, options.semester, fallback ? { since: report.generatedAt, reason: fallback } : null)) },
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
      const { specs, kept, missing } = selectSpecs(index.specs, options.only);
      pathsOf = specPaths(index.specs);
      const start = emptyReport(semester, startedAt);
      start.warnings.push(...index.warnings);
      start.errors.push(...missing.map((code) => ({ code, url: urls.index, message: `--only ${code}: no such code on the index page` })));
      const total = new Set(specs.map((s) => s.code)).size;
      deps.onProgress?.({ kind: 'start', total });
      let done = 0;
      return forkJoin({
        result: merge(from(specs).pipe(
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
        ), keepAsTheyWere(kept)).pipe(
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
          return { ...result, rooms: rooms.rooms, order: index.specs };
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

/** The academic year a run uses, and why it is not this run's page when it is not. */
interface AcademicYearInUse {
  year: AcademicYear;
  /** Why the page could not be used and the copy the current site keeps was; null when the page was used. */
  fallback: string | null;
}

/**
 * Stage: the academic-year page, fetched once per run and shared. When it
 * cannot be had or read, the copy of the same academic year that the current
 * site keeps (data/calendar.json) stands in, loudly: timetable changes keep
 * reaching subscribers while someone looks at the page. With no such copy,
 * the run ends (exit 3).
 */
function loadAcademicYear(options: RunOptions, deps: RunDeps, http: HttpTally, retries: string[]): Observable<AcademicYearInUse> {
  return defer(() => deps.http.get(options.calendarUrl)).pipe(
    tap((res) => tally(http, retries, res)),
    map((res) => parseAcademicYear(decodeDeclared(res.body, res.contentType))),
    map((year): AcademicYearInUse => {
      if (year.sections.length === 0) {
        throw new FatalError(`${options.calendarUrl}: no "Linia de studiu" sections found; is this the academic-year page?`);
      }
      const mismatch = academicYearMismatch(year, options.semester);
      if (mismatch) throw new FatalError(`${options.calendarUrl}: ${mismatch}`);
      return { year, fallback: null };
    }),
    catchError((error: unknown) => {
      if (error instanceof FetchError) tally(http, retries, error);
      const problem = error instanceof FatalError ? error.message : `${messageOf(error)} - check the network or use --calendar-url for a mirror`;
      const stored = storedAcademicYear(deps.writer, options.semester);
      if (stored) {
        return of({
          year: stored,
          fallback: `the academic-year page could not be used (${problem}); the teaching calendar kept in data/calendar.json from an earlier run was used instead`,
        });
      }
      throw new FatalError(`${problem}; and the current site keeps no academic calendar of this academic year to use instead`);
    }),
    shareOnce(),
  );
}

/** The academic year the current site's data/calendar.json keeps, if it is the one of `semester`. */
function storedAcademicYear(writer: SiteWriter, semester: Semester): AcademicYear | null {
  const stored = readJson<CalendarJson>(writer, 'data/calendar.json')?.academicYear;
  if (!stored || !Array.isArray(stored.sections) || stored.sections.length === 0) return null;
  return academicYearMismatch(stored, semester) === null && stored.startYear !== null ? stored : null;
}

/**
 * The specs to regenerate (--only codes match in any case), the ones to keep
 * as they are in the current site, and the codes asked for that do not exist.
 */
function selectSpecs(specs: Spec[], only: readonly string[] | null): { specs: Spec[]; kept: Spec[]; missing: string[] } {
  if (!only) return { specs, kept: [], missing: [] };
  const wanted = new Set(only.map((c) => c.toUpperCase()));
  const present = new Set(specs.map((s) => s.code.toUpperCase()));
  const selected = specs.filter((s) => wanted.has(s.code.toUpperCase()));
  if (selected.length === 0) {
    const listed = [...new Set(specs.map((s) => s.code))];
    throw new NothingSelectedError(
      `--only ${only.join(',')}: no such code on the index page; it lists ${listed.slice(0, 12).join(', ')}${listed.length > 12 ? `, ... (${listed.length} codes)` : ''}`,
    );
  }
  return {
    specs: selected,
    kept: specs.filter((s) => !wanted.has(s.code.toUpperCase())),
    missing: only.filter((c) => !present.has(c.toUpperCase())),
  };
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

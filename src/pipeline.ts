// The generator as one rxjs pipeline. buildSite is the design; every stage
// below it is a module-level function of one immutable run context.
import {
  Observable,
  asyncScheduler,
  catchError,
  concatMap,
  defer,
  distinct,
  filter,
  finalize,
  forkJoin,
  from,
  lastValueFrom,
  map,
  merge,
  mergeMap,
  observeOn,
  of,
  reduce,
  subscribeOn,
  switchMap,
  tap,
} from 'rxjs';
import { createHash } from 'node:crypto';
import { academicYearProblem, calendarDataKey, calendarKeyId, teachingCalendarFor } from './calendar/academic-calendar.js';
import { formatSemester } from './calendar/semester.js';
import { calendarKeyOf } from './calendar/study-line.js';
import { carryOver, keepStale, keepUnselected, readJson, renderSpec, type FailedSpec, type FetchedSpec, type GeneratedSpec, type SpecHistory } from './generate.js';
import type { CalendarKey, Rooms, Semester, Spec, TeachingCalendar } from './model.js';
import { FetchError, type FetchResult, type HttpClient, type RetryEvent } from './net/client.js';
import { decodeDeclared, decodeSchedulePage } from './net/decode.js';
import { renderIndexHtml, type SpecListing } from './output/index-html.js';
import { indexJson, toJson, type IndexJson, type SpecJson } from './output/json.js';
import { specPaths, type SpecPaths } from './output/paths.js';
import { peopleFiles, type PeopleFiles } from './output/people-files.js';
import { rowsOfSpec } from './people/rows.js';
import { calendarJson, changesJson, largestFile, weeksCalendars, type CalendarJson, type ChangesJson, type SpecChanges } from './output/site-index.js';
import type { SiteFile, SiteWriter } from './output/site-writer.js';
import { FatalError, LEGEND_KEPT, LEGEND_UNUSED, RunUsageError, addOutcome, emptyReport, tallyHttp, type PageResponse, type Report, type SpecOutcome } from './report.js';
import { DEFAULT_CALENDAR_URL, DEFAULT_SCHEDULE_ROOT, scheduleUrls, type ScheduleUrls } from './sources.js';
import { fetchAhead, type FetchAhead } from './rx/fetch-ahead.js';
import { shareOnce } from './rx/share-once.js';
import { stepped } from './rx/stepped.js';
import { parseAcademicYear, type AcademicYear } from './scrape/academic-year.js';
import { parseIndex } from './scrape/index-page.js';
import { parseRooms } from './scrape/rooms.js';
import { parseTimetable, type TimetablePage } from './scrape/timetable.js';
import { VERSION } from './version.js';

/**
 * One run: the index, then every spec's page, generated in order, then the
 * site-wide files. Emits the run's report once, when the site is written.
 *
 * Only `fetchPage` holds one of the `concurrency` request slots, and only
 * until the page's bytes are in: parsing, joining the calendar and rendering
 * happen on a later turn, after the slot is refilled, so no request waits
 * for our parsing (a response that arrives mid-render still waits for that
 * render: README, Performance). One spec's failure is an outcome, not an
 * error; only the index (or an academic page with no usable copy) ends a run.
 */
export function buildSite(options: RunOptions, deps: RunDeps): Observable<Report> {
  return defer(() => {
    const ctx = runContext(options, deps); // one per subscription: its shared pages, its fetch-ahead limit
    return startSharedPages(ctx).pipe( // the page's own files are written while the index travels
      map((index) => planRun(ctx, index)),
      switchMap((plan) =>
        merge(
          from(plan.specs).pipe(
            distinct((spec) => spec.code),
            ctx.ahead.admit(), // fetched pages wait for generation up to a limit
            mergeMap((spec) => fetchPage(ctx, spec), options.concurrency), // a request slot holds the bytes only
            ctx.ahead.arrived(), // from here to generated, a page has a claim on the CPU
            observeOn(asyncScheduler), // parse on a later turn: the freed slot is refilled first
            mergeMap((page) => joinCalendar(ctx, plan, page)), // parse at once, then calendarFor(key), shared per key, + legend
            concatMap((spec) => generateSpec(ctx, spec)), // render, compare, write: one spec at a time, in order
            ctx.ahead.release(),
            tap(progressOf(ctx, plan)),
          ),
          keepNotSelected(ctx, plan), // --only: every other spec as the current site has it
        ).pipe(
          tap((spec) => addPeopleRows(ctx, spec)), // teachers' and rooms' calendars, made while the run waits on the network
          reduce(addSpec, emptyResult(ctx, plan)), // the one place results are collected
        ),
      ),
      concatMap((result) => writeSiteIndex(ctx, result)), // index, page, calendar, changes, report
      finalize(() => ctx.peopleAhead.stop()),
    );
  });
}

export async function run(options: RunOptions, deps: RunDeps): Promise<Report> {
  return lastValueFrom(buildSite(options, deps));
}

export interface RunOptions {
  semester: Semester;
  scheduleRoot: string;
  calendarUrl: string;
  /** A saved copy of the academic-year page, read instead of calendarUrl (--calendar-file). */
  calendarFile?: { path: string; text: string };
  concurrency: number;
  /** Codes to generate; null for every spec on the index page. */
  only: readonly string[] | null;
  /** Where custom feeds are served (--feed-base), for data/index.json; null or absent: none known. */
  feedBase?: string | null;
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
  /** Their build's version, which index.html asks for them with (a service worker's cache of another build is not used). */
  assetsVersion?: string;
}

export type ProgressEvent = { kind: 'start'; total: number } | { kind: 'done'; outcome: SpecOutcome; done: number; total: number };


// ---------------------------------------------------------------------------
// The run's context and plan

/** A page's text, with what its fetch cost. */
interface Fetched<T> {
  value: T;
  response: PageResponse;
  /** Attempts that failed before the answer, in words. */
  retries: string[];
}

/** The legend, or why the run goes on without it. */
interface Legend {
  rooms: Rooms;
  warning?: string;
  response?: PageResponse;
  retries: string[];
}

/** The teaching-weeks calendars, and the tables the academic page lacks for them. */
interface WeeksFiles {
  files: (SiteFile & { label: string })[];
  warnings: string[];
}

/** The academic year a run uses, and why it is not this run's page when it is not. */
interface AcademicYearInUse {
  year: AcademicYear;
  /** Why the page could not be used and the copy the current site keeps was; null when the page was used. */
  fallback: string | null;
  response?: PageResponse;
  retries: string[];
}

/** Everything a stage needs, made once per run; nothing in it changes. */
interface RunContext {
  readonly options: RunOptions;
  readonly deps: RunDeps;
  readonly semester: string;
  readonly urls: ScheduleUrls;
  readonly startedAt: Date;
  /** Milliseconds since the run started. */
  readonly elapsed: () => number;
  readonly index$: Observable<Fetched<{ specs: Spec[]; warnings: string[] }>>;
  readonly academicYear$: Observable<AcademicYearInUse>;
  /** The teaching-weeks calendars, made once the academic page is in, not after the last page. */
  readonly weeks$: Observable<WeeksFiles>;
  readonly legend$: Observable<Legend>;
  /** The teaching calendar of one study line / semester / final-year table, derived once (shared per key). */
  readonly calendarFor: (key: CalendarKey) => Observable<{ calendar: TeachingCalendar; dataKey: string }>;
  /** At most 3 x concurrency pages between their request and their generation. */
  readonly ahead: FetchAhead;
  /** Teachers' and rooms' calendars, from every spec's rows. */
  readonly people: PeopleFiles;
  /** Makes those calendars while no page is in hand. */
  readonly peopleAhead: IdleWork;
}

function runContext(options: RunOptions, deps: RunDeps): RunContext {
  const t0 = deps.clock();
  const elapsed = (): number => Math.round(deps.clock() - t0);
  const urls = scheduleUrls(options.scheduleRoot, options.semester);
  const base = { options, deps, elapsed };
  const academicYear$ = loadAcademicYear(base);
  const legend$ = loadLegend(base, urls.legend);
  const ahead = fetchAhead(3 * options.concurrency);
  const startedAt = deps.now();
  const semester = formatSemester(options.semester);
  const people = peopleFiles({ semester, now: startedAt, writer: deps.writer, clock: deps.clock });
  return {
    ...base,
    semester,
    urls,
    startedAt,
    index$: loadIndex(base, urls.index),
    academicYear$,
    weeks$: academicYear$.pipe(
      observeOn(asyncScheduler), // after the pages that wait for the year have it
      map(({ year }) => {
        const warnings: string[] = [];
        return { files: weeksCalendars(year, options.semester, warnings), warnings };
      }),
      shareOnce(),
    ),
    legend$,
    calendarFor: sharedPerKey(
      (key) => academicYear$.pipe(map(({ year }) => ({ calendar: teachingCalendarFor(year, key), dataKey: calendarDataKey(year, key) }))),
      calendarKeyId,
    ),
    ahead,
    people,
    peopleAhead: idleWork(
      () => ahead.inHand === 0,
      () => {
        // The legend once it is in (shareOnce hands it over at once); until then nothing is made ahead.
        let legend: Rooms | undefined;
        legend$.subscribe((l) => (legend = l.rooms)).unsubscribe();
        return legend !== undefined && people.prepareOne(legend);
      },
    ),
  };
}

/**
 * The index goes out first (every page waits for it), then the academic page
 * and the legend, which every spec needs too; the page's own files are
 * written while they travel; the teaching-weeks calendars are made as soon
 * as the academic page is in.
 */
function startSharedPages(ctx: RunContext): Observable<Fetched<{ specs: Spec[]; warnings: string[] }>> {
  ctx.index$.subscribe({ error: () => undefined });
  ctx.academicYear$.subscribe({ error: () => undefined });
  ctx.weeks$.subscribe({ error: () => undefined }); // made now, written with the site's index: a run may end before this page is in
  ctx.legend$.subscribe(() => ctx.peopleAhead.wake()); // calendars are made ahead once the legend is in
  writePageAssets(ctx); // nothing fetched goes into them; once the index is in, its pages' requests go first
  return ctx.index$;
}

/** What the index decided: the specs to generate and keep, their paths, the order of the site. */
interface RunPlan {
  specs: Spec[];
  /** Specs --only left out, kept as the current site has them. */
  kept: Spec[];
  /** Every spec of the index, in its order: the order of the site. */
  order: Spec[];
  paths: ReadonlyMap<string, SpecPaths>;
  index: Fetched<{ specs: Spec[]; warnings: string[] }>;
  /** --only codes the index does not list. */
  missing: string[];
}

function planRun(ctx: RunContext, index: Fetched<{ specs: Spec[]; warnings: string[] }>): RunPlan {
  const { specs, kept, missing } = selectSpecs(index.value.specs, ctx.options.only);
  const siteSemester = readJson<IndexJson>(ctx.deps.writer, 'data/index.json')?.semester;
  if (ctx.options.only && siteSemester !== undefined && siteSemester !== ctx.semester) {
    // Keeping the other specs would mix two semesters in one site.
    throw new RunUsageError(
      `--only regenerates some specializations of the site's own semester, but the site is of ${siteSemester} and this run of ${ctx.semester}; run without --only to move the whole site to ${ctx.semester}`,
    );
  }
  ctx.deps.onProgress?.({ kind: 'start', total: new Set(specs.map((s) => s.code)).size });
  return { specs, kept, order: index.value.specs, paths: specPaths(index.value.specs), index, missing };
}

/** An --only code the index does not list, and the codes it does, to pick from. */
function notOnIndex(asked: string, specs: readonly Spec[]): string {
  return `--only ${asked}: no such code on the index page; it lists ${[...new Set(specs.map((s) => s.code))].join(', ')}`;
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
  if (selected.length === 0) throw new RunUsageError(notOnIndex(only.join(','), specs));
  return {
    specs: selected,
    kept: specs.filter((s) => !wanted.has(s.code.toUpperCase())),
    missing: only.filter((c) => !present.has(c.toUpperCase())),
  };
}

// ---------------------------------------------------------------------------
// The stages of one spec

/** A page's text, or why it could not be had. */
type FetchedPage = { spec: Spec; url: string; fetchMs: number; retries: string[] } & (
  | { html: string; response: PageResponse; error?: undefined }
  | { html?: undefined; response?: undefined; error: string }
);

/**
 * The only stage that holds a request slot: one page's bytes. It ends when
 * the body is in, so the next request goes out before any parsing.
 */
function fetchPage(ctx: RunContext, spec: Spec): Observable<FetchedPage> {
  const url = ctx.urls.page(spec.code);
  const started = ctx.deps.clock();
  const fetchMs = (): number => Math.round(ctx.deps.clock() - started);
  return fetchText(ctx, url, decodeSchedulePage).pipe(
    map(({ value, response, retries }): FetchedPage => ({ spec, url, html: value, response, retries, fetchMs: fetchMs() })),
    catchError((error: unknown) => of<FetchedPage>({ spec, url, error: messageOf(error), retries: retriesOf(error), fetchMs: fetchMs() })),
  );
}

/**
 * The page parsed, then joined with its teaching calendar and the legend.
 * It is parsed at once: it needs neither, and the academic page or the
 * legend may still be on their way (the first pages often come in before
 * them), so parsing is done while the run would only wait.
 */
function joinCalendar(ctx: RunContext, plan: RunPlan, page: FetchedPage): Observable<FetchedSpec | FailedSpec> {
  const { spec, url, fetchMs, retries } = page;
  const paths = plan.paths.get(spec.code)!;
  if (page.html === undefined) return of({ spec, url, message: page.error, fetchMs, retries, paths });
  const { html, response } = page;
  const parseStart = ctx.deps.clock();
  let parsed: TimetablePage;
  try {
    parsed = parseTimetable(html, spec.code);
  } catch (error) {
    return of({ spec, url, message: `${url}: ${messageOf(error)}`, fetchMs, retries, response, paths });
  }
  const parseMs = ctx.deps.clock() - parseStart;
  return forkJoin({ teaching: ctx.calendarFor(calendarKeyOf(spec, ctx.options.semester)), legend: ctx.legend$ }).pipe(
    map(
      ({ teaching: { calendar, dataKey }, legend }): FetchedSpec => ({
        spec,
        url,
        groups: parsed.groups,
        warnings: parsed.warnings,
        calendar,
        calendarKey: dataKey,
        rooms: legend.rooms,
        fetchMs,
        parseMs,
        bytes: html.length,
        inputsHash: inputsHash(ctx.semester, spec, html, calendar, legend.rooms),
        retries,
        response,
        paths,
      }),
    ),
    catchError((error: unknown) => {
      if (error instanceof FatalError) throw error;
      return of({ spec, url, message: messageOf(error), fetchMs, retries, response, paths });
    }),
  );
}

/**
 * One spec's calendars and JSON, written. Unchanged inputs: the current files
 * are carried over, nothing is rendered. A failed fetch: the current files
 * are kept, marked stale. A write that fails makes the spec failed.
 *
 * It starts on a later turn than the parse, and renders a calendar per
 * turn: a response that comes in meanwhile sends its slot's next request
 * within one calendar's time, not the whole spec's.
 */
function generateSpec(ctx: RunContext, fetched: FetchedSpec | FailedSpec): Observable<GeneratedSpec> {
  return defer(() => {
    const { writer } = ctx.deps;
    const previous = readJson<SpecJson>(writer, fetched.paths.data);
    // A kept spec's rows still count for teachers and rooms: read from its published JSON.
    if ('message' in fetched) return of(withRows(keepStale(fetched, previous, writer), previous, ctx.semester));
    // A page that lost every group table (a timetable taken down, a body cut
    // after its title) must not take the published calendars with it.
    if (fetched.groups.length === 0 && previous && previous.groups.length > 0) {
      const message = `${fetched.url}: the page lists no group table any more; the previous calendars are kept`;
      return of(withRows(keepStale({ ...fetched, message }, previous, writer), previous, ctx.semester));
    }
    const started = ctx.deps.clock();
    const carried = previous?.inputsHash === fetched.inputsHash ? carryOver(fetched, previous, writer) : null;
    if (carried) {
      carried.outcome.generateMs = ctx.deps.clock() - started;
      return of(withRows(carried, previous, ctx.semester));
    }
    // What another semester published is not this one's history: its events are not cancelled into this semester's files.
    const history = previous && previous.semester !== ctx.semester ? null : readJson<SpecHistory>(writer, fetched.paths.state);
    const before = ctx.deps.clock() - started;
    return stepped(renderSpec(fetched, ctx.semester, ctx.startedAt, history), ctx.deps.clock).pipe(
      map(({ value: { files, ...generated }, busyMs }) => {
        generated.outcome.renderMs = before + busyMs;
        const writing = ctx.deps.clock();
        try {
          writer.write(files);
        } catch (error) {
          return unwritten(generated, messageOf(error));
        }
        generated.outcome.generateMs = generated.outcome.renderMs + (ctx.deps.clock() - writing);
        return generated;
      }),
    );
  }).pipe(subscribeOn(asyncScheduler));
}

/** A spec whose files could not be written is a failed spec. */
function unwritten(generated: GeneratedSpec, message: string): GeneratedSpec {
  const { outcome, listing } = generated;
  return {
    ...generated,
    outcome: { ...outcome, status: 'failed', error: { code: outcome.code, url: outcome.url, message } },
    listing: { ...listing, status: 'failed', error: message, groups: [] },
    rows: undefined,
  };
}

/** A spec whose calendars come from the current site, with the rows its published JSON lists (this semester's only). */
function withRows(generated: GeneratedSpec, previous: SpecJson | null, semester: string): GeneratedSpec {
  if (!previous || previous.semester !== semester || generated.outcome.status === 'failed') return generated;
  return { ...generated, rows: rowsOfSpec(previous.code, previous.groups) };
}

/** Reports each generated spec; counts them (the only state: how many are done). */
function progressOf(ctx: RunContext, plan: RunPlan): (generated: GeneratedSpec) => void {
  const total = new Set(plan.specs.map((s) => s.code)).size;
  let done = 0;
  return ({ outcome }) => ctx.deps.onProgress?.({ kind: 'done', outcome, done: ++done, total });
}

/** Specs --only left out: carried over from the current site as they are. */
function keepNotSelected(ctx: RunContext, plan: RunPlan): Observable<GeneratedSpec> {
  const { writer } = ctx.deps;
  const listed = new Map((readJson<IndexJson>(writer, 'data/index.json')?.specializations ?? []).flatMap((s) => s.years.map((y) => [y.code, y.status] as const)));
  return from(plan.kept).pipe(
    distinct((spec) => spec.code),
    map((spec) => {
      const paths = plan.paths.get(spec.code)!;
      const previous = readJson<SpecJson>(writer, paths.data);
      const kept = keepUnselected(spec, ctx.urls.page(spec.code), paths, previous, listed.get(spec.code) ?? 'ok', writer, ctx.semester);
      return kept && withRows(kept, previous, ctx.semester);
    }),
    filter((kept): kept is GeneratedSpec => kept !== null),
  );
}

// ---------------------------------------------------------------------------
// Collecting, and the site-wide files

interface RunResult {
  /** Every spec of the index, in its order: the order of the site. */
  order: Spec[];
  /** The index page's failed attempts, in words. */
  indexRetries: string[];
  report: Report;
  listings: SpecListing[];
  /** Specs whose calendars changed for subscribers in this run. */
  changes: SpecChanges[];
}

function emptyResult(ctx: RunContext, plan: RunPlan): RunResult {
  const report = emptyReport(ctx.semester, ctx.startedAt);
  report.warnings.push(...plan.index.value.warnings);
  report.errors.push(...plan.missing.map((code) => ({ code, url: ctx.urls.index, message: notOnIndex(code, plan.order) })));
  report.http = tallyHttp(report.http, plan.index.response, plan.index.retries.length);
  return { order: plan.order, indexRetries: plan.index.retries, report, listings: [], changes: [] };
}

/** The reducer: one spec into the run's result. */
function addSpec(result: RunResult, { outcome, listing, changes }: GeneratedSpec): RunResult {
  return {
    order: result.order,
    indexRetries: result.indexRetries,
    report: addOutcome(result.report, outcome),
    listings: [...result.listings, listing],
    changes: changes && changes.length > 0 ? [...result.changes, { spec: listing, changes }] : result.changes,
  };
}

/** A spec's rows to the teachers' and rooms' views; their calendars are made again while no page is in hand (one fewer now, rows or not). */
function addPeopleRows(ctx: RunContext, { rows }: GeneratedSpec): void {
  if (rows) ctx.people.add(rows);
  ctx.peopleAhead.wake();
}

/** The page's own files (script, style, icons, service worker), as the build made them. */
function writePageAssets(ctx: RunContext): void {
  ctx.deps.writer.write(ctx.deps.assets ?? []);
}

/** The run's last files: index, weeks, calendar, changes, legend, page, report. Written after every spec. */
function writeSiteIndex(ctx: RunContext, result: RunResult): Observable<Report> {
  return forkJoin({ academic: ctx.academicYear$, legend: ctx.legend$, weeksFiles: ctx.weeks$ }).pipe(
    map(({ academic, legend, weeksFiles }) => {
      const { deps, options } = ctx;
      const { order } = result;
      const position = new Map<string, number>();
      order.forEach((s, i) => position.has(s.code) || position.set(s.code, i));
      const byOrder = <T extends { code: string }>(a: T, b: T): number => position.get(a.code)! - position.get(b.code)!;
      const ms = (x: number): number => Math.round(x * 10) / 10;
      const specs = [...result.report.specs]
        .sort(byOrder)
        .map((s) => ({ ...s, parseMs: ms(s.parseMs), renderMs: ms(s.renderMs), generateMs: ms(s.generateMs) }));
      const listings = [...result.listings].sort(byOrder);
      const { fallback } = academic;
      const report: Report = {
        ...result.report,
        specs,
        errors: fallback ? [{ code: 'academic-year', url: options.calendarUrl, message: fallback }, ...result.report.errors] : result.report.errors,
        warnings: [...result.report.warnings, ...(legend.warning ? [legend.warning] : [])],
        http: tallyHttp(tallyHttp(result.report.http, academic.response, academic.retries.length), legend.response, legend.retries.length),
        timings: {
          ...result.report.timings,
          parseMs: ms(result.report.timings.parseMs),
          renderMs: ms(result.report.timings.renderMs),
          generateMs: ms(result.report.timings.generateMs),
        },
        largestFile: largestFile(listings),
        academicYear: { source: fallback ? 'stored copy' : 'page', ...(fallback ? { problem: fallback } : {}) },
      };
      const statusOf = new Map(specs.map((s) => [s.code, s.status]));
      const indexed = order.filter((s, i) => statusOf.has(s.code) && position.get(s.code) === i).map((s) => ({ ...s, status: statusOf.get(s.code)! }));
      // The pages carry when the data last changed, not when this run ran:
      // a run that changes nothing leaves them byte for byte as they were.
      const dataUpdatedAt = listings.reduce((latest, l) => (l.updatedAt && l.updatedAt > latest ? l.updatedAt : latest), '');
      const weeks = weeksFiles.files;
      report.warnings.push(...weeksFiles.warnings);
      // Teachers, rooms, free rooms, clashes: what is left to make, now that every spec's rows are known.
      ctx.peopleAhead.stop();
      report.people = ctx.people.finish(legend.rooms);
      report.people.generateMs = ms(report.people.generateMs);
      // The shared pages' failed attempts, last, as a run's warnings.
      report.warnings.push(...result.indexRetries, ...academic.retries, ...legend.retries);
      deps.writer.write([
        ...weeks.map(({ path, content }) => ({ path, content })),
        { path: 'data/changes.json', content: toJson(changesJson(readJson<ChangesJson>(deps.writer, 'data/changes.json'), report.generatedAt, result.changes, byOrder)) },
        { path: 'data/index.json', content: toJson(indexJson(ctx.semester, dataUpdatedAt, indexed, options.feedBase ?? null)) },
        { path: 'data/calendar.json', content: toJson(calendarJson(academic.year, options.semester, fallback ? { since: fallbackSince(deps.writer, report.generatedAt), reason: fallback } : null)) },
        { path: 'data/rooms.json', content: toJson(legend.rooms) },
        { path: 'index.html', content: renderIndexHtml(ctx.semester, dataUpdatedAt, listings, weeks, ctx.deps.assetsVersion ?? null) },
      ]);
      report.writes = { ...deps.writer.stats };
      report.timings.totalMs = ctx.elapsed();
      report.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      // The run's own report is the one file every run rewrites.
      deps.writer.write([{ path: 'data/build.json', content: toJson(report) }]);
      return report;
    }),
  );
}

// ---------------------------------------------------------------------------
// The shared pages: fetched once per run, errors included

type ContextBase = Pick<RunContext, 'options' | 'deps' | 'elapsed'>;

/** Stage: the index page, or the end of the run. */
function loadIndex(ctx: ContextBase, url: string): Observable<Fetched<{ specs: Spec[]; warnings: string[] }>> {
  return fetchText(ctx, url, decodeSchedulePage).pipe(
    map((page) => {
      const index = parseIndex(page.value);
      if (index.specs.length === 0) {
        throw new FatalError(`${url}: the index page lists no specializations ("Anul N" links); is this the right semester?`);
      }
      return { ...page, value: index };
    }),
    catchError((error: unknown) => {
      if (error instanceof FatalError) throw error;
      // A server that answers 404 is reached: what is missing is that semester's timetable there.
      if (error instanceof FetchError && error.status === 404) {
        throw new FatalError(`${messageOf(error)} - no timetable of semester ${formatSemester(ctx.options.semester)} there; check --semester (and --schedule-root)`);
      }
      throw new FatalError(`${messageOf(error)} - ${networkHint('--schedule-root', ctx.options.scheduleRoot, DEFAULT_SCHEDULE_ROOT)}`);
    }),
    shareOnce(),
  );
}

/**
 * Stage: the room legend. Only decoration: failing to read it is a warning.
 * A legend that cannot be had, or lists no room, is not a change of rooms:
 * the copy the current site keeps of this semester's is used, so a server's
 * bad day does not send every subscriber every event without its location
 * (and back again the next day).
 */
function loadLegend(ctx: ContextBase, url: string): Observable<Legend> {
  /** The site's copy in place of a legend that cannot be used, or null when it keeps none. */
  const kept = (why: string): Pick<Legend, 'rooms' | 'warning'> | null => {
    const rooms = keptRooms(ctx);
    return rooms && { rooms, warning: `${LEGEND_KEPT}: ${why}` };
  };
  return fetchText(ctx, url, decodeSchedulePage).pipe(
    map(({ value, response, retries }): Legend => {
      const rooms = parseRooms(value);
      const used = (Object.keys(rooms).length === 0 && kept(`${url}: the page lists no room`)) || { rooms };
      return { ...used, response, retries };
    }),
    catchError((error: unknown) => {
      const used = kept(messageOf(error)) ?? { rooms: {}, warning: `${LEGEND_UNUSED}: ${messageOf(error)}` };
      return of<Legend>({ ...used, retries: retriesOf(error) });
    }),
    shareOnce(),
  );
}

/** The legend the current site published (data/rooms.json), if the site is of this run's semester and it lists rooms. */
function keptRooms(ctx: ContextBase): Rooms | null {
  const { writer } = ctx.deps;
  if (readJson<IndexJson>(writer, 'data/index.json')?.semester !== formatSemester(ctx.options.semester)) return null;
  const rooms = readJson<unknown>(writer, 'data/rooms.json');
  if (typeof rooms !== 'object' || rooms === null || Array.isArray(rooms)) return null;
  const entries = Object.entries(rooms);
  return entries.length > 0 && entries.every(([, where]) => typeof where === 'string') ? (rooms as Rooms) : null;
}

/**
 * Stage: the academic-year page. When it cannot be had or read, the copy
 * of the same academic year that the current site keeps (data/calendar.json)
 * stands in, loudly: timetable changes keep reaching subscribers while
 * someone looks at the page. With no such copy, the run ends (exit 3).
 */
function loadAcademicYear(ctx: ContextBase): Observable<AcademicYearInUse> {
  const { options, deps } = ctx;
  const saved = options.calendarFile;
  const source = saved ? saved.path : options.calendarUrl;
  const page$: Observable<Fetched<string> | { value: string; response?: undefined; retries: string[] }> = saved
    ? of({ value: saved.text, retries: [] })
    : fetchText(ctx, options.calendarUrl, (body, contentType) => decodeDeclared(body, contentType));
  return page$.pipe(
    map(({ value, response, retries }): AcademicYearInUse => {
      const year = parseAcademicYear(value);
      const problem = academicYearProblem(year, options.semester);
      if (problem) throw new FatalError(`${source}: ${problem}`);
      return { year, fallback: null, response, retries };
    }),
    catchError((error: unknown) => {
      // A saved copy was asked for by name: it is used or the run stops.
      if (saved) throw error;
      const problem = error instanceof FatalError ? error.message : `${messageOf(error)} - ${networkHint('--calendar-url', options.calendarUrl, DEFAULT_CALENDAR_URL)}`;
      const stored = storedAcademicYear(deps.writer, options.semester);
      if (!stored) throw new FatalError(`${problem}; and the current site keeps no academic calendar of this academic year to use instead`);
      return of<AcademicYearInUse>({
        year: stored,
        fallback: `the academic-year page could not be used (${problem}); the teaching calendar kept in data/calendar.json from an earlier run was used instead`,
        retries: retriesOf(error),
      });
    }),
    shareOnce(),
  );
}

/** What to check when a page cannot be had: the network, and the flag naming where it is (a mirror, while the default is in use). */
function networkHint(flag: string, value: string, byDefault: string): string {
  return value === byDefault ? `check the network or use ${flag} for a mirror` : `check the network and ${flag}`;
}

/** Since when the kept copy stands in: the first run of an unbroken row of fallbacks. */
function fallbackSince(writer: SiteWriter, now: string): string {
  return readJson<CalendarJson>(writer, 'data/calendar.json')?.fallback?.since ?? now;
}

/** The academic year the current site's data/calendar.json keeps, if it is the one of `semester`. */
function storedAcademicYear(writer: SiteWriter, semester: Semester): AcademicYear | null {
  const stored = readJson<CalendarJson>(writer, 'data/calendar.json')?.academicYear;
  if (!stored || !Array.isArray(stored.sections) || stored.sections.length === 0) return null;
  return stored.startYear !== null && academicYearProblem(stored, semester) === null ? stored : null;
}

// ---------------------------------------------------------------------------
// Helpers

/** A GET as a cold Observable of the decoded text and what it cost; unsubscribing aborts the request. */
function fetchText(
  ctx: ContextBase,
  url: string,
  decode: (body: Uint8Array, contentType: string | undefined) => string,
): Observable<Fetched<string>> {
  return new Observable<FetchResult>((subscriber) => {
    const abort = new AbortController();
    ctx.deps.http.get(url, { signal: abort.signal }).then(
      (res) => {
        subscriber.next(res);
        subscriber.complete();
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => abort.abort();
  }).pipe(
    map((res): Fetched<string> => {
      const retries = (res.retries ?? []).map(describeRetry);
      const fail = (message: string): never => {
        const error = new FetchError(url, `${url}: ${message}`);
        error.retries = res.retries ?? [];
        throw error;
      };
      if (res.body.length === 0) fail('empty response');
      let value = '';
      try {
        value = decode(res.body, res.contentType);
      } catch (error) {
        fail(messageOf(error));
      }
      return { value, retries, response: { status: res.status, fromCache: res.fromCache === true, atMs: ctx.elapsed() } };
    }),
  );
}

/** The failed attempts a fetch error carries, in words. */
function retriesOf(error: unknown): string[] {
  return error instanceof FetchError ? error.retries.map(describeRetry) : [];
}

function describeRetry(r: RetryEvent): string {
  return `attempt ${r.attempt} failed: ${r.reason}; retried after ${(r.delayMs / 1000).toFixed(1)} s`;
}

/** Work done a step at a time while `idle()` holds, each step on its own turn of the event loop (I/O goes between). */
interface IdleWork {
  /** Starts stepping, if not already (there may be new work). */
  wake(): void;
  /** No more steps. */
  stop(): void;
}

/**
 * `step` does one small piece of work and says whether there is more.
 * Stepping pauses when `idle()` turns false (the next wake() resumes it),
 * and ends at the first error: what a step left undone is done later by
 * whoever needs it, who then meets the error themselves.
 */
function idleWork(idle: () => boolean, step: () => boolean): IdleWork {
  let scheduled: NodeJS.Immediate | null = null;
  let stopped = false;
  const run = (): void => {
    scheduled = null;
    if (stopped || !idle()) return;
    let more = false;
    try {
      more = step();
    } catch {
      stopped = true;
    }
    if (more) scheduled = setImmediate(run);
  };
  return {
    wake: () => {
      if (!stopped && scheduled === null) scheduled = setImmediate(run);
    },
    stop: () => {
      stopped = true;
      if (scheduled !== null) clearImmediate(scheduled);
      scheduled = null;
    },
  };
}

/** An Observable per key, made on first use and shared by every later caller. */
function sharedPerKey<K, T>(make: (key: K) => Observable<T>, idOf: (key: K) => string): (key: K) => Observable<T> {
  /** By key id: the one shared Observable of that key. */
  const made = new Map<string, Observable<T>>();
  return (key) => {
    const id = idOf(key);
    let shared = made.get(id);
    if (!shared) {
      shared = make(key).pipe(shareOnce());
      made.set(id, shared);
    }
    return shared;
  };
}

/**
 * The shape of a spec's files. Bump it when what the same inputs give
 * changes (a new field, other bytes), so every spec is generated anew once.
 */
const OUTPUT_FORMAT = 2;

/** Everything a spec's files are made from; the same hash means the same files. */
function inputsHash(semester: string, spec: Spec, html: string, calendar: TeachingCalendar, rooms: Rooms): string {
  return createHash('sha256')
    .update(JSON.stringify([VERSION, OUTPUT_FORMAT, semester, spec, calendar, rooms]))
    .update(html)
    .digest('hex');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

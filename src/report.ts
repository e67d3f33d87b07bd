import type { Spec } from './model.js';
import type { SpecStatus } from './site-data.js';
import type { PeopleSummary } from './output/people-files.js';
// The run report: what each spec came to, and the run's totals. Written to
// data/build.json, printed as the summary, and turned into the exit code.
export interface SpecError {
  code: string;
  url: string;
  message: string;
}

/** This run's answer for one page: what its fetch adds to the HTTP tally. */
export interface PageResponse {
  /** 200-299, or 304 when the cached copy was still good. */
  status: number;
  /** The body came from the local cache after a 304. */
  fromCache: boolean;
  /** When the body was in, in ms since the run started. */
  atMs: number;
}

export type { SpecStatus } from './site-data.js';

export interface SpecOutcome extends Pick<Spec, 'code' | 'name' | 'year'> {
  url: string;
  status: SpecStatus;
  /** Inputs (page, calendar, legend, generator) as last time: files carried over, not regenerated. */
  unchanged: boolean;
  /** Left out by --only: kept from the current site as it was, not fetched; not in the run's totals. */
  notSelected?: boolean;
  groups: number;
  files: number;
  events: number;
  warnings: string[];
  /** Attempts that failed and were retried, in words. */
  retries: string[];
  /** The page's answer in this run; none when it failed or was not fetched. */
  response?: PageResponse;
  error?: SpecError;
  fetchMs: number;
  /** Parsing the page: part of the fetch stage. */
  parseMs: number;
  /** Size of the page, in characters. */
  bytes: number;
  /** Rendering this spec's calendars and JSON (CPU). */
  renderMs: number;
  /** Rendering plus waiting for the writer to take the files. */
  generateMs: number;
}

export interface HttpTally {
  /** Answers with a body (200). */
  responses: number;
  /** 304 Not Modified answers. */
  notModified: number;
  /** Bodies taken from the local cache (after a 304). */
  cacheHits: number;
  /** Attempts retried. */
  retries: number;
}

export interface FileTally {
  /** Files written with new bytes. */
  written: number;
  /** Regenerated, same bytes as before: left as they were. */
  unchanged: number;
  /** Carried over from the previous site (unchanged inputs, or a failed spec). */
  carried: number;
}

export interface Report {
  semester: string;
  /** When this run started. */
  generatedAt: string;
  specs: SpecOutcome[];
  /** Problems outside any one spec (room legend unreadable, unknown --only code, retries of shared pages). */
  warnings: string[];
  errors: SpecError[];
  totals: {
    specsOk: number;
    specsStale: number;
    specsFailed: number;
    /** Specs --only left out, kept as they were. */
    specsKept: number;
    files: number;
    events: number;
    warnings: number;
  };
  http: HttpTally;
  writes: FileTally;
  /** The biggest calendar file, to watch calendar apps' size limits. */
  largestFile: { path: string; bytes: number; events: number } | null;
  timings: {
    /** From the start until the last page arrived. */
    fetchMs: number;
    /** Time spent parsing pages, all specs together. */
    parseMs: number;
    /** Time spent rendering calendars and JSON, all specs together. */
    renderMs: number;
    /** Time spent generating (rendering + waiting for the disk), all specs together. */
    generateMs: number;
    totalMs: number;
  };
  /** Peak resident memory of the process during the run, in MB. */
  peakRssMb: number;
  /** Teacher and room calendars, free rooms and clashes (data/teachers.json, room-index.json, occupancy.json, clashes.json). */
  people?: PeopleSummary;
  /** Where the run's academic calendar came from; a stored copy means the page could not be used (why, in `problem`). */
  academicYear?: { source: 'page' | 'stored copy'; problem?: string };
}

export function emptyReport(semester: string, generatedAt: Date): Report {
  return {
    semester,
    generatedAt: generatedAt.toISOString(),
    specs: [],
    warnings: [],
    errors: [],
    totals: { specsOk: 0, specsStale: 0, specsFailed: 0, specsKept: 0, files: 0, events: 0, warnings: 0 },
    http: { responses: 0, notModified: 0, cacheHits: 0, retries: 0 },
    writes: { written: 0, unchanged: 0, carried: 0 },
    largestFile: null,
    timings: { fetchMs: 0, parseMs: 0, renderMs: 0, generateMs: 0, totalMs: 0 },
    peakRssMb: 0,
  };
}

/** A page's answer and its failed attempts, added to the HTTP tally. */
export function tallyHttp(http: HttpTally, response: Pick<PageResponse, 'status' | 'fromCache'> | undefined, retries: number): HttpTally {
  return {
    responses: http.responses + (response && response.status !== 304 ? 1 : 0),
    notModified: http.notModified + (response?.status === 304 ? 1 : 0),
    cacheHits: http.cacheHits + (response?.fromCache ? 1 : 0),
    retries: http.retries + retries,
  };
}

/** The reducer of the pipeline: one spec's outcome into the report, its fetch into the HTTP tally and the fetch time. */
export function addOutcome(report: Report, outcome: SpecOutcome): Report {
  const t = report.totals;
  if (outcome.notSelected) return { ...report, specs: [...report.specs, outcome], totals: { ...t, specsKept: t.specsKept + 1 } };
  return {
    ...report,
    http: tallyHttp(report.http, outcome.response, outcome.retries.length),
    specs: [...report.specs, outcome],
    errors: outcome.error ? [...report.errors, outcome.error] : report.errors,
    totals: {
      specsOk: t.specsOk + (outcome.status === 'ok' ? 1 : 0),
      specsStale: t.specsStale + (outcome.status === 'stale' ? 1 : 0),
      specsFailed: t.specsFailed + (outcome.status === 'failed' ? 1 : 0),
      specsKept: t.specsKept,
      files: t.files + outcome.files,
      events: t.events + outcome.events,
      warnings: t.warnings + outcome.warnings.length,
    },
    timings: {
      ...report.timings,
      fetchMs: Math.max(report.timings.fetchMs, outcome.response?.atMs ?? 0),
      parseMs: report.timings.parseMs + outcome.parseMs,
      renderMs: report.timings.renderMs + outcome.renderMs,
      generateMs: report.timings.generateMs + outcome.generateMs,
    },
  };
}

/** How a run's report says the room legend could not be used: the summary prints that warning in full. */
export const LEGEND_UNUSED = 'room legend not used (locations left out)';
/** How it says the legend could not be used and the current site's copy was, which the summary prints in full too. */
export const LEGEND_KEPT = "room legend not usable, the site's copy of it used";

export const EXIT = { ok: 0, someFailed: 1, usage: 2, fatal: 3 } as const;

/** Nothing could be done: the index or academic page is unusable (exit code 3). */
export class FatalError extends Error {}

/** Bad usage found once the run has read the index or the current site (--only naming no code, or a site of another semester): exit code 2. */
export class RunUsageError extends Error {}

export function exitCodeOf(report: Report): number {
  return report.errors.length > 0 ? EXIT.someFailed : EXIT.ok;
}

// The run report: what each spec came to, and the run's totals. Written to
// data/build.json, printed as the summary, and turned into the exit code.
export interface SpecError {
  code: string;
  url: string;
  message: string;
}

export interface SpecOutcome {
  code: string;
  name: string;
  year: number;
  url: string;
  status: 'ok' | 'failed';
  groups: number;
  files: number;
  events: number;
  warnings: string[];
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

export interface Report {
  semester: string;
  generatedAt: string;
  specs: SpecOutcome[];
  /** Problems outside any one spec (room legend unreadable, unknown --only code). */
  warnings: string[];
  errors: SpecError[];
  totals: { specsOk: number; specsFailed: number; files: number; events: number; warnings: number };
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
}

export function emptyReport(semester: string, generatedAt: Date): Report {
  return {
    semester,
    generatedAt: generatedAt.toISOString(),
    specs: [],
    warnings: [],
    errors: [],
    totals: { specsOk: 0, specsFailed: 0, files: 0, events: 0, warnings: 0 },
    timings: { fetchMs: 0, parseMs: 0, renderMs: 0, generateMs: 0, totalMs: 0 },
    peakRssMb: 0,
  };
}

/** The reducer of the pipeline: one spec's outcome into the report. */
export function addOutcome(report: Report, outcome: SpecOutcome): Report {
  const t = report.totals;
  return {
    ...report,
    specs: [...report.specs, outcome],
    errors: outcome.error ? [...report.errors, outcome.error] : report.errors,
    totals: {
      specsOk: t.specsOk + (outcome.status === 'ok' ? 1 : 0),
      specsFailed: t.specsFailed + (outcome.status === 'failed' ? 1 : 0),
      files: t.files + outcome.files,
      events: t.events + outcome.events,
      warnings: t.warnings + outcome.warnings.length,
    },
    timings: {
      ...report.timings,
      parseMs: report.timings.parseMs + outcome.parseMs,
      renderMs: report.timings.renderMs + outcome.renderMs,
      generateMs: report.timings.generateMs + outcome.generateMs,
    },
  };
}

export const EXIT = { ok: 0, someFailed: 1, usage: 2, fatal: 3 } as const;

export function exitCodeOf(report: Report): number {
  return report.errors.length > 0 ? EXIT.someFailed : EXIT.ok;
}

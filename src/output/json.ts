// The JSON the site (and anyone else) reads: one file per spec, an index,
// the room legend. Plain builders: the writer decides where they go.
import type { DatedEntry } from '../calendar/events.js';
import type { Spec, StudyLine } from '../model.js';
import type { SpecStatus } from '../report.js';

export interface GroupJson {
  name: string;
  hasSubgroups: boolean;
  calendars: { subgroup: string | null; label: string; path: string; events: number; bytes?: number }[];
  /** Each row with its dates and the stem of its events' UIDs (the page filters calendars by it). */
  entries: (DatedEntry['entry'] & { dates: string[]; uidStem: string })[];
}

export interface SpecJson extends Spec {
  studyLine: StudyLine;
  /** The data/calendar.json entry ("line/table") its dates come from. */
  calendarKey: string;
  finalYear: boolean;
  semester: string;
  /** When these files were last generated from changed inputs. */
  updatedAt: string;
  /** When its calendars were first published. */
  firstPublishedAt: string;
  /** When their events last changed for subscribers; absent while nothing changed since the first publication. */
  changedAt?: string;
  /** The Atom feed of the changes, site-relative; absent while there is none. */
  feed?: string;
  /** Fingerprint of the page, calendar, legend and generator version they came from. */
  inputsHash: string;
  groups: GroupJson[];
}

export function groupJson(
  name: string,
  hasSubgroups: boolean,
  calendars: GroupJson['calendars'],
  dated: readonly DatedEntry[],
): GroupJson {
  return { name, hasSubgroups, calendars, entries: dated.map(({ entry, dates, uidStem }) => ({ ...entry, dates, uidStem })) };
}

export interface IndexJson {
  semester: string;
  generatedAt: string;
  specializations: { name: string; master: boolean; years: { year: number; code: string; status: SpecStatus }[] }[];
}

/** Specs grouped by name, in the order the index page lists them. */
export function indexJson(
  semester: string,
  generatedAt: string,
  specs: readonly (Spec & { status: SpecStatus })[],
): IndexJson {
  const byName = new Map<string, IndexJson['specializations'][number]>();
  for (const spec of specs) {
    let entry = byName.get(spec.name);
    if (!entry) {
      entry = { name: spec.name, master: spec.master, years: [] };
      byName.set(spec.name, entry);
    }
    entry.years.push({ year: spec.year, code: spec.code, status: spec.status });
  }
  return { semester, generatedAt, specializations: [...byName.values()] };
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

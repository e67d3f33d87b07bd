// The JSON the site (and anyone else) reads: one file per spec, an index,
// the room legend. Plain builders: the writer decides where they go; the
// files' types are the page's too (site-data.d.ts).
import type { DatedEntry } from '../calendar/events.js';
import type { Spec } from '../model.js';
import type { GroupJson, IndexJson, SpecStatus } from '../site-data.js';

export type { GroupJson, IndexJson, SpecJson } from '../site-data.js';



export function groupJson(
  name: string,
  hasSubgroups: boolean,
  calendars: GroupJson['calendars'],
  dated: readonly DatedEntry[],
): GroupJson {
  return { name, hasSubgroups, calendars, entries: dated.map(({ entry, dates, uidStem }) => ({ ...entry, dates, uidStem })) };
}


/** Specs grouped by name, in the order the index page lists them. */
export function indexJson(
  semester: string,
  generatedAt: string,
  specs: readonly (Spec & { status: SpecStatus })[],
  feedBase: string | null = null,
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
  return { semester, generatedAt, ...(feedBase === null ? {} : { feedBase }), specializations: [...byName.values()] };
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

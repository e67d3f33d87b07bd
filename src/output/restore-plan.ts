// Which files of a deployed site a run needs when its own copy is gone
// (`orar-cal restore`): exactly what the pipeline reads from the previous
// site, decided from the site's published JSON. Pure: JSON in, paths out;
// the command does the fetching. Paths coming from JSON are checked here and
// confined again when written (resolveInside).
import path from 'node:path';
import type { IndexJson } from './json.js';
import { PEOPLE_STATE_FILES, peopleStatePath, specPaths, type SpecPaths } from './paths.js';
import type { SpecStatus } from '../report.js';

/**
 * Site-wide files, fetched first: the index the plan is made from, the
 * change log the feeds continue, the academic calendar a run falls back on
 * when the university's page fails, and the report (orar-cal's marker: a
 * run accepts a non-empty --out only when it holds one).
 */
export const SITE_FILES = ['data/index.json', 'data/changes.json', 'data/calendar.json', 'data/build.json'] as const;

/**
 * The room legend the site published: a run uses it when the legend page
 * fails or lists no room (pipeline.ts, keptRooms). Optional: without it
 * such a run leaves the locations out.
 */
export const LEGEND_FILE = 'data/rooms.json';

/**
 * The teachers' and rooms' publication state: their calendars go on from it
 * (SEQUENCE, CANCELLED, the same addresses). Optional: a site deployed by an
 * earlier version has none, and its next run publishes them afresh.
 */
export const PEOPLE_FILES = Object.entries(PEOPLE_STATE_FILES) as ['teachers' | 'rooms', string][];

/** The calendar state shards of the slugs a view's state file lists, checked like every path from deployed JSON. */
export function peopleStateFiles(view: 'teachers' | 'rooms', json: unknown): string[] {
  const slugs = (json as { slugs?: unknown } | null)?.slugs;
  if (typeof slugs !== 'object' || slugs === null) throw new RestorePlanError(`${PEOPLE_STATE_FILES[view]} has no "slugs"`);
  const shards = Object.values(slugs).map((slug: unknown) => {
    if (typeof slug !== 'string' || !/^[a-z0-9_][a-z0-9-]*$/.test(slug)) throw new RestorePlanError(`${PEOPLE_STATE_FILES[view]} lists an unsafe slug ${JSON.stringify(slug)}; refusing to restore from this site`);
    return peopleStatePath(view, slug[0]!);
  });
  return [...new Set(shards)];
}

/** A spec of the deployed index and where its files are (as the run names them). */
export interface SpecToRestore {
  code: string;
  status: SpecStatus;
  paths: SpecPaths;
}

/** The deployed JSON is not what orar-cal writes (corrupt, tampered with, or not our site). */
export class RestorePlanError extends Error {}

/**
 * Every spec of data/index.json with the paths the next run will read for
 * it: the same specPaths() the pipeline applies to the index page, so a
 * hostile code (`../../x`) becomes a plain file name here as it does there.
 */
export function specsToRestore(index: unknown): SpecToRestore[] {
  const specs = (index as Partial<IndexJson> | null)?.specializations;
  if (!Array.isArray(specs)) throw new RestorePlanError('data/index.json has no "specializations" list');
  const listed = specs.flatMap((s, i) => {
    const years = (s as { years?: unknown } | null)?.years;
    const name = (s as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || !Array.isArray(years)) throw new RestorePlanError(`data/index.json: specializations[${i}] has no name or years`);
    return years.map((y: unknown): { code: string; name: string; year: number; status: SpecToRestore['status'] } => {
      const { code, year, status } = (y ?? {}) as { code?: unknown; year?: unknown; status?: unknown };
      if (typeof code !== 'string' || code === '' || typeof year !== 'number' || !(status === 'ok' || status === 'stale' || status === 'failed')) {
        throw new RestorePlanError(`data/index.json: a year of "${name}" has no code, year or status`);
      }
      return { code, name, year, status };
    });
  });
  const pathsOf = specPaths(listed);
  // A code listed twice is one spec, as in the run (the first listing wins).
  return [...pathsOf.entries()].map(([code, paths]) => ({ code, status: listed.find((s) => s.code === code)!.status, paths }));
}

/**
 * The files a spec's previous build left that the run reads or keeps:
 * its data file and publication state (required: without the state every
 * calendar starts over at SEQUENCE 0), and its calendars and feed, if any (kept
 * when this run's page fails; optional, the run regenerates them). A spec
 * that failed last time left none.
 */
export function specFiles(spec: SpecToRestore, json: unknown): { required: string[]; optional: string[] } {
  if (spec.status === 'failed') return { required: [], optional: [] };
  const groups = (json as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(groups)) throw new RestorePlanError(`${spec.paths.data} has no "groups" list`);
  const calendars = groups.flatMap((g: unknown) => {
    const list = (g as { calendars?: unknown } | null)?.calendars;
    if (!Array.isArray(list)) throw new RestorePlanError(`${spec.paths.data}: a group has no "calendars" list`);
    return list.map((c: unknown) => siteRelative((c as { path?: unknown } | null)?.path, spec.paths.data));
  });
  // A spec has a feed once it has changed (its JSON then names it).
  const feed = typeof (json as { feed?: unknown }).feed === 'string' ? [spec.paths.feed] : [];
  return { required: [spec.paths.state], optional: [...new Set([...calendars, ...feed])] };
}

/**
 * A path from the deployed JSON, if it is a plain site-relative path (no
 * `..`, no absolute path, no backslash or control character); refused otherwise.
 */
export function siteRelative(value: unknown, source: string): string {
  const ok =
    typeof value === 'string' &&
    value !== '' &&
    !/[\u0000-\u001f\u007f\\]/.test(value) &&
    !path.posix.isAbsolute(value) &&
    value.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (!ok) throw new RestorePlanError(`${source} lists an unsafe path ${JSON.stringify(value)}; refusing to restore from this site`);
  return value as string;
}

// A custom feed from the published site: the selection's sources looked up
// in the site's own data (index.json -> the spec's JSON -> the group's
// calendar paths), their calendars read through a SiteReader and merged.
// Nothing from the selection is ever used as a path: codes and groups are
// names to find in the index and the spec JSON, and the paths come from there.
import { specPaths } from '../output/paths.js';
import type { GroupJson, IndexJson, SpecJson } from '../site-data.js';
import { customCalendarText, feedDescription, feedName, selectEvents, type SourceEvents } from './merge.js';
import { readPublishedIcs, type PublishedBlock } from './published-ics.js';
import { sourceLabel, type Selection, type Source } from './selection.js';
import { ParsedFiles } from './site-reader.js';
import { encodeToken } from './token.js';

export const INDEX_PATH = 'data/index.json';

/** The site has no readable data/index.json (not a generated site, or not yet), or one of its JSON files is damaged. */
export class SiteDataError extends Error {}

/**
 * The version noted for a file that was looked for and not found (or not
 * usable): a feed made without it is remade once it appears.
 */
const ABSENT_VERSION = '-';

/** A parser for one of the site's JSON files: damaged JSON is the site's fault, named with its path. */
function jsonOf<T>(path: string): (text: string) => T {
  return (text) => {
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new SiteDataError(`the site's ${path} is not valid JSON (${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ')}): regenerate the site`);
    }
  };
}

/** Where a source's calendars are, as the site's data says. */
export interface ResolvedSource {
  source: Source;
  spec: SpecJson;
  group: GroupJson;
  /** The calendar it names. */
  main: string;
  /** Subgroup N's calendar, where a lab choice needs N and `main` is the other subgroup's. */
  subgroups: Partial<Record<'1' | '2', string>>;
}

/** A source not found: why, and what the site has at that level instead (codes, groups or subgroups). */
export type SourceLookup = { ok: true; resolved: ResolvedSource } | { ok: false; source: Source; reason: string; exists: string[] };

/** data/index.json, parsed (cached by version). */
export async function readIndex(files: ParsedFiles, inputs: Map<string, string>): Promise<IndexJson> {
  const found = await files.get(INDEX_PATH, 'json', jsonOf<IndexJson>(INDEX_PATH));
  if (!found || !Array.isArray(found.value?.specializations)) throw new SiteDataError(`the site has no readable ${INDEX_PATH}: not a generated site`);
  inputs.set(INDEX_PATH, found.version);
  return found.value;
}

/** The codes the index lists, with the data file each spec's JSON is in. */
function listedSpecs(index: IndexJson): { code: string; data: string }[] {
  const listed = index.specializations.flatMap((s) => s.years.map((y) => ({ code: y.code, name: s.name, year: y.year })));
  const paths = specPaths(listed);
  return [...paths].map(([code, p]) => ({ code, data: p.data }));
}

/** The codes the index lists. */
function listedCodes(index: IndexJson): string[] {
  return listedSpecs(index).map((s) => s.code);
}

/** A spec's JSON, by its code as the index lists it (any case), or null when the index or its file has none. */
export async function readSpec(files: ParsedFiles, index: IndexJson, code: string, inputs: Map<string, string>): Promise<SpecJson | null> {
  const listed = listedSpecs(index).find((s) => s.code.toUpperCase() === code.toUpperCase());
  if (!listed) return null;
  const found = await files.get(listed.data, 'json', jsonOf<SpecJson>(listed.data));
  inputs.set(listed.data, found?.version ?? ABSENT_VERSION);
  if (!found || found.value.code !== listed.code || !Array.isArray(found.value.groups)) return null;
  return found.value;
}

/** Each source found in the site's data, or why it is not there (no such code, group or subgroup: not published any more). */
export async function lookUpSources(files: ParsedFiles, index: IndexJson, selection: Selection, inputs: Map<string, string>): Promise<SourceLookup[]> {
  return Promise.all(
    selection.sources.map(async (source): Promise<SourceLookup> => {
      const missing = (reason: string, exists: string[]): SourceLookup => ({ ok: false, source, reason, exists });
      const spec = await readSpec(files, index, source.code, inputs);
      if (!spec) return missing(`no specialization ${source.code}`, listedCodes(index));
      const code = spec.code;
      const group = spec.groups.find((g) => g.name === source.group);
      if (!group) {
        // IE2:921:3 reads as group "921:3" (a group name may hold a colon); when 921 exists, the subgroup is what is wrong.
        const colon = source.group.lastIndexOf(':');
        const before = colon > 0 ? spec.groups.find((g) => g.name === source.group.slice(0, colon)) : undefined;
        if (before) return missing(`${code} ${before.name} has no subgroup ${source.group.slice(colon + 1)}`, before.calendars.map((c) => c.subgroup ?? 'all'));
        return missing(`${code} has no group ${source.group}`, spec.groups.map((g) => g.name));
      }
      const calendarOf = (sub: string): string | undefined => group.calendars.find((c) => (c.subgroup ?? 'all') === sub)?.path;
      const main = calendarOf(source.subgroup);
      if (main === undefined) return missing(`${code} ${group.name} has no subgroup ${source.subgroup}`, group.calendars.map((c) => c.subgroup ?? 'all'));
      const subgroups: ResolvedSource['subgroups'] = {};
      if (group.hasSubgroups && source.subgroup !== 'all') {
        for (const n of new Set(Object.values(selection.labSubgroups))) {
          const path = n === source.subgroup ? undefined : calendarOf(n);
          if (path !== undefined) subgroups[n] = path;
        }
      }
      return { ok: true, resolved: { source, spec, group, main, subgroups } };
    }),
  );
}

export interface CustomFeed {
  text: string;
  /** The text as UTF-8. */
  bytes: Uint8Array<ArrayBuffer>;
  /** A weak ETag: changes when the token or any file it was made from changes. */
  etag: string;
  /** Sources no longer published, as "IE2 921/1 (IE2 has no group 921)". */
  missing: string[];
  /** The site files it was made from, with their versions. */
  inputs: [string, string][];
}

/** Every source is gone: a 404, never an empty calendar. */
export class NothingLeftError extends Error {
  constructor(readonly missing: string[]) {
    super(`nothing left to put in the calendar: ${missing.join('; ')}`);
  }
}

/**
 * The custom calendar of a selection, from the site `files` reads.
 * Throws SiteDataError (no site), NothingLeftError (no source left).
 */
export async function customFeed(files: ParsedFiles, selection: Selection): Promise<CustomFeed> {
  const inputs = new Map<string, string>();
  const index = await readIndex(files, inputs);
  const lookups = await lookUpSources(files, index, selection, inputs);
  const missing: string[] = [];
  const sources: SourceEvents[] = [];
  const named: Source[] = [];
  const ics = async (path: string): Promise<readonly PublishedBlock[] | null> => {
    // A file that is not a calendar (an empty body, a host's HTML error page) is no source: never an empty one.
    const found = await files.get(path, 'ics', (text) => (text.startsWith('BEGIN:VCALENDAR') ? readPublishedIcs(text) : null));
    inputs.set(path, found?.version ?? ABSENT_VERSION);
    return found?.value ?? null;
  };
  for (const lookup of lookups) {
    if (!lookup.ok) {
      missing.push(`${sourceLabel(lookup.source)} (${lookup.reason})`);
      continue;
    }
    const { source, group, main, subgroups } = lookup.resolved;
    const mainBlocks = await ics(main);
    if (!mainBlocks) {
      missing.push(`${sourceLabel(source)} (its calendar is not published)`);
      continue;
    }
    const extra: SourceEvents['subgroups'] = {};
    for (const [n, path] of Object.entries(subgroups) as ['1' | '2', string][]) {
      const blocks = await ics(path);
      if (blocks) extra[n] = blocks;
    }
    sources.push({ group: group.name, main: mainBlocks, subgroups: extra });
    named.push({ ...source, code: lookup.resolved.spec.code });
  }
  if (sources.length === 0) throw new NothingLeftError(missing);
  const events = selectEvents(selection, sources);
  // Classes there, and the filters leave none: an empty calendar would only wipe a subscriber's events.
  if (events.length === 0 && sources.some((s) => s.main.length > 0)) throw new NothingLeftError(['the filters leave no class of these groups']);
  const text = customCalendarText(feedName(named, index.semester), feedDescription(named, selection, missing), events);
  const versions = [...inputs].sort(([a], [b]) => (a < b ? -1 : 1));
  return { text, bytes: new TextEncoder().encode(text), etag: feedEtag(encodeToken(selection), versions), missing, inputs: versions };
}

/** Bumped when the same inputs would give other bytes. */
const ENGINE_VERSION = '1';

/** A weak ETag over the token and every input's version (FNV-1a, two lanes: no crypto needed on any platform). */
function feedEtag(token: string, versions: readonly (readonly [string, string])[]): string {
  const text = [ENGINE_VERSION, token, ...versions.map(([p, v]) => `${p}\u0000${v}`)].join('\u0001');
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 16777619);
    b = Math.imul(b ^ c, 2246822507) ^ (b >>> 13);
  }
  return `W/"c${(a >>> 0).toString(36)}${(b >>> 0).toString(36)}"`;
}

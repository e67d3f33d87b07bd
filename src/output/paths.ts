// Output paths built from names that come from the network. Every segment is
// made a plain file name, so nothing can climb out of the output folder, and
// names that would land on the same file (also on a case-insensitive file
// system) are told apart. JSON keeps the original labels next to the paths.
import path from 'node:path';

const MAX_SEGMENT = 100;
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** One path segment: no separators, control or reserved characters, dot-names, device names. */
export function safeSegment(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s-]+|[.\s]+$/g, '');
  const short = [...cleaned].slice(0, MAX_SEGMENT).join('').replace(/[.\s]+$/, '');
  if (!short) return '_';
  return WINDOWS_DEVICES.test(short) ? `_${short}` : short;
}

export interface SpecPaths {
  /** `{spec name}/Year {N}`: the folder students already know. */
  folder: string;
  /** `data/{CODE}.json` */
  data: string;
  /** `data/state/{CODE}.json`: what the calendars published, for the next run. */
  state: string;
  /** `feeds/{CODE}.atom` */
  feed: string;
}

/**
 * Folders and data files for every spec of the index, decided up front so
 * they never depend on the order pages arrive in. Two specs that would share
 * a folder (or a data file, ignoring case) get their code appended.
 */
export function specPaths(specs: readonly { code: string; name: string; year: number }[]): Map<string, SpecPaths> {
  // The first listing of a code wins, as in the pipeline's distinct().
  const distinct = [...new Set(specs.map((s) => s.code))].map((code) => specs.find((s) => s.code === code)!);
  const folderOf = (s: { name: string; year: number }): string => `${safeSegment(s.name)}/Year ${s.year}`;
  const folderUsers = countBy(distinct, (s) => folderOf(s).toLowerCase());
  const dataUsers = countBy(distinct, (s) => safeSegment(s.code).toLowerCase());
  const result = new Map<string, SpecPaths>();
  for (const spec of distinct) {
    const folder = folderUsers.get(folderOf(spec).toLowerCase())! > 1 ? `${safeSegment(`${spec.name} (${spec.code})`)}/Year ${spec.year}` : folderOf(spec);
    const code = safeSegment(spec.code);
    const file = dataUsers.get(code.toLowerCase())! > 1 ? `${code}~${hashOf(spec.code)}` : code;
    result.set(spec.code, { folder, data: `data/${file}.json`, state: `data/state/${file}.json`, feed: `feeds/${file}.atom` });
  }
  return result;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** A short, stable tag from a name (tells apart names that differ only in case). */
function hashOf(text: string): string {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (h >>> 0).toString(36);
}

/**
 * Where the teachers' and the rooms' calendars keep their publication state:
 * a folder of its own, so no spec's `data/state/{CODE}.json` can be named so.
 */
export const PEOPLE_STATE_FILES = { teachers: 'data/state/people/teachers.json', rooms: 'data/state/people/rooms.json' } as const;

/**
 * The list of every file a run put into the site: the next run keeps, as
 * they are, the files it does not list (the user's own, a CNAME...). In a
 * folder of its own, as the people's state.
 */
export const SITE_FILE_LIST = 'data/state/site/files.json';

/** Where the teachers' or rooms' calendars whose slugs start with `first` keep their publication state. */
export function peopleStatePath(view: 'teachers' | 'rooms', first: string): string {
  return `data/state/people/${view}/${first}.json`;
}

/** Hands out file names in one folder, never twice (ignoring case). */
export function fileNamer(): (baseName: string, ext: string) => string {
  const taken = new Set<string>();
  return (baseName, ext) => {
    const base = safeSegment(baseName);
    let name = `${base}${ext}`;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}~${n}${ext}`;
    taken.add(name.toLowerCase());
    return name;
  };
}

/**
 * Resolves a site-relative path inside `root`, refusing anything that would
 * land outside it (the last line of defence behind safeSegment).
 */
export function resolveInside(root: string, relative: string): string {
  const base = path.resolve(root);
  const full = path.resolve(base, relative);
  if (full !== base && !full.startsWith(base + path.sep)) {
    throw new Error(`refusing to write outside the output folder: ${JSON.stringify(relative)}`);
  }
  return full;
}

/** A site-relative path as a URL path (each segment percent-encoded). */
export function hrefOf(relative: string): string {
  return relative.split('/').map(encodeURIComponent).join('/');
}

// A custom calendar's selection: which published group calendars it takes
// (1-8 sources) and what it leaves out. Plain data and its one canonical
// form, so the same selection always gives the same token.
import type { EventType } from '../site-data.js';
import { subjectKey } from './subjects.js';

/** Which of a group's calendars a source takes: one subgroup, or all of it. */
export type SourceSubgroup = '1' | '2' | 'all';

export interface Source {
  /** A spec code as the index lists it (matched ignoring case). */
  code: string;
  /** A group by its name ("921", "143/1"), never by its place in a list. */
  group: string;
  subgroup: SourceSubgroup;
}

export interface Selection {
  sources: Source[];
  /** Types left out, everywhere. */
  skipTypes: EventType[];
  /** Subjects left out (all their types), as subject keys (subjects.ts). */
  skipSubjects: string[];
  /** Subject key -> the subgroup whose rows of that subject are kept. */
  labSubgroups: Record<string, '1' | '2'>;
}

export const MAX_SOURCES = 8;

/** In the order a canonical selection lists them. */
const TYPE_ORDER: readonly EventType[] = ['Curs', 'Seminar', 'Laborator'];

/** Thrown for a selection that is not one: the message says what is wrong. */
export class SelectionError extends Error {}

/** Control characters never occur in a published name, and would break the token's separators. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The canonical form: codes in upper case, sources sorted and without
 * repeats (nor a subgroup of a group taken whole), types in a fixed order,
 * subjects as sorted keys (no lab choice for a skipped subject). Two
 * selections that mean the same thing have the same canonical form (and
 * token).
 */
export function canonicalSelection(selection: Selection): Selection {
  const sources = new Map<string, Source>();
  for (const source of selection.sources) {
    const code = source.code.trim().toUpperCase();
    const group = source.group.trim();
    if (!code || !group || CONTROL.test(code + group)) throw new SelectionError(`a source needs a code and a group name: "${source.code}:${source.group}"`);
    if (!['1', '2', 'all'].includes(source.subgroup)) throw new SelectionError(`subgroup "${source.subgroup}": expected 1, 2 or all`);
    sources.set(`${code}\u0000${group}\u0000${source.subgroup}`, { code, group, subgroup: source.subgroup });
  }
  // A subgroup of a group also taken whole adds nothing: the whole group's calendar holds its events.
  for (const [key, source] of sources) {
    if (source.subgroup !== 'all' && sources.has(`${source.code}\u0000${source.group}\u0000all`)) sources.delete(key);
  }
  if (sources.size < 1 || sources.size > MAX_SOURCES) throw new SelectionError(`a custom calendar takes 1 to ${MAX_SOURCES} sources, not ${sources.size}`);
  const skipSubjects = [...new Set(selection.skipSubjects.map(subjectKey))].filter(Boolean).sort();
  for (const subject of [...skipSubjects, ...Object.keys(selection.labSubgroups)]) {
    if (CONTROL.test(subject)) throw new SelectionError(`subject ${JSON.stringify(subject)}: holds a control character`);
  }
  const labSubgroups: Record<string, '1' | '2'> = {};
  for (const [subject, subgroup] of Object.entries(selection.labSubgroups).map(([s, n]) => [subjectKey(s), n] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // A skipped subject has no rows left to take from another subgroup.
    if (!subject || skipSubjects.includes(subject)) continue;
    if (subgroup !== '1' && subgroup !== '2') throw new SelectionError(`lab subgroup "${String(subgroup)}" for "${subject}": expected 1 or 2`);
    labSubgroups[subject] = subgroup;
  }
  const skipTypes = TYPE_ORDER.filter((t) => selection.skipTypes.includes(t));
  // A calendar that can hold no class is a mistake, not a feed to answer with nothing.
  if (skipTypes.length === TYPE_ORDER.length) throw new SelectionError('skipping every type (course, seminar and lab) leaves no class');
  return {
    sources: [...sources.values()].sort(compareSources),
    skipTypes,
    skipSubjects,
    labSubgroups,
  };
}

function compareSources(a: Source, b: Source): number {
  for (const key of ['code', 'group', 'subgroup'] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  return 0;
}

/**
 * `IE2:921:1`, `MIE3:931:all`, `MaDS1:2611/1` (no subgroup part: all) -> a
 * source. The group is what lies between the first and the last colon, so a
 * group name may hold one.
 */
export function parseSource(text: string): Source {
  const parts = text.trim().split(':');
  if (parts.length < 2 || !parts[0] || !parts[1]) throw new SelectionError(`"${text}": expected CODE:GROUP or CODE:GROUP:SUB (SUB 1, 2 or all), e.g. IE2:921:1`);
  const last = parts[parts.length - 1]!.toLowerCase();
  const hasSub = parts.length > 2 && ['1', '2', 'all'].includes(last);
  const group = (hasSub ? parts.slice(1, -1) : parts.slice(1)).join(':');
  return { code: parts[0], group, subgroup: hasSub ? (last as SourceSubgroup) : 'all' };
}

/** The text `--add` takes for a source (parseSource's inverse): `IE2:921:1`, `MIE3:931`. */
export function sourceFlag(source: Source): string {
  // A group whose last part would read as a subgroup ("x:1") keeps its ":all", so that it reads back the same.
  const readsAsSubgroup = ['1', '2', 'all'].includes(source.group.split(':').pop()!.toLowerCase()) && source.group.includes(':');
  return source.subgroup === 'all' && !readsAsSubgroup ? `${source.code}:${source.group}` : `${source.code}:${source.group}:${source.subgroup}`;
}

/** `IE2 921/1`, `MIE3 931` (all of it): how a source is named to people. */
export function sourceLabel(source: Source): string {
  return source.subgroup === 'all' ? `${source.code} ${source.group}` : `${source.code} ${source.group}/${source.subgroup}`;
}


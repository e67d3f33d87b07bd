// Who teaches a row, and file names for teachers and rooms. Pure.
import { safeSegment } from '../output/paths.js';

/** The title words a professor cell opens with, as the faculty writes them. */
export const TITLES = ['Prof.', 'Conf.', 'Lect.', 'Asist.', 'C.d.asociat', 'Drd.'] as const;

/** A title word at the start of a cell, spaces inside it forgiven ("C.d. asociat"). */
const TITLE_AT_START = /^(Prof\.|Conf\.|Lect\.|Asist\.|C\.\s*d\.\s*asociat|Drd\.)\s*/i;

export interface Teacher {
  /** The cell without its title, spaces collapsed, ş/ţ written ș/ț: one teacher, however the rows spell those. */
  name: string;
  /** As written (`Conf.`), or null when the cell has none. */
  title: string | null;
}

/**
 * The teacher a professor cell names: the cell minus its title word. Null
 * for no teacher: an empty cell or `- Necunoscut` ("unknown").
 */
export function teacherOf(cell: string): Readonly<Teacher> | null {
  // Asked of every row several times; a faculty writes a few hundred cells.
  let known = teacherOfCell.get(cell);
  if (known === undefined) {
    known = readTeacher(cell);
    teacherOfCell.set(cell, known);
  }
  return known;
}

/** Cell -> its teacher (frozen: callers share the object). */
const teacherOfCell = new Map<string, Readonly<Teacher> | null>();

function readTeacher(cell: string): Readonly<Teacher> | null {
  const text = cell.normalize('NFC').replace(/\s+/g, ' ').trim().replace(/ş/g, 'ș').replace(/Ş/g, 'Ș').replace(/ţ/g, 'ț').replace(/Ţ/g, 'Ț');
  if (text === '' || /^[-–—]\s*necunoscut$/i.test(text) || /^necunoscut$/i.test(text)) return null;
  const title = TITLE_AT_START.exec(text);
  const name = title ? text.slice(title[0].length).trim() : text;
  if (name === '') return null;
  const known = title ? TITLES.find((t) => t.toLowerCase() === title[1]!.replace(/\s+/g, '').toLowerCase()) ?? title[1]! : null;
  return Object.freeze({ name, title: known });
}

/** Lower-case ASCII, words joined by `-`: `Pârvuceanu Daniel` -> `parvuceanu-daniel`, `2/I` -> `2-i`. */
function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

/** A short, stable tag of an exact name (tells apart names that slug the same). */
function tagOf(text: string): string {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
  return (h >>> 0).toString(36).padStart(7, '0').slice(0, 7);
}

/**
 * A file name (without extension) for each name: ASCII, lower case, never
 * two names on one file. A name keeps the slug it had before (`previous`,
 * from the last run) while no other name holds it, so a subscribed address
 * stays; a new name takes its plain slug when free, else the slug with a
 * tag of the exact name. Windows device names and empty slugs are made safe.
 */
export function assignSlugs(names: readonly string[], previous: Readonly<Record<string, string>>): Map<string, string> {
  const slugs = new Map<string, string>();
  const taken = new Set<string>();
  const give = (name: string, slug: string): void => {
    slugs.set(name, slug);
    taken.add(slug);
  };
  const sorted = [...new Set(names)].sort(byCodePoint);
  for (const name of sorted) {
    const before = Object.hasOwn(previous, name) ? previous[name] : undefined;
    if (typeof before === 'string' && /^[a-z0-9_][a-z0-9-]*$/.test(before) && !taken.has(before)) give(name, before);
  }
  for (const name of sorted) {
    if (slugs.has(name)) continue;
    const plain = safeSegment(asciiSlug(name) || 'x');
    let slug = taken.has(plain) ? `${plain}-${tagOf(name)}` : plain;
    for (let n = 2; taken.has(slug); n++) slug = `${plain}-${tagOf(name)}-${n}`;
    give(name, slug);
  }
  return slugs;
}

/** Order of names for the JSON lists: by their ASCII, lower-case form, then exactly. */
export function byName(a: string, b: string): number {
  const fa = asciiSlug(a);
  const fb = asciiSlug(b);
  return fa < fb ? -1 : fa > fb ? 1 : byCodePoint(a, b);
}

/** `items` in `byName` order of their names, each name folded once (a sort by `byName` folds both names of every comparison). */
export function sortedByName<T>(items: Iterable<T>, nameOf: (item: T) => string): T[] {
  return [...items]
    .map((item) => ({ item, name: nameOf(item), key: asciiSlug(nameOf(item)) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : byCodePoint(a.name, b.name)))
    .map(({ item }) => item);
}

/** Exact order of two strings, by UTF-16 code unit. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The university's academic-year page, read by what it says rather than by
// its markup, because the page is rewritten every year. A study-line section
// opens at any heading-like element (h1-h6, or a paragraph all in bold)
// naming teaching languages ("Linia de studiu Română", "Liniile de studiu
// Maghiară și Germană", "Limbile de predare română și engleză"). A semester
// table is found by its label ("SEMESTRUL I", "Semestrul al II-lea – anii
// terminali", ...) wherever it sits: in a paragraph or heading before the
// table, or in a header row or caption inside it (one table may hold several
// labelled parts). Rows are "date - date | activity | notes".
import { load } from 'cheerio/slim';
import type { Activity, StudyLine } from '../model.js';
import { cleanText, dmyToIso, fold, tagOf, textOf, type DomNode } from './text.js';

/** Which table of a line's section: semester I, II, or II for final years. */
export type SemesterTable = 'I' | 'II' | 'II-final';

export interface LineSection {
  heading: string;
  lines: StudyLine[];
  tables: Partial<Record<SemesterTable, Activity[]>>;
}

/** What the page held that did not become part of a section: to explain a page that was not understood. */
export interface PageLeftovers {
  /** Heading-like texts that name neither a teaching language nor a semester. */
  headings: string[];
  /** Headings naming a language under which no semester table was found. */
  emptySections: string[];
  /** Tables of dates that could not be placed: no semester label, or no section above them. */
  unplacedTables: string[];
}

export interface AcademicYear {
  /** 2025 for "Structura anului universitar 2025-2026"; null when not stated. */
  startYear: number | null;
  /** Only sections with at least one semester table. */
  sections: LineSection[];
  /** Set by the parser; absent on a year rebuilt from elsewhere. */
  leftovers?: PageLeftovers;
}

const DASH = '[-‐‑‒–—―−]';
const WEEKDAY = 'luni|mar[tțţ]i|miercuri|joi|vineri|s[aâ]mb[aă]t[aă]|duminic[aă]';
const DMY = '(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})';
const DATE = new RegExp(DMY, 'g');
/** "29.09.2025 - 21.12.2025", any dash or "până la", a weekday name before either date or not. */
const RANGE = new RegExp(
  `${DMY}\\s*(?:${DASH}|p[aâ]n[aă]\\s+la)\\s*(?:(?:${WEEKDAY})\\s*,?\\s*)?${DMY}`,
  'i',
);
const BLOCK_TAGS = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'ul', 'ol', 'li']);

type Doc = ReturnType<typeof load>;
type Node = ReturnType<Doc>;

interface OpenSection {
  section: LineSection;
  /** 1-6 for h1-h6, 7 for a bold paragraph: a plain heading of this rank or higher ends the section. */
  rank: number;
}

export function parseAcademicYear(html: string): AcademicYear {
  const $ = load(html);
  const shape = pageShape($);
  const found: LineSection[] = [];
  const leftovers: PageLeftovers = { headings: [], emptySections: [], unplacedTables: [] };
  let open: OpenSection | null = null;
  /** A label read above the next table, waiting for it. */
  let pending: SemesterTable | null = null;

  // Document order carries the meaning; nesting is whatever the page's
  // template does this year. Tables holding other tables are layout, not data.
  $('*').each((_, el) => {
    const node = $(el);
    const tag = tagOf(el);
    if (shape.insideDataTable(el)) return;
    if (tag === 'table') {
      if (shape.holdsTable(el)) return;
      for (const part of tableParts($, node, pending)) {
        if (part.label && open) open.section.tables[part.label] ??= part.rows;
        else leftovers.unplacedTables.push(describeTable(part.rows, part.label, open?.section.heading ?? null));
      }
      pending = null;
      return;
    }
    const rank = headingRank(node, tag, shape.holdsBlock(el));
    const isText = rank !== null || ((tag === 'p' || tag === 'div') && !shape.holdsBlock(el));
    if (!isText) return;
    const text = cleanText(textOf(el));
    if (!text) return;
    const label = semesterLabel(text);
    if (label) {
      pending = label;
      return;
    }
    if (rank === null) return;
    const lines = linesOf(text);
    if (lines.length > 0) {
      open = { section: { heading: text, lines, tables: {} }, rank };
      found.push(open.section);
      pending = null;
      return;
    }
    if (text.length <= 120) leftovers.headings.push(text);
    // A menu or footer heading of the same rank ends the section; a bold
    // note inside it does not.
    if (open && rank <= 6 && rank <= open.rank) {
      open = null;
      pending = null;
    }
  });

  const sections = found.filter((s) => Object.keys(s.tables).length > 0);
  leftovers.emptySections = found.filter((s) => !sections.includes(s)).map((s) => s.heading);
  return { startYear: startYearOf($), sections, leftovers };
}

/** The academic year the page states: its first h1 with "YYYY-YYYY+1", else the <title>, else any heading. */
function startYearOf($: Doc): number | null {
  const texts = [...$('h1').toArray(), ...$('title').toArray(), ...$('h2, h3, h4').toArray()].map((el) => cleanText(textOf(el)));
  for (const text of texts) {
    for (const m of text.matchAll(/(\d{4})\s*[-–—/]\s*(\d{4})/g)) {
      if (Number(m[2]) === Number(m[1]) + 1) return Number(m[1]);
    }
  }
  return null;
}

/**
 * What the walk asks of every element, worked out for all of them in one
 * pass: asked with selectors (`find`, `parents`) of each one, they made the
 * parse quadratic in the page's size (~50 ms for the real page, warm). The
 * first pass goes from the last element to the first, so an element's
 * children are known before it: no recursion, however deep the page nests.
 */
function pageShape($: Doc): { holdsTable(el: DomNode): boolean; holdsBlock(el: DomNode): boolean; insideDataTable(el: DomNode): boolean } {
  /** Elements with a table, or a block element, somewhere inside. */
  const withTable = new Set<object>();
  const withBlock = new Set<object>();
  const elements = $('*').toArray();
  for (let i = elements.length - 1; i >= 0; i--) {
    const el = elements[i]!;
    if (!('children' in el)) continue;
    for (const child of el.children) {
      const tag = tagOf(child);
      if (tag === 'table' || withTable.has(child)) withTable.add(el);
      if (BLOCK_TAGS.has(tag) || withBlock.has(child)) withBlock.add(el);
    }
  }
  // Then from the first to the last, parents before children. Tables
  // holding other tables are layout; a table holding none is data.
  const inDataTable = new Set<object>();
  for (const el of elements) {
    const up = el.parent;
    if (up && (inDataTable.has(up) || (tagOf(up) === 'table' && !withTable.has(up)))) inDataTable.add(el);
  }
  return {
    holdsTable: (el) => withTable.has(el),
    holdsBlock: (el) => withBlock.has(el),
    insideDataTable: (el) => inDataTable.has(el),
  };
}

/** 1-6 for h1-h6, 7 for a paragraph or block whose whole text is bold, null otherwise. */
function headingRank(node: Node, tag: string, holdsBlocks: boolean): number | null {
  const h = /^h([1-6])$/.exec(tag);
  if (h) return Number(h[1]);
  if (tag !== 'p' && tag !== 'div') return null;
  if (holdsBlocks || node.find('strong, b').length === 0) return null;
  return cleanText(textOf(node.toArray(), BOLD)) === '' ? 7 : null;
}

const BOLD = new Set(['strong', 'b']);

/** The teaching languages a heading names; none for a heading about something else. */
export function linesOf(heading: string): StudyLine[] {
  const h = fold(heading);
  const lines: StudyLine[] = [];
  if (/\broman/.test(h)) lines.push('romanian');
  if (/\b(maghiar|hungarian)/.test(h)) lines.push('hungarian');
  if (/\bgerman/.test(h)) lines.push('german');
  if (/\b(englez|english)/.test(h)) lines.push('english');
  return lines;
}

/**
 * "SEMESTRUL I", "Semestrul II", "Semestrul al II-lea", "SEMESTRUL II -
 * Anii terminali", "anii terminali" (any case, any dash) -> its table; null
 * for any other text.
 */
export function semesterLabel(text: string): SemesterTable | null {
  const t = fold(text).replace(new RegExp(DASH, 'g'), '-').replace(/\s+/g, ' ').trim();
  const finalYears = /^[\s\-:,(]*(?:pentru\s+)?anii?\s+terminali\b[\s.:)]*$/;
  if (finalYears.test(t)) return 'II-final';
  const m = /^semestrul\s+(?:(i|1|intai)|(?:al\s+)?(ii|2|doilea)(?:\s*-\s*lea)?)\b(.*)$/.exec(t);
  if (!m) return null;
  const rest = m[3]!;
  if (m[1]) return /^[\s\-:.]*$/.test(rest) ? 'I' : null;
  if (/^[\s\-:.]*$/.test(rest)) return 'II';
  return finalYears.test(rest) ? 'II-final' : null;
}

interface TablePart {
  label: SemesterTable | null;
  rows: Activity[];
}

/**
 * A table's rows of dates, split at its label rows (a caption or a row with
 * no date range whose text is a semester label). Rows before any label take
 * the label read above the table. Parts without rows are dropped.
 */
function tableParts($: Doc, table: Node, above: SemesterTable | null): TablePart[] {
  const caption = semesterLabel(cleanText(textOf(table.children('caption').toArray())));
  const parts: TablePart[] = [{ label: caption ?? above, rows: [] }];
  table.find('tr').each((_, tr) => {
    const cells = $(tr)
      .children('td, th')
      .map((_, cell) => cleanText(textOf(cell)))
      .get();
    const activity = activityOf(cells);
    if (activity) {
      parts.at(-1)!.rows.push(activity);
      return;
    }
    const label = semesterLabel(cells.join(' ')) ?? cells.map(semesterLabel).find((l) => l !== null) ?? null;
    if (label) parts.push({ label, rows: [] });
  });
  return parts.filter((p) => p.rows.length > 0);
}

/** One row: the first cell with a date range, the activity in the next cell, notes after it. */
function activityOf(cells: string[]): Activity | null {
  const at = cells.findIndex((c) => RANGE.test(c));
  if (at < 0) return null;
  const range = RANGE.exec(cells[at]!)!;
  const start = dmyToIso(range[1]!, range[2]!, range[3]!);
  const end = dmyToIso(range[4]!, range[5]!, range[6]!);
  if (!start || !end || end < start) return null;
  const activity = cells[at + 1] ?? '';
  const notes = cells.slice(at + 2).join(' ');
  const teaching = /\bactivitat\w*\s+didactic/.test(fold(activity));
  const holidayNames = teaching ? namedDates(notes) : {};
  const holidays = Object.keys(holidayNames);
  return { start, end, activity, notes, teaching, holidays, holidayNames };
}

function describeTable(rows: Activity[], label: SemesterTable | null, section: string | null): string {
  const first = rows[0]!;
  const what = label ? `a "${label}" table outside any study-line section` : 'a table with no semester label';
  return `${what}${section && !label ? ` under "${section}"` : ''}, starting ${first.start} ${first.activity}`.trim();
}

const WEEKDAY_WORDS = new RegExp(`\\s+(?:și|şi|si)\\s+(${WEEKDAY})\\s*,?\\s*$`, 'i');
/** "Boboteaza și" before the next date when the page names no weekday: the "and" belongs to neither. */
const TRAILING_AND = /\s+(?:și|şi|si)\s*,?\s*$/i;

/**
 * Dates in a row's notes with the name that follows each: "(luni,
 * 01.12.2025, Ziua Marii Uniri - zi liberă)" gives 2025-12-01 -> "Ziua Marii Uniri".
 */
function namedDates(notes: string): Record<string, string> {
  const found = [...notes.matchAll(DATE)];
  const names: Record<string, string> = {};
  found.forEach((m, i) => {
    const iso = dmyToIso(m[1]!, m[2]!, m[3]!);
    if (!iso) return;
    const after = notes.slice(m.index! + m[0].length, found[i + 1]?.index ?? notes.length);
    const name = after
      .replace(new RegExp(`^(?:[\\s,:]|${DASH})+`), '')
      .replace(new RegExp(`\\s*(?:${DASH}|,)\\s*zil?e?\\s+liber\\S*\\)?.*$`, 'i'), '')
      .replace(WEEKDAY_WORDS, '')
      .replace(TRAILING_AND, '')
      .replace(/[\s,;)]+$/, '')
      .replace(/\s+/g, ' ');
    names[iso] = name || 'zi liberă';
  });
  return names;
}

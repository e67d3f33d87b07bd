// The university's academic-year page: an <h2> per study line ("Linia de
// studiu Română", "Liniile de studiu Maghiară și Germană"), then paragraphs
// "SEMESTRUL I", "SEMESTRUL II", "SEMESTRUL II - Anii terminali", each
// followed by a table of date ranges and activities.
import { load } from 'cheerio/slim';
import type { Activity, StudyLine } from '../model.js';
import { cleanText, dmyToIso, fold } from './text.js';

/** Which table of a line's section: semester I, II, or II for final years. */
export type SemesterTable = 'I' | 'II' | 'II-final';

export interface LineSection {
  heading: string;
  lines: StudyLine[];
  tables: Partial<Record<SemesterTable, Activity[]>>;
}

export interface AcademicYear {
  /** 2025 for "Structura anului universitar 2025-2026"; null when not stated. */
  startYear: number | null;
  sections: LineSection[];
}

export class AcademicPageError extends Error {}

const DATE = /(\d{1,2})\.(\d{1,2})\.(\d{4})/g;
const RANGE = /(\d{1,2})\.(\d{1,2})\.(\d{4})\s*[-–]\s*(\d{1,2})\.(\d{1,2})\.(\d{4})/;

export function parseAcademicYear(html: string): AcademicYear {
  const $ = load(html);
  const sections: LineSection[] = [];
  let section: LineSection | null = null;
  let pending: SemesterTable | null = null;

  // Walk headings, paragraphs and top-level tables in document order: the
  // page keeps them as siblings today, but order is what carries the meaning.
  $('h2, p, table').each((_, el) => {
    const node = $(el);
    if (node.parents('table').length > 0) return;
    const text = cleanText(node.text());
    if (el.tagName === 'h2') {
      const lines = linesOf(text);
      section = lines.length > 0 ? { heading: text, lines, tables: {} } : null;
      if (section) sections.push(section);
      pending = null;
    } else if (el.tagName === 'p') {
      const label = semesterLabel(text);
      if (label) pending = label;
    } else if (section && pending) {
      section.tables[pending] ??= parseActivities($, node);
      pending = null;
    }
  });

  const title = cleanText($('h1').text());
  const years = /(\d{4})\s*[-–/]\s*(\d{4})/.exec(title);
  return { startYear: years ? Number(years[1]) : null, sections };
}

function linesOf(heading: string): StudyLine[] {
  const h = fold(heading);
  if (!/\blini(a|ile) de studiu\b/.test(h)) return [];
  const lines: StudyLine[] = [];
  if (h.includes('roman')) lines.push('romanian');
  if (h.includes('maghiar')) lines.push('hungarian');
  if (h.includes('german')) lines.push('german');
  return lines;
}

function semesterLabel(text: string): SemesterTable | null {
  const m = /^semestrul\s+(ii|i)\b\s*(?:[-–]\s*(anii terminali))?\s*$/.exec(fold(text));
  if (!m) return null;
  if (m[1] === 'i') return 'I';
  return m[2] ? 'II-final' : 'II';
}

function parseActivities($: ReturnType<typeof load>, table: ReturnType<ReturnType<typeof load>>): Activity[] {
  const activities: Activity[] = [];
  table.find('tr').each((_, tr) => {
    const cells = $(tr)
      .children('td')
      .map((_, td) => cleanText($(td).text()))
      .get();
    const range = RANGE.exec(cells[0] ?? '');
    if (!range) return;
    const start = dmyToIso(range[1]!, range[2]!, range[3]!);
    const end = dmyToIso(range[4]!, range[5]!, range[6]!);
    if (!start || !end || end < start) return;
    const activity = cells[1] ?? '';
    const notes = cells.slice(2).join(' ');
    const teaching = fold(activity).includes('activitate didactica');
    const holidayNames = teaching ? namedDates(notes) : {};
    const holidays = Object.keys(holidayNames);
    activities.push({ start, end, activity, notes, teaching, holidays, holidayNames });
  });
  return activities;
}

const WEEKDAY_WORDS = /\s+și\s+(luni|marți|marti|miercuri|joi|vineri|sâmbătă|sambata|duminică|duminica)\s*,?\s*$/i;

/**
 * Dates in a row's notes with the name that follows each: "(luni,
 * 01.12.2025, Ziua Marii Uniri - zi liberă)" gives 2025-12-01 -> "Ziua Marii Uniri".
 */
export function namedDates(notes: string): Record<string, string> {
  const found = [...notes.matchAll(DATE)];
  const names: Record<string, string> = {};
  found.forEach((m, i) => {
    const iso = dmyToIso(m[1]!, m[2]!, m[3]!);
    if (!iso) return;
    const after = notes.slice(m.index! + m[0].length, found[i + 1]?.index ?? notes.length);
    const name = after
      .replace(/^[\s,]+/, '')
      .replace(/\s*-\s*zil?e?\s+liber\S*\)?.*$/i, '')
      .replace(WEEKDAY_WORDS, '')
      .replace(/[\s,;)]+$/, '')
      .replace(/\s+/g, ' ');
    names[iso] = name || 'zi liberă';
  });
  return names;
}

// One specialization-year page: an <h1>Grupa X</h1> per group, each followed
// by its table of 8-cell rows.
import { load } from 'cheerio/slim';
import { EVENT_TYPES, WEEKDAYS, type Entry, type EventType, type Frequency, type GroupTable, type Weekday } from '../model.js';
import { cleanText, fold, textOf, type DomNode } from './text.js';

export interface TimetablePage {
  groups: GroupTable[];
  /** Rows that could not be read, each with the page and the row's text. */
  warnings: string[];
}

export class NotATimetableError extends Error {}

const DAY_BY_FOLDED = new Map<string, Weekday>(WEEKDAYS.map((d) => [fold(d), d]));
const TYPE_BY_FOLDED = new Map<string, EventType>(EVENT_TYPES.map((t) => [fold(t), t]));

/**
 * Parses a timetable page. `source` (the URL or code) only labels warnings.
 * Throws NotATimetableError when the page has no group at all (an error page
 * or a truncated body must not pass for an empty timetable), unless it is the
 * faculty's title-only page of a timetable not published yet.
 */
export function parseTimetable(html: string, source: string): TimetablePage {
  // A body cut short mid-table would parse into a plausible, shorter timetable.
  const opened = html.match(/<table\b/gi)?.length ?? 0;
  const closed = html.match(/<\/table\s*>/gi)?.length ?? 0;
  if (opened !== closed) throw new NotATimetableError(`the page is cut short: ${opened - closed} table(s) not closed (truncated download?)`);
  const $ = load(html);
  const groups: GroupTable[] = [];
  const warnings: string[] = [];

  $('h1').each((_, h1) => {
    const heading = cleanText($(h1).text());
    const group = /^grupa\s+(.+)$/i.exec(heading)?.[1];
    if (!group) return;
    // The table between this heading and the next one; never a later group's.
    const table = $(h1).nextUntil('h1').filter('table').first();
    if (table.length === 0) {
      warnings.push(`${source}: group ${group} has no table`);
      return;
    }
    const entries: Entry[] = [];
    const seen = new Set<string>();
    for (const tr of table.find('tr').toArray()) {
      const cells = cellTexts(tr.children);
      if (cells.length === 0) continue; // the header row has only <th>
      const entry = parseRow(cells);
      if (typeof entry === 'string') {
        warnings.push(`${source}: group ${group}: skipped row (${entry}): ${cells.join(' | ')}`);
        continue;
      }
      // The faculty's export sometimes lists a row twice; one class, one event.
      const key = cells.join('\u0000');
      if (seen.has(key)) {
        warnings.push(`${source}: group ${group}: duplicate row listed once: ${cells.join(' | ')}`);
        continue;
      }
      seen.add(key);
      entries.push(entry);
    }
    groups.push({ group, entries });
  });

  if (groups.length === 0) {
    // The faculty's own page for a programme whose timetable is not out yet:
    // its "Orar ..." title and nothing else. A spec with no groups, not a failure.
    const title = $('h1').first();
    if (opened === 0 && /^orar\b/i.test(cleanText(title.text())) && cleanText(title.nextAll().text()) === '') {
      warnings.push(`${source}: the page has no group table yet (timetable not published)`);
      return { groups, warnings };
    }
    throw new NotATimetableError('no "Grupa" heading with a table: not a timetable page');
  }
  return { groups, warnings };
}

/**
 * A row's <td> cells as text, as cheerio's text() gives it. Read from the
 * DOM directly: a cheerio object and a compiled selector per row and per
 * cell were most of a page's parse (~180 rows on a large page).
 */
function cellTexts(children: readonly DomNode[]): string[] {
  const cells: string[] = [];
  for (const child of children) if (child.type === 'tag' && child.name === 'td') cells.push(cleanText(textOf(child)));
  return cells;
}

/** One row's cells -> an Entry, or the reason it cannot be read. */
export function parseRow(cells: string[]): Entry | string {
  if (cells.length !== 8) return `expected 8 cells, found ${cells.length}`;
  const [dayText, hoursText, freqText, room, formation, typeText, subject, professor] = cells as [
    string, string, string, string, string, string, string, string,
  ];
  const day = DAY_BY_FOLDED.get(fold(dayText));
  if (!day) return `unknown day "${dayText}"`;
  const hours = /^(\d{1,2})(?:[.:]00)?\s*-\s*(\d{1,2})(?:[.:]00)?$/.exec(hoursText);
  const startHour = Number(hours?.[1]);
  const endHour = Number(hours?.[2]);
  if (!hours || !(startHour >= 0 && endHour <= 23 && startHour < endHour)) return `bad hours "${hoursText}"`;
  const frequency = parseFrequency(freqText);
  if (!frequency) return `unknown frequency "${freqText}"`;
  const type = TYPE_BY_FOLDED.get(fold(typeText));
  if (!type) return `unknown type "${typeText}"`;
  if (!subject) return 'no subject';
  return { day, startHour, endHour, frequency, room, formation, type, subject, professor };
}

function parseFrequency(text: string): Frequency | null {
  const t = fold(text).replace(/\s+/g, '');
  if (t === '') return 'every';
  if (t === 'sapt.1' || t === 'sapt1') return 'odd';
  if (t === 'sapt.2' || t === 'sapt2') return 'even';
  return null;
}

// The merge: the published events of every source, filtered, one copy per
// UID, in time order, under a head of the custom calendar's own. Pure.
import { VTIMEZONE, TIME_ZONE } from '../output/vtimezone.js';
import type { PublishedBlock } from './published-ics.js';
import { sourceLabel, type Selection, type Source } from './selection.js';
import { subjectKey } from './subjects.js';

/** How often subscribers should look again (as the group calendars: twice a day). */
const FEED_REFRESH = 'PT12H';
const PRODID = '-//orar-cal//orar-cal//RO';

/** One source's published events: its calendar, and the other subgroup's where a lab choice needs it. */
export interface SourceEvents {
  /** The group's name: its subgroups' rows have formation "{group}/1", "{group}/2". */
  group: string;
  /** The calendar the source names (a subgroup's, or the whole group's). */
  main: readonly PublishedBlock[];
  /** Subgroup N's calendar, for subjects whose lab subgroup is N and is not in `main`. */
  subgroups: Partial<Record<'1' | '2', readonly PublishedBlock[]>>;
}

/** The subgroup a row is for ("1" for formation "921/1" of group 921), or null for a year-, group-wide or other row. */
export function subgroupOf(formation: string | null, group: string): string | null {
  return formation !== null && formation.startsWith(`${group}/`) && !formation.slice(group.length + 1).includes('/') ? formation.slice(group.length + 1) : null;
}

/** What the filters look at in a class, whether read from a published event or a grid row. */
export interface ClassFacts {
  type: string | null;
  subject: string | null;
}

/**
 * A selection's filters, one class at a time: `wanted` (its type and subject
 * not skipped) and `labOf` (the subgroup its subject's subgroup rows come
 * from, if one is chosen). The feed and the page's grid both filter by these.
 */
export function classFilter(selection: Pick<Selection, 'skipTypes' | 'skipSubjects' | 'labSubgroups'>): {
  wanted: (c: ClassFacts) => boolean;
  labOf: (c: ClassFacts) => string | undefined;
} {
  const skipTypes = new Set<string>(selection.skipTypes);
  const skipSubjects = new Set(selection.skipSubjects);
  return {
    wanted: (c) => !(c.type !== null && skipTypes.has(c.type)) && !(c.subject !== null && skipSubjects.has(subjectKey(c.subject))),
    labOf: (c) => (c.subject === null ? undefined : selection.labSubgroups[subjectKey(c.subject)]),
  };
}

/**
 * The events a selection keeps from its sources: skipped types and subjects
 * out; for a subject with a lab subgroup N, its subgroup rows only from
 * subgroup N (taken from N's calendar when the source names the other one).
 * One event per UID: a year-wide course listed by two sources is one event.
 * Where copies differ (live in one group, cancelled in another), the live
 * one wins, then the higher SEQUENCE.
 */
export function selectEvents(selection: Selection, sources: readonly SourceEvents[]): PublishedBlock[] {
  const { wanted, labOf } = classFilter(selection);

  const byUid = new Map<string, PublishedBlock>();
  const keep = (block: PublishedBlock): void => {
    const seen = byUid.get(block.uid);
    if (!seen || (seen.cancelled && !block.cancelled) || (seen.cancelled === block.cancelled && block.sequence > seen.sequence)) byUid.set(block.uid, block);
  };
  for (const source of sources) {
    for (const block of source.main) {
      if (!wanted(block)) continue;
      const lab = labOf(block);
      const sub = subgroupOf(block.formation, source.group);
      if (lab !== undefined && sub !== null && sub !== lab) continue;
      keep(block);
    }
    for (const [n, blocks] of Object.entries(source.subgroups)) {
      for (const block of blocks ?? []) {
        if (wanted(block) && labOf(block) === n && subgroupOf(block.formation, source.group) === n) keep(block);
      }
    }
  }
  // Stable: equal starts keep the order they came in.
  return [...byUid.values()].sort((a, b) => (a.start === b.start ? 0 : a.start < b.start ? -1 : 1));
}

/** The custom calendar's text: its own head, one VTIMEZONE, the events byte for byte; CRLF throughout, the last line too. */
export function customCalendarText(name: string, description: string, events: readonly PublishedBlock[]): string {
  const head = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    foldLine(`NAME:${escapeText(name)}`),
    foldLine(`X-WR-CALNAME:${escapeText(name)}`),
    foldLine(`X-WR-CALDESC:${escapeText(description)}`),
    `REFRESH-INTERVAL;VALUE=DURATION:${FEED_REFRESH}`,
    `X-PUBLISHED-TTL:${FEED_REFRESH}`,
    `X-WR-TIMEZONE:${TIME_ZONE}`,
    VTIMEZONE,
  ].join('\r\n');
  return `${head}\r\n${events.map((e) => e.text).join('')}END:VCALENDAR\r\n`;
}

/** "IE2 921/1 + MIE3 931 · custom · 2026-1" */
export function feedName(sources: readonly Source[], semester: string): string {
  return `${sources.map(sourceLabel).join(' + ')} · custom · ${semester}`;
}

/** What the calendar is made of, in words (X-WR-CALDESC): the same for the feed, the CLI and the page's download. */
export function feedDescription(sources: readonly Source[], selection: Selection, missing: readonly string[]): string {
  const parts = [`Custom calendar from orar-cal: ${sources.map(sourceLabel).join(', ')}.`];
  if (selection.skipTypes.length > 0) parts.push(`Without: ${selection.skipTypes.join(', ')}.`);
  if (selection.skipSubjects.length > 0) parts.push(`Without the subjects: ${selection.skipSubjects.join(', ')}.`);
  const labs = Object.entries(selection.labSubgroups);
  if (labs.length > 0) parts.push(`Subgroup rows from: ${labs.map(([s, n]) => `${s} -> subgroup ${n}`).join(', ')}.`);
  if (missing.length > 0) parts.push(`Not published any more: ${missing.join('; ')}.`);
  return parts.join(' ');
}

/** RFC 5545 TEXT, on one line. */
function escapeText(text: string): string {
  return text
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]+/g, ' ')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n');
}

/** Folds a content line at 75 octets, never inside a character. */
function foldLine(line: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(line).length <= 75) return line;
  let out = '';
  let octets = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > 75) {
      out += '\r\n ';
      octets = 1;
    }
    out += ch;
    octets += size;
  }
  return out;
}

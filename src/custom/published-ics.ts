// A published group calendar read back: its VEVENT blocks as they are
// written (bytes untouched, so UID, SEQUENCE, DTSTAMP, LAST-MODIFIED and
// STATUS pass through), each with what the filters need to know about it.
// The type, subject and formation come from the event's own text, which the
// generator writes as SUMMARY "[L] Subject" and DESCRIPTION "...\nLaborator,
// 921/1, every week" (calendar/events.ts): cancelled events, which no spec
// JSON row lists any more, carry them too.
import { EVENT_TYPES, TYPE_TAG, type EventType } from '../model.js';

export interface PublishedBlock {
  /** The VEVENT as written, "BEGIN:VEVENT\r\n" ... "END:VEVENT\r\n". */
  text: string;
  uid: string;
  sequence: number;
  cancelled: boolean;
  /** DTSTART's value as written (YYYYMMDDTHHMMSS), for ordering. */
  start: string;
  /** null where the event's text does not say (not written by orar-cal). */
  type: EventType | null;
  subject: string | null;
  formation: string | null;
}

const BEGIN = 'BEGIN:VEVENT\r\n';
const END = 'END:VEVENT\r\n';

/** The VEVENT blocks of a published .ics, in file order (CRLF or LF line ends alike, written out as CRLF). */
export function readPublishedIcs(text: string): PublishedBlock[] {
  const ics = text.includes('\r\n') ? text : text.replace(/\n/g, '\r\n');
  const blocks: PublishedBlock[] = [];
  for (let at = ics.indexOf(BEGIN); at >= 0; at = ics.indexOf(BEGIN, at)) {
    const end = ics.indexOf(END, at);
    if (end < 0) break;
    const block = ics.slice(at, end + END.length);
    blocks.push(describe(block));
    at = end + END.length;
  }
  return blocks;
}

function describe(block: string): PublishedBlock {
  const props = properties(block);
  const summary = unescapeText(props.get('SUMMARY') ?? '');
  const descriptionLines = unescapeText(props.get('DESCRIPTION') ?? '').split('\n');
  const { type, formation } = typeAndFormation(descriptionLines[descriptionLines.length - 1] ?? '');
  const tag = type ? `[${TYPE_TAG[type]}] ` : null;
  return {
    text: block,
    uid: props.get('UID') ?? '',
    sequence: Number(props.get('SEQUENCE') ?? 0) || 0,
    cancelled: (props.get('STATUS') ?? '').toUpperCase() === 'CANCELLED',
    start: props.get('DTSTART') ?? '',
    type,
    subject: tag && summary.startsWith(tag) ? summary.slice(tag.length) : null,
    formation,
  };
}

/** Unfolded property name (parameters dropped) -> raw value; the first of each. */
function properties(block: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of block.replace(/\r\n[ \t]/g, '').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).split(';')[0]!.toUpperCase();
    if (!props.has(name)) props.set(name, line.slice(colon + 1));
  }
  return props;
}

/** RFC 5545 TEXT: \\ \; \, \n (or \N). */
function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** "Laborator, 921/1, every week" -> Laborator and 921/1 (the parity text holds no comma). */
function typeAndFormation(line: string): { type: EventType | null; formation: string | null } {
  const type = EVENT_TYPES.find((t) => line.startsWith(`${t}, `)) ?? null;
  const last = line.lastIndexOf(', ');
  if (!type || last <= type.length) return { type: null, formation: null };
  return { type, formation: line.slice(type.length + 2, last) };
}

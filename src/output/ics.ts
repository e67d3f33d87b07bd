// Events -> iCalendar files, through ical-generator.
//
// Every property is written by ical-generator. What this module adds is
// reuse: the events of one class differ only in UID and date, so each class
// is rendered once as a template and its events are the template with their
// own UID and date put in; and an event that appears in G-1, G-2 and G-all
// is assembled once per spec. Rendering was most of the generate phase (see
// README, Performance).
import ical, { ICalEventStatus, foldLines, type ICalCalendar, type ICalDayJsStub } from 'ical-generator';
import { samePublishedText, type PublishedEvent } from '../calendar/publication.js';
import type { AllDayEvent } from '../calendar/weeks-calendar.js';
import type { IsoDate } from '../model.js';
import { TIME_ZONE, VTIMEZONE } from './vtimezone.js';

export interface IcsCalendar {
  name: string;
  description: string;
  /** Each with its own DTSTAMP, SEQUENCE, LAST-MODIFIED and status. */
  events: readonly PublishedEvent[];
}

/** How often subscribers should look again: twice a day. */
const REFRESH_SECONDS = 12 * 60 * 60;

export const PRODUCT_ID = { company: 'orar-cal', product: 'orar-cal', language: 'RO' } as const;

/**
 * A local wall-clock time in the faculty's zone. ical-generator writes a
 * TZID'd time from the object's own fields when it is given this stub shape,
 * so the output never depends on the zone of the machine that runs us (a
 * Date would be read in the process's local zone).
 */
class WallClock implements ICalDayJsStub {
  private readonly compact: string;
  private readonly hh: string;
  constructor(
    private readonly date: IsoDate,
    private readonly hour: number,
  ) {
    this.compact = date.replaceAll('-', '');
    this.hh = String(hour).padStart(2, '0');
  }
  format(format?: string): string {
    if (format === 'YYYYMMDD') return this.compact;
    if (format === 'HHmmss') return `${this.hh}0000`;
    return `${this.date}T${this.hh}:00:00`;
  }
  isValid(): boolean {
    return true;
  }
  /** Asked for all-day dates only (timed events name their zone): a date is the same date. */
  utc(): ICalDayJsStub {
    return this;
  }
  /** Only compared with the end time (same zone), so UTC fields do. */
  toDate(): Date {
    return new Date(Date.parse(`${this.date}T00:00:00Z`) + this.hour * 3_600_000);
  }
  toJSON(): string {
    return this.format();
  }
}

/** Names go into property values unescaped by the library: keep them on one line. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

/** The date and UID written into an event template, then replaced. */
const TEMPLATE_DATE = '19700101';
const TEMPLATE_UID = 'template@orar-cal';
/** Where a template holds its UID and dates: whole lines, so no summary or name can look like one. */
const MARKS = [
  { hole: 'uid', before: '\r\nUID:', placeholder: TEMPLATE_UID, after: '\r\n' },
  { hole: 'date', before: `\r\nDTSTART;TZID=${TIME_ZONE}:`, placeholder: TEMPLATE_DATE, after: 'T' },
  { hole: 'date', before: `\r\nDTEND;TZID=${TIME_ZONE}:`, placeholder: TEMPLATE_DATE, after: 'T' },
] as const;

/**
 * A class's VEVENT as written by ical-generator, cut where its events
 * differ: `bytes[i]` is followed by the event's UID or date, as `holes[i]`
 * says (the last piece by nothing).
 */
interface Template {
  event: PublishedEvent;
  bytes: Buffer[];
  holes: ('uid' | 'date')[];
  /** Bytes of the pieces together. */
  size: number;
}

function cutTemplate(event: PublishedEvent, text: string): Template {
  const found = MARKS.map((mark) => {
    const at = text.indexOf(`${mark.before}${mark.placeholder}${mark.after}`);
    // Only if ical-generator changed how it writes these lines.
    if (at < 0) throw new Error(`event template without ${mark.before.trim()}${mark.placeholder}`);
    return { hole: mark.hole, from: at + mark.before.length, to: at + mark.before.length + mark.placeholder.length };
  }).sort((a, b) => a.from - b.from);
  const bytes: Buffer[] = [];
  let from = 0;
  for (const f of found) {
    bytes.push(Buffer.from(text.slice(from, f.from)));
    from = f.to;
  }
  bytes.push(Buffer.from(text.slice(from)));
  return { event, bytes, holes: found.map((f) => f.hole), size: bytes.reduce((n, b) => n + b.length, 0) };
}

// RFC 5545: every content line ends with CRLF, the last one too (ical-generator leaves it off).
const END_CALENDAR = Buffer.from('END:VCALENDAR\r\n');

/**
 * Renders the calendars of one spec, as bytes. Keep one per spec: its
 * caches live as long as it does.
 *
 * ical-generator writes each class once, as a template (a placeholder UID
 * and date); the events of that class, which differ only in UID and date,
 * are the template's bytes with those two put in. A spec has ~25 classes a
 * group but ~15 dated events per class, and an event listed by G-1 and
 * G-all is assembled once; a calendar is then one copy of its events'
 * bytes. Rendering was most of the generate phase (README, Performance).
 */
export class IcsRenderer {
  private readonly scratch: ICalCalendar = ical({ prodId: PRODUCT_ID });
  /** The bytes of each event object already rendered in this spec. */
  private readonly rendered = new Map<PublishedEvent, Buffer>();
  /** By the event's row (shared by all dates of a class): templates, told apart by their fields. */
  private readonly templates = new Map<object, Template[]>();

  render(calendar: IcsCalendar): Buffer {
    // The calendar's own properties; VTIMEZONE and events go before its end.
    // Not ical-generator's `timezone` option: without a date library it
    // writes DTSTAMP without its Z and UTC hours as Bucharest wall time.
    const shell = ical({
      prodId: PRODUCT_ID,
      name: oneLine(calendar.name),
      description: oneLine(calendar.description),
      ttl: REFRESH_SECONDS,
      x: { 'X-WR-TIMEZONE': TIME_ZONE },
    }).toString();
    const end = shell.lastIndexOf('END:VCALENDAR');
    const parts: Buffer[] = [Buffer.from(`${shell.slice(0, end)}${VTIMEZONE}\r\n`)];
    let size = parts[0]!.length + END_CALENDAR.length;
    for (const event of calendar.events) {
      const bytes = this.event(event);
      parts.push(bytes);
      size += bytes.length;
    }
    parts.push(END_CALENDAR);
    return Buffer.concat(parts, size);
  }

  /** One VEVENT, folded, ending in CRLF. */
  private event(event: PublishedEvent): Buffer {
    let bytes = this.rendered.get(event);
    if (bytes) return bytes;
    // A UID long enough to need folding is written by the library itself.
    if (Buffer.byteLength(event.uid) + 4 > MAX_OCTETS) bytes = Buffer.from(this.full(event, event.uid, event.date));
    else bytes = fillTemplate(this.template(event), event);
    this.rendered.set(event, bytes);
    return bytes;
  }

  private template(event: PublishedEvent): Template {
    const candidates = this.templates.get(event.row) ?? [];
    const found = candidates.find((c) => samePublishedText(c.event, event));
    if (found) return found;
    const template = cutTemplate(event, this.full(event, TEMPLATE_UID, '1970-01-01'));
    candidates.push(template);
    this.templates.set(event.row, candidates);
    return template;
  }

  private full(event: PublishedEvent, uid: string, date: IsoDate): string {
    const vevent = this.scratch.createEvent({
      id: uid,
      sequence: event.sequence,
      stamp: new Date(event.stamp),
      lastModified: event.lastModified ? new Date(event.lastModified) : null,
      status: event.cancelled ? ICalEventStatus.CANCELLED : null,
      timezone: TIME_ZONE,
      start: new WallClock(date, event.startHour),
      end: new WallClock(date, event.endHour),
      summary: event.summary,
      location: event.location || null,
      description: event.description || null,
    });
    const text = fold(vevent.toString());
    this.scratch.clear();
    return text;
  }
}

/** The template's bytes with the event's UID and date (YYYYMMDD) put in. */
function fillTemplate(template: Template, event: PublishedEvent): Buffer {
  const { bytes, holes } = template;
  const date = event.date.replaceAll('-', '');
  const uidBytes = Buffer.byteLength(event.uid);
  let size = template.size;
  for (const hole of holes) size += hole === 'uid' ? uidBytes : date.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < holes.length; i++) {
    at += bytes[i]!.copy(out, at);
    at += holes[i] === 'uid' ? out.write(event.uid, at) : out.write(date, at, 'latin1');
  }
  bytes.at(-1)!.copy(out, at);
  return out;
}

const MAX_OCTETS = 74; // the library's folding limit, kept so its output is unchanged

/**
 * ical-generator's foldLines walks every character of any line holding a
 * non-ASCII letter, even a short one that needs no folding; most of ours are
 * names with diacritics. Lines that fit go through untouched; the others are
 * folded by the library, so the output is the same.
 */
function fold(text: string): string {
  const lines = text.split('\r\n');
  const ascii = Buffer.byteLength(text) === text.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > MAX_OCTETS || (!ascii && Buffer.byteLength(line) > MAX_OCTETS)) lines[i] = foldLines(line);
  }
  return lines.join('\r\n');
}

/** One calendar on its own, as text (tests, one-off files). */
export function renderIcs(calendar: IcsCalendar): string {
  return new IcsRenderer().render(calendar).toString('utf8');
}

/** A calendar of all-day events (the teaching-weeks calendar). */
export function renderAllDayIcs(calendar: { name: string; description: string; events: readonly AllDayEvent[]; stamp: Date }): string {
  const cal = ical({
    prodId: PRODUCT_ID,
    name: oneLine(calendar.name),
    description: oneLine(calendar.description),
    ttl: REFRESH_SECONDS,
  });
  for (const event of calendar.events) {
    cal.createEvent({
      id: event.uid,
      stamp: calendar.stamp,
      allDay: true,
      start: new WallClock(event.start, 0),
      end: new WallClock(event.end, 0),
      summary: event.summary,
      description: event.description || null,
    });
  }
  // All-day dates name no zone, but every file of the site carries the
  // faculty's VTIMEZONE, so tools that expect one in each file are content.
  const text = cal.toString();
  const at = text.indexOf('BEGIN:VEVENT');
  const withZone = at < 0 ? text.replace(/END:VCALENDAR$/, `${VTIMEZONE}\r\nEND:VCALENDAR`) : `${text.slice(0, at)}${VTIMEZONE}\r\n${text.slice(at)}`;
  return `${withZone}\r\n`;
}

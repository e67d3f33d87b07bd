// Events -> iCalendar files, through ical-generator.
//
// Every property is written by ical-generator. What this module adds is
// reuse: a year-wide course is the same VEVENT in G-1, G-2 and G-all of
// every group of a page, so each distinct event is rendered (and folded)
// once per spec and its text is shared by every file that holds it. On the
// sample faculty this renders ~2.5x fewer events; rendering was most of the
// generate phase (see README, Performance).
import ical, { ICalEventStatus, foldLines, type ICalCalendar, type ICalDayJsStub } from 'ical-generator';
import type { PublishedEvent } from '../calendar/publication.js';
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
export const REFRESH_SECONDS = 12 * 60 * 60;

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

/**
 * Renders the calendars of one spec. Keep one per spec: its cache of event
 * texts lives as long as it does.
 */
export class IcsRenderer {
  private readonly scratch: ICalCalendar = ical({ prodId: PRODUCT_ID });
  /** By UID; the event's fields are compared before a text is reused. */
  private readonly rendered = new Map<string, { event: PublishedEvent; text: string }>();

  render(calendar: IcsCalendar): string {
    // The calendar's own properties; VTIMEZONE and events go before its end.
    const shell = ical({
      prodId: PRODUCT_ID,
      name: oneLine(calendar.name),
      description: oneLine(calendar.description),
      ttl: REFRESH_SECONDS,
      x: { 'X-WR-TIMEZONE': TIME_ZONE },
    }).toString();
    const end = shell.lastIndexOf('END:VCALENDAR');
    const parts = [shell.slice(0, end), VTIMEZONE, '\r\n'];
    for (const event of calendar.events) parts.push(this.event(event));
    parts.push('END:VCALENDAR');
    return parts.join('');
  }

  /** One VEVENT, folded, ending in CRLF; rendered once per distinct event. */
  private event(event: PublishedEvent): string {
    const seen = this.rendered.get(event.uid);
    if (seen && sameEvent(seen.event, event)) return seen.text;
    const vevent = this.scratch.createEvent({
      id: event.uid,
      sequence: event.sequence,
      stamp: new Date(event.stamp),
      lastModified: event.lastModified ? new Date(event.lastModified) : null,
      status: event.cancelled ? ICalEventStatus.CANCELLED : null,
      timezone: TIME_ZONE,
      start: new WallClock(event.date, event.startHour),
      end: new WallClock(event.date, event.endHour),
      summary: event.summary,
      location: event.location || null,
      description: event.description || null,
    });
    const text = fold(vevent.toString());
    this.scratch.clear();
    this.rendered.set(event.uid, { event, text });
    return text;
  }
}

const MAX_OCTETS = 74; // the library's limit, kept so its output is unchanged

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

function sameEvent(a: PublishedEvent, b: PublishedEvent): boolean {
  return (
    a === b ||
    (a.date === b.date &&
      a.startHour === b.startHour &&
      a.endHour === b.endHour &&
      a.summary === b.summary &&
      a.location === b.location &&
      a.description === b.description &&
      a.sequence === b.sequence &&
      a.stamp === b.stamp &&
      a.lastModified === b.lastModified &&
      a.cancelled === b.cancelled)
  );
}

/** One calendar on its own (tests, one-off files). */
export function renderIcs(calendar: IcsCalendar): string {
  return new IcsRenderer().render(calendar);
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
  return cal.toString();
}

// Events -> an iCalendar file, through ical-generator.
import ical, { type ICalDayJsStub } from 'ical-generator';
import type { ClassEvent } from '../calendar/events.js';
import type { IsoDate } from '../model.js';
import { TIME_ZONE, VTIMEZONE } from './vtimezone.js';

export interface IcsCalendar {
  name: string;
  description: string;
  events: readonly ClassEvent[];
  /** DTSTAMP of every event (written in UTC). */
  stamp: Date;
}

export const PRODUCT_ID = { company: 'orar-cal', product: 'orar-cal', language: 'RO' } as const;

/**
 * A local wall-clock time in the faculty's zone. ical-generator writes a
 * TZID'd time from the object's own fields when it is given this stub shape,
 * so the output never depends on the zone of the machine that runs us (a
 * Date would be read in the process's local zone).
 */
class WallClock implements ICalDayJsStub {
  constructor(
    private readonly date: IsoDate,
    private readonly hour: number,
  ) {}
  format(format?: string): string {
    if (format === 'YYYYMMDD') return this.date.replaceAll('-', '');
    if (format === 'HHmmss') return `${String(this.hour).padStart(2, '0')}0000`;
    return `${this.date}T${String(this.hour).padStart(2, '0')}:00:00`;
  }
  isValid(): boolean {
    return true;
  }
  toDate(): Date {
    return new Date(`${this.date}T${String(this.hour).padStart(2, '0')}:00:00Z`);
  }
  toJSON(): string {
    return this.format();
  }
}

/** Names go into property values unescaped by the library: keep them on one line. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

export function renderIcs(calendar: IcsCalendar): string {
  const cal = ical({
    prodId: PRODUCT_ID,
    name: oneLine(calendar.name),
    description: oneLine(calendar.description),
    // No calendar-wide zone name: with one set, the library writes DTSTAMP in
    // local time without "Z". The generator alone still emits the VTIMEZONE
    // for the zone the events name.
    timezone: { name: null, generator: (tz) => (tz === TIME_ZONE ? VTIMEZONE : null) },
    x: { 'X-WR-TIMEZONE': TIME_ZONE },
  });
  for (const event of calendar.events) {
    cal.createEvent({
      id: event.uid,
      stamp: calendar.stamp,
      timezone: TIME_ZONE,
      start: new WallClock(event.date, event.startHour),
      end: new WallClock(event.date, event.endHour),
      summary: event.summary,
      location: event.location || null,
      description: event.description || null,
    });
  }
  const text = cal.toString();
  // The library writes a VTIMEZONE only for zones its events name; an empty
  // calendar (a group with no classes yet) still carries one, like every file.
  return calendar.events.length > 0 ? text : text.replace(/END:VCALENDAR$/, `${VTIMEZONE}\r\nEND:VCALENDAR`);
}

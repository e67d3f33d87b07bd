// Reading our .ics files back with a real iCalendar parser (ical.js), using
// only the VTIMEZONE each file carries.
import ICAL from 'ical.js';

export interface ParsedEvent {
  uid: string;
  summary: string;
  location: string;
  description: string;
  /** UTC instants, ISO strings. */
  startUtc: string;
  endUtc: string;
  /** Local wall time as written, e.g. 2031-03-24T08:00:00. */
  startLocal: string;
  tzid: string | null;
}

export interface ParsedCalendar {
  name: string;
  timezones: string[];
  events: ParsedEvent[];
}

export function parseIcs(text: string): ParsedCalendar {
  const root = new ICAL.Component(ICAL.parse(text));
  const timezones = root.getAllSubcomponents('vtimezone').map((vtz) => {
    const tz = new ICAL.Timezone(vtz);
    ICAL.TimezoneService.register(tz, tz.tzid);
    return tz.tzid;
  });
  const events = root.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    const start = event.startDate;
    const dtstart = vevent.getFirstProperty('dtstart')!;
    return {
      uid: event.uid,
      summary: event.summary,
      location: event.location,
      description: event.description,
      startUtc: start.toJSDate().toISOString(),
      endUtc: event.endDate.toJSDate().toISOString(),
      startLocal: start.toString(),
      tzid: (dtstart.getParameter('tzid') as string | undefined) ?? null,
    };
  });
  for (const tz of timezones) ICAL.TimezoneService.remove(tz);
  return { name: String(root.getFirstPropertyValue('x-wr-calname')), timezones, events };
}

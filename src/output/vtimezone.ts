// The faculty's time zone (TIME_ZONE, model.ts) as iCalendar spells it out.
// Every .ics carries this VTIMEZONE (Outlook needs it) and every event names
// it by TZID, so a class at 08:00 stays at 08:00 across the March and October
// changes. EU rules since 1996: summer time from the last Sunday of March
// 03:00 local (01:00 UTC) to the last Sunday of October 04:00 local (01:00 UTC).
import { TIME_ZONE } from '../model.js';

export { TIME_ZONE };

export const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${TIME_ZONE}`,
  `X-LIC-LOCATION:${TIME_ZONE}`,
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0300',
  'TZNAME:EEST',
  'DTSTART:19970330T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0300',
  'TZOFFSETTO:+0200',
  'TZNAME:EET',
  'DTSTART:19971026T040000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

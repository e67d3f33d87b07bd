import { expect } from 'chai';
import type { PublishedEvent } from '../src/calendar/publication.js';
import ical, { ICalEventStatus } from 'ical-generator';
import { IcsRenderer, PRODUCT_ID, renderIcs } from '../src/output/ics.js';
import { parseIcs } from './ical.js';

const event = (date: string, startHour: number, uid = `e-${date}-${startHour}@orar-cal`): PublishedEvent => ({
  uid, stem: 'e', date, startHour, endHour: startHour + 2, summary: '[C] Mecanica', location: '2/I, Cladirea Centrala', description: 'Prof. X\nCurs',
  row: { day: 'Luni', type: 'Curs', subject: 'Mecanica', room: '2/I', professor: 'Prof. X', formation: 'X1', frequency: 'every' },
  sequence: 0, stamp: '2031-01-02T03:04:05.000Z',
});

describe('iCalendar output', () => {
  it('keeps 08:00 at 08:00 across the March change (06:00Z before, 05:00Z after)', () => {
    // Summer time starts on the last Sunday of March: 30.03.2031.
    const ics = renderIcs({ name: 'T', description: 'T', events: [event('2031-03-24', 8), event('2031-03-31', 8)] });
    const parsed = parseIcs(ics);
    expect(parsed.timezones).to.deep.equal(['Europe/Bucharest']);
    expect(parsed.events.map((e) => e.startLocal)).to.deep.equal(['2031-03-24T08:00:00', '2031-03-31T08:00:00']);
    expect(parsed.events.map((e) => e.tzid)).to.deep.equal(['Europe/Bucharest', 'Europe/Bucharest']);
    expect(parsed.events.map((e) => e.startUtc)).to.deep.equal(['2031-03-24T06:00:00.000Z', '2031-03-31T05:00:00.000Z']);
    expect(parsed.events.map((e) => e.endUtc)).to.deep.equal(['2031-03-24T08:00:00.000Z', '2031-03-31T07:00:00.000Z']);
  });

  it('and across the October change (05:00Z before, 06:00Z after)', () => {
    // Summer time ends on the last Sunday of October: 27.10.2030.
    const parsed = parseIcs(renderIcs({ name: 'T', description: 'T', events: [event('2030-10-21', 8), event('2030-10-28', 8)] }));
    expect(parsed.events.map((e) => e.startUtc)).to.deep.equal(['2030-10-21T05:00:00.000Z', '2030-10-28T06:00:00.000Z']);
  });

  it('does not depend on the time zone of the machine', () => {
    // The wall time is written from the date and hour alone, never via a Date in local time.
    const ics = renderIcs({ name: 'T', description: 'T', events: [event('2031-03-24', 8)] });
    expect(ics).to.contain('DTSTART;TZID=Europe/Bucharest:20310324T080000');
    expect(ics).to.contain('DTEND;TZID=Europe/Bucharest:20310324T100000');
  });

  it('writes DTSTAMP in UTC, names the calendar, carries summary, location and description', () => {
    const ics = renderIcs({ name: 'IE2 921/1', description: 'd', events: [event('2031-03-24', 8)] });
    expect(ics).to.contain('DTSTAMP:20310102T030405Z');
    const parsed = parseIcs(ics);
    expect(parsed.name).to.equal('IE2 921/1');
    expect(parsed.events[0]).to.include({ summary: '[C] Mecanica', location: '2/I, Cladirea Centrala', description: 'Prof. X\nCurs', uid: 'e-2031-03-24-8@orar-cal' });
  });

  it('writes a valid calendar with no events, VTIMEZONE included', () => {
    const ics = renderIcs({ name: 'Empty', description: 'd', events: [] });
    expect(ics).to.match(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).to.contain('BEGIN:VTIMEZONE');
    expect(parseIcs(ics).events).to.deep.equal([]);
  });

  it('keeps a hostile name on one line', () => {
    const ics = renderIcs({ name: 'A\r\nBEGIN:VEVENT', description: 'x\ny', events: [] });
    expect(ics).not.to.match(/\r\nBEGIN:VEVENT/);
  });

  it('writes each event exactly as ical-generator writes it whole, template or not', () => {
    // The renderer fills a per-class template with each event's UID and date;
    // the result must be byte for byte what the library writes for the event itself.
    const row = { day: 'Luni', type: 'Laborator', subject: 'Programare', room: 'pi', professor: 'Lect. Ţăranu Ştefan', formation: '921/1', frequency: 'odd' } as const;
    const base = { stem: 's', startHour: 14, endHour: 16, summary: '[L] Programare: şiruri ţesute', location: 'pi, Cladirea Centrala', description: 'Lect. Ţăranu Ştefan\nLaborator, 921/1, odd weeks (sapt. 1)', row };
    const events: PublishedEvent[] = [
      { ...base, uid: 's-20310303@orar-cal', date: '2031-03-03', sequence: 0, stamp: '2031-01-02T03:04:05.000Z' },
      { ...base, uid: 's-20310317@orar-cal', date: '2031-03-17', sequence: 0, stamp: '2031-01-02T03:04:05.000Z' },
      { ...base, uid: 's-20310331@orar-cal', date: '2031-03-31', sequence: 2, stamp: '2031-02-01T00:00:00.000Z', lastModified: '2031-02-01T00:00:00.000Z' },
      { ...base, uid: 's-20310414@orar-cal', date: '2031-04-14', sequence: 1, stamp: '2031-02-01T00:00:00.000Z', lastModified: '2031-02-01T00:00:00.000Z', cancelled: true },
      // Long enough that its UID line is folded: written by the library directly.
      { ...base, uid: `${'x'.repeat(80)}-20310428@orar-cal`, date: '2031-04-28', sequence: 0, stamp: '2031-01-02T03:04:05.000Z' },
    ];
    const renderer = new IcsRenderer();
    const text = renderer.render({ name: 'T', description: 'T', events }).toString('utf8');
    const whole = (e: PublishedEvent): string => {
      const cal = ical({ prodId: PRODUCT_ID });
      const wall = (hour: number) => ({
        format: (f?: string) => (f === 'YYYYMMDD' ? e.date.replaceAll('-', '') : f === 'HHmmss' ? `${String(hour).padStart(2, '0')}0000` : `${e.date}T${String(hour).padStart(2, '0')}:00:00`),
        isValid: () => true,
        utc() { return this; },
        toDate: () => new Date(`${e.date}T${String(hour).padStart(2, '0')}:00:00Z`),
        toJSON: () => `${e.date}T${String(hour).padStart(2, '0')}:00:00`,
      });
      cal.createEvent({
        id: e.uid, sequence: e.sequence, stamp: new Date(e.stamp), lastModified: e.lastModified ? new Date(e.lastModified) : null,
        status: e.cancelled ? ICalEventStatus.CANCELLED : null, timezone: 'Europe/Bucharest', start: wall(e.startHour), end: wall(e.endHour),
        summary: e.summary, location: e.location, description: e.description,
      });
      const out = cal.toString();
      return out.slice(out.indexOf('BEGIN:VEVENT'), out.indexOf('END:VCALENDAR'));
    };
    expect(text.slice(text.indexOf('BEGIN:VEVENT'), text.lastIndexOf('END:VCALENDAR'))).to.equal(events.map(whole).join(''));
    // Every line within 75 octets, as the library folds them.
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).to.be.at.most(75);
    // A second calendar listing some of the same events: the same bytes for them.
    const again = renderer.render({ name: 'U', description: 'U', events: [events[1]!, events[3]!] }).toString('utf8');
    expect(again.slice(again.indexOf('BEGIN:VEVENT'), again.lastIndexOf('END:VCALENDAR'))).to.equal(whole(events[1]!) + whole(events[3]!));
  });
});

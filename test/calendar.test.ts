import { expect } from 'chai';
import type { ClassEvent } from '../src/calendar/events.js';
import { decodeState, encodeState, publish, readStoredState, type Publication, type SpecState } from '../src/calendar/publication.js';
import { academicYearMismatch, MissingCalendarError, teachingCalendarFor } from '../src/calendar/academic-calendar.js';
import { defaultSemester, parseSemester } from '../src/calendar/semester.js';
import { belongsTo, selectCalendars } from '../src/calendar/selection.js';
import { calendarKeyOf, finalYearOf, isFinalYear, studyLineOf } from '../src/calendar/study-line.js';
import { occurrences, teachingWeeks } from '../src/calendar/teaching-weeks.js';
import { classUidStems, eventUid } from '../src/calendar/uid.js';
import type { Entry, Spec, TeachingCalendar } from '../src/model.js';
import { parseAcademicYear } from '../src/scrape/academic-year.js';
import { fixtureText } from './helpers.js';

const year = parseAcademicYear(fixtureText('academic-year.html'));
const sem1 = { year: 2030, half: 1 } as const;
const sem2 = { year: 2030, half: 2 } as const;
const spec = (over: Partial<Spec>): Spec => ({ code: 'X1', name: 'X', year: 1, master: false, ...over });

describe('teaching weeks', () => {
  // Romanian line, semester II: 24.02-13.04 (7 weeks), Easter, 21.04-08.06 (7 weeks).
  const calendar = teachingCalendarFor(year, { line: 'romanian', semester: sem2, finalYear: false });

  it('numbers weeks across all periods, carrying parity over the vacation', () => {
    const weeks = teachingWeeks(calendar);
    expect(weeks).to.have.length(14);
    expect(weeks[6]).to.deep.equal({ number: 7, monday: '2031-04-07', parity: 'odd' });
    expect(weeks[7]).to.deep.equal({ number: 8, monday: '2031-04-21', parity: 'even' });
  });

  it('puts "sapt. 1" in odd weeks and "sapt. 2" in even ones, skipping holidays', () => {
    // Friday of week 7 is Good Friday (11.04), a holiday.
    expect(occurrences({ day: 'Vineri', frequency: 'odd' }, calendar)).to.deep.equal([
      '2031-02-28', '2031-03-14', '2031-03-28', '2031-05-02', '2031-05-16', '2031-05-30',
    ]);
    // Thursday of week 9 is 01.05, a holiday.
    expect(occurrences({ day: 'Joi', frequency: 'odd' }, calendar)).to.deep.equal([
      '2031-02-27', '2031-03-13', '2031-03-27', '2031-04-10', '2031-05-15', '2031-05-29',
    ]);
    expect(occurrences({ day: 'Joi', frequency: 'even' }, calendar)).to.deep.equal([
      '2031-03-06', '2031-03-20', '2031-04-03', '2031-04-24', '2031-05-08', '2031-05-22', '2031-06-05',
    ]);
    expect(occurrences({ day: 'Luni', frequency: 'every' }, calendar)).to.have.length(14);
  });

  it('counts a week whose Monday-Friday touches a period, but only dates inside it', () => {
    // Hungarian line, semester I starts on Wednesday 02.10.2030.
    const hu = teachingCalendarFor(year, { line: 'hungarian', semester: sem1, finalYear: false });
    const weeks = teachingWeeks(hu);
    expect(weeks[0]).to.deep.equal({ number: 1, monday: '2030-09-30', parity: 'odd' });
    expect(occurrences({ day: 'Luni', frequency: 'every' }, hu)[0]).to.equal('2030-10-07');
    expect(occurrences({ day: 'Miercuri', frequency: 'every' }, hu)[0]).to.equal('2030-10-02');
    // After Christmas the count goes on: 12 weeks before, 2 after.
    expect(weeks.map((w) => w.number).slice(-2)).to.deep.equal([13, 14]);
    expect(weeks[12]!.monday).to.equal('2031-01-06');
  });

  it('never dates a class outside every period, nor on Saturday after the end', () => {
    const short: TeachingCalendar = { periods: [{ start: '2031-03-03', end: '2031-03-07' }], holidays: [] };
    expect(occurrences({ day: 'Sambata', frequency: 'every' }, short)).to.deep.equal([]);
    expect(occurrences({ day: 'Vineri', frequency: 'every' }, short)).to.deep.equal(['2031-03-07']);
    expect(occurrences({ day: 'Luni', frequency: 'even' }, short)).to.deep.equal([]);
  });
});

describe('which academic-year table a spec uses', () => {
  it('uses the final-year table in semester II for final years only', () => {
    const final = teachingCalendarFor(year, calendarKeyOf(spec({ name: 'Fizica', year: 3 }), sem2));
    const notFinal = teachingCalendarFor(year, calendarKeyOf(spec({ name: 'Fizica', year: 2 }), sem2));
    expect(final.periods.at(-1)!.end).to.equal('2031-05-25');
    expect(notFinal.periods.at(-1)!.end).to.equal('2031-06-08');
    // In semester I final years follow the common table.
    const finalSem1 = teachingCalendarFor(year, calendarKeyOf(spec({ name: 'Fizica', year: 3 }), sem1));
    expect(finalSem1.periods[0]!.start).to.equal('2030-09-30');
  });

  it('takes the Hungarian and German lines from their shared section', () => {
    const hu = teachingCalendarFor(year, calendarKeyOf(spec({ name: 'Fizica - linia de studiu maghiara' }), sem2));
    const de = teachingCalendarFor(year, calendarKeyOf(spec({ name: 'Fizica - in limba germana' }), sem2));
    const ro = teachingCalendarFor(year, calendarKeyOf(spec({ name: 'Fizica - linia de studiu romana' }), sem2));
    expect(hu).to.deep.equal(de);
    expect(hu.periods[0]!.end).to.equal('2031-04-06');
    expect(hu.holidays).to.deep.equal(['2031-05-01', '2031-06-02']);
    expect(ro.periods[0]!.end).to.equal('2031-04-13');
  });

  it('names the line and semester when a table is missing', () => {
    const noFinal = { ...year, sections: year.sections.map((s) => ({ ...s, tables: { I: s.tables.I, II: s.tables.II } })) };
    expect(() => teachingCalendarFor(noFinal, { line: 'german', semester: sem2, finalYear: true }))
      .to.throw(MissingCalendarError, 'no "SEMESTRUL II - Anii terminali" table for the German study line');
    expect(() => teachingCalendarFor({ startYear: 2030, sections: [] }, { line: 'romanian', semester: sem1, finalYear: false }))
      .to.throw(MissingCalendarError, 'no section for the Romanian study line');
  });

  it('notices when the page is for another academic year', () => {
    expect(academicYearMismatch(year, sem1)).to.equal(null);
    expect(academicYearMismatch(year, { year: 2029, half: 2 })).to.match(/describes 2030-2031, but semester 2029-2 belongs to 2029-2030/);
  });
});

describe('study line and final year', () => {
  it('reads the line from the name, the code only when the name is silent', () => {
    expect(studyLineOf({ name: 'Matematica - linia de studiu maghiara', code: 'MM1' })).to.equal('hungarian');
    expect(studyLineOf({ name: 'Informatica - in limba germana', code: 'IG1' })).to.equal('german');
    expect(studyLineOf({ name: 'Informatica - in limba engleza', code: 'IE1' })).to.equal('romanian');
    expect(studyLineOf({ name: 'Ingineria Informatiei în limba maghiară', code: 'IIM1' })).to.equal('hungarian');
    expect(studyLineOf({ name: 'Sisteme informatice - germana si engleza', code: 'MaSIA1' })).to.equal('german');
    expect(studyLineOf({ name: 'Baze de date', code: 'MaBD1' })).to.equal('romanian');
    expect(studyLineOf({ name: 'Program fara limba', code: 'MIMDS1' })).to.equal('hungarian');
    expect(studyLineOf({ name: 'Program fara limba', code: 'IG2' })).to.equal('german');
    expect(studyLineOf({ name: 'Program fara limba', code: 'IE2' })).to.equal('romanian');
  });

  it('knows when a programme ends', () => {
    expect(finalYearOf({ name: 'Baze de date', master: true })).to.equal(2);
    expect(finalYearOf({ name: 'Ingineria Informatiei in limba engleza', master: false })).to.equal(4);
    expect(finalYearOf({ name: 'Matematica-Informatica 4 ani - linia de studiu romana', master: false })).to.equal(4);
    expect(finalYearOf({ name: 'Informatica - linia de studiu romana', master: false })).to.equal(3);
    expect(isFinalYear(spec({ name: 'Ingineria Informatiei', year: 3 }))).to.equal(false);
    expect(isFinalYear(spec({ name: 'Baze de date', master: true, year: 2 }))).to.equal(true);
  });
});

describe('semesters', () => {
  it('parses YYYY-S and nothing else', () => {
    expect(parseSemester('2025-2')).to.deep.equal({ year: 2025, half: 2 });
    expect(parseSemester('2025-3')).to.equal(null);
    expect(parseSemester('25-1')).to.equal(null);
  });

  it('defaults to the semester running in Cluj', () => {
    expect(defaultSemester(new Date('2026-11-28T12:00:00Z'))).to.deep.equal({ year: 2026, half: 1 });
    expect(defaultSemester(new Date('2027-01-20T12:00:00Z'))).to.deep.equal({ year: 2026, half: 1 });
    expect(defaultSemester(new Date('2027-02-01T12:00:00Z'))).to.deep.equal({ year: 2026, half: 2 });
    expect(defaultSemester(new Date('2027-08-31T12:00:00Z'))).to.deep.equal({ year: 2026, half: 2 });
    // 31 August 22:30 UTC is already 1 September in Cluj.
    expect(defaultSemester(new Date('2027-08-31T22:30:00Z'))).to.deep.equal({ year: 2027, half: 1 });
  });
});

const entry = (over: Partial<Entry>): Entry => ({
  day: 'Luni', startHour: 8, endHour: 10, frequency: 'every', room: 'A1', formation: '921',
  type: 'Seminar', subject: 'S', professor: 'P', ...over,
});

describe('calendar selection', () => {
  const table = {
    group: '921',
    entries: [
      entry({ formation: 'IE2', type: 'Curs' }),
      entry({ formation: '921' }),
      entry({ formation: '921/1', type: 'Laborator' }),
      entry({ formation: '921/2', type: 'Laborator' }),
      entry({ formation: '922' }),
    ],
  };

  it('gives G-1, G-2 and G-all with year-wide and group rows in each', () => {
    const [one, two, all] = selectCalendars(table);
    expect([one!.baseName, two!.baseName, all!.baseName]).to.deep.equal(['921-1', '921-2', '921-all']);
    expect(one!.entries.map((e) => e.formation)).to.deep.equal(['IE2', '921', '921/1']);
    expect(two!.entries.map((e) => e.formation)).to.deep.equal(['IE2', '921', '921/2']);
    expect(all!.entries.map((e) => e.formation)).to.deep.equal(['IE2', '921', '921/1', '921/2']);
  });

  it('gives a group named like 243/1 one file', () => {
    const sel = selectCalendars({ group: '243/1', entries: [entry({ formation: 'MaX1' }), entry({ formation: '243/1' }), entry({ formation: '243/2' })] });
    expect(sel).to.have.length(1);
    expect(sel[0]).to.include({ baseName: '243-1', label: '243/1', subgroup: null });
    expect(sel[0]!.entries.map((e) => e.formation)).to.deep.equal(['MaX1', '243/1']);
  });

  it('keeps a four-digit group apart from its prefix', () => {
    expect(belongsTo('1011/1', '101', '1')).to.equal(false);
    expect(belongsTo('1011/1', '1011', '1')).to.equal(true);
  });
});

describe('UIDs', () => {
  const rows = [entry({ formation: '921/1' }), entry({ formation: '921/2' }), entry({ formation: '921/1', room: 'B2' })];

  it('are the same on every run, with an @ domain part', () => {
    const a = classUidStems('2030-2', 'IE2', rows).map((s) => eventUid(s, '2031-03-03'));
    const b = classUidStems('2030-2', 'IE2', rows).map((s) => eventUid(s, '2031-03-03'));
    expect(a).to.deep.equal(b);
    expect(a[0]).to.match(/^2030-2-IE2-921_1-S[0-9a-f]{10}-Lu08-20310303@orar-cal$/);
  });

  it('do not change with the room, professor or end time', () => {
    const before = classUidStems('2030-2', 'IE2', [entry({})]);
    const after = classUidStems('2030-2', 'IE2', [entry({ room: 'Z9', professor: 'Other', endHour: 11 })]);
    expect(after).to.deep.equal(before);
  });

  it('differ by subgroup, subject, type, hour, spec and semester, and stay unique for repeated rows', () => {
    const stems = classUidStems('2030-2', 'IE2', rows);
    expect(new Set(stems).size).to.equal(3);
    expect(stems[2]).to.equal(`${stems[0]}-2`);
    const base = classUidStems('2030-2', 'IE2', [entry({})])[0];
    for (const other of [
      classUidStems('2030-2', 'IE2', [entry({ subject: 'T' })])[0],
      classUidStems('2030-2', 'IE2', [entry({ type: 'Curs' })])[0],
      classUidStems('2030-2', 'IE2', [entry({ startHour: 9 })])[0],
      classUidStems('2030-2', 'IE3', [entry({})])[0],
      classUidStems('2030-1', 'IE2', [entry({})])[0],
    ]) {
      expect(other).not.to.equal(base);
    }
  });
});

describe('teaching-weeks calendar', () => {
  it('has every week with its parity, the vacations and the holidays by name', async () => {
    const { weeksCalendar } = await import('../src/calendar/weeks-calendar.js');
    const { renderAllDayIcs } = await import('../src/output/ics.js');
    const rows = year.sections[0]!.tables.II!;
    const events = weeksCalendar(rows, '2030-2-romanian');
    const weeks = events.filter((e) => e.summary.startsWith('Week '));
    expect(weeks).to.have.length(14);
    expect(weeks[4]).to.include({ summary: 'Week 5 (odd)', start: '2031-03-24', end: '2031-03-29' });
    expect(weeks[7]).to.include({ summary: 'Week 8 (even)', start: '2031-04-21' });
    expect(events.find((e) => e.summary.startsWith('vacanța de Paști'))).to.include({ start: '2031-04-14', end: '2031-04-21' });
    expect(events.filter((e) => !e.summary.startsWith('Week ') && !e.summary.startsWith('vacan')).map((e) => [e.summary, e.start])).to.deep.equal([
      ['Vinerea Mare', '2031-04-11'],
      ['Ziua Muncii', '2031-05-01'],
    ]);
    const ics = renderAllDayIcs({ name: 'w', description: 'd', events, stamp: new Date('2031-02-24T00:00:00Z') });
    expect(ics).to.contain('DTSTART;VALUE=DATE:20310324\r\nDTEND;VALUE=DATE:20310329\r\n');
    expect(ics).to.contain('SUMMARY:Week 5 (odd)');
    expect(ics).to.contain('DTSTAMP:20310224T000000Z');
    expect(ics).to.contain('BEGIN:VTIMEZONE\r\nTZID:Europe/Bucharest');
  });
});

describe('publication state', () => {
  const row = (subject: string) => ({ day: 'Luni', type: 'Curs', subject, room: '2/I', professor: 'P', formation: 'X1', frequency: 'every' }) as const;
  const rowA = row('A');
  const rowB = row('B');
  const ev = (stem: string, date: string, r: ClassEvent['row'], location = '2/I'): ClassEvent => ({
    uid: eventUid(stem, date), stem, date, startHour: 8, endHour: 10, summary: `[C] ${r.subject}`, location, description: 'P', row: r,
  });
  const a = ['2031-03-03', '2031-03-10', '2031-03-17'].map((d) => ev('s-a', d, rowA));
  const b = ['2031-03-04', '2031-03-11'].map((d) => ev('s-b', d, rowB));
  // Through JSON, as data/state/ stores it.
  const stored = (state: SpecState): SpecState => readStoredState(JSON.parse(JSON.stringify(encodeState(state))))!;
  const t1 = new Date('2031-02-01T10:00:00Z');
  const t2 = new Date('2031-03-05T10:00:00Z');
  const summary = (p: Publication) =>
    Object.fromEntries([...p.files].map(([path, list]) => [path, list.map((e) => [e.uid, e.location, e.sequence, e.stamp, e.lastModified ?? null, e.cancelled ?? false])]));

  it('round-trips every live and cancelled event, with sequences and stamps', () => {
    const first = publish(null, new Map([['all.ics', [...a, ...b]], ['one.ics', a]]), t1);
    expect(first.changes).to.deep.equal([]);
    const back = stored(first.state);
    expect([...back.events.keys()].sort()).to.deep.equal([...first.state.events.keys()].sort());
    for (const [uid, e] of first.state.events) expect(back.events.get(uid)).to.deep.equal(e);

    // One class moves to another room on one date, one date of the other is dropped.
    const moved = [a[0]!, ev('s-a', '2031-03-10', rowA, 'pi'), a[2]!];
    const second = publish(back, new Map([['all.ics', [...moved, b[0]!]], ['one.ics', moved]]), t2);
    expect(second.changes.map((c) => [c.kind, c.paths])).to.deep.equal([
      ['changed', ['all.ics', 'one.ics']],
      ['cancelled', ['all.ics']],
    ]);
    const again = stored(second.state);
    expect(again.cancelled).to.deep.equal(second.state.cancelled);
    for (const path of Object.keys(second.state.calendars)) expect([...again.calendars[path]!].sort()).to.deep.equal([...second.state.calendars[path]!].sort());

    // The same timetable a third time: nothing changes, every file the same.
    const third = publish(again, new Map([['all.ics', [...moved, b[0]!]], ['one.ics', moved]]), new Date('2031-03-12T10:00:00Z'));
    expect(third.changes).to.deep.equal([]);
    expect(summary(third)).to.deep.equal(summary(second));
    expect(summary(third)['all.ics']).to.deep.include(['s-b-20310311@orar-cal', '2/I', 1, t2.toISOString(), t2.toISOString(), true]);
    expect(summary(third)['one.ics']).to.deep.include(['s-a-20310310@orar-cal', 'pi', 1, t2.toISOString(), t2.toISOString(), false]);
  });

  it('keeps each text of a UID stem as a class of its own, and reads events an earlier version kept whole', () => {
    const odd = { ...ev('s-a', '2031-03-24', rowA), summary: '[C] A (moved hall)' };
    const first = publish(null, new Map([['all.ics', [...a, odd]]]), t1);
    const encoded = encodeState(first.state);
    expect(encoded.odd).to.deep.equal([]);
    expect(encoded.classes.map(([stem, text]) => [stem, text.summary])).to.deep.equal([['s-a', '[C] A'], ['s-a', '[C] A (moved hall)']]);
    expect(decodeState(encoded).events).to.deep.equal(first.state.events);
    // The form earlier versions wrote: the odd event whole, after the live ones.
    const older = { ...encoded, classes: encoded.classes.slice(0, 1), live: encoded.live.filter(([c]) => c === 0), odd: [first.state.events.get(odd.uid)!] };
    older.calendars = { 'all.ics': [...older.live.keys(), older.live.length] };
    expect(decodeState(older).events).to.deep.equal(first.state.events);
  });

  it('reads the state the previous version stored (v1), keeping its sequences', () => {
    const t = t1.toISOString();
    const u = t2.toISOString();
    const text = { startHour: 8, endHour: 10, summary: '[C] A', location: '2/I', description: 'P', row: rowA };
    const v1 = {
      v: 1,
      stamps: [t, u],
      classes: { 's-a@orar-cal': text },
      uids: ['s-a-20310303@orar-cal', 's-a-20310310@orar-cal', 's-b-20310311@orar-cal'],
      live: [[0, 0, 0, -1], [1, 1, 1, 1]],
      odd: [],
      calendars: { 'all.ics': [0, 1, 2] },
      cancelled: { 'all.ics': [{ ...b[1]!, stem: undefined, sequence: 1, stamp: u, lastModified: u, cancelled: true }] },
    };
    const state = readStoredState(JSON.parse(JSON.stringify(v1)))!;
    const next = publish(state, new Map([['all.ics', [a[0]!, a[1]!]]]), new Date('2031-03-12T10:00:00Z'));
    expect(next.changes).to.deep.equal([]);
    expect(summary(next)['all.ics']).to.deep.equal([
      ['s-a-20310303@orar-cal', '2/I', 0, t, null, false],
      ['s-a-20310310@orar-cal', '2/I', 1, u, u, false],
      ['s-b-20310311@orar-cal', '2/I', 1, u, u, true],
    ]);
    expect(next.state.events.get('s-a-20310310@orar-cal')!.stem).to.equal('s-a');
  });

  it('reads a state it does not know as nothing published', () => {
    expect(readStoredState({ v: 9, uids: [] })).to.equal(null);
    expect(readStoredState(null)).to.equal(null);
  });
});

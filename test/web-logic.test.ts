import { expect } from 'chai';
import {
  defaultWeek, editDistance, entriesFor, entriesInWeek, layoutDay, normalize, search,
  selectionFromHash, selectionToHash, subscribeLinks, weekStatus, type Entry, type Group, type IndexJson, type LineCalendar,
} from '../src/web/logic.js';

const index: IndexJson = {
  semester: '2030-2',
  generatedAt: '2031-01-01T00:00:00Z',
  specializations: [
    { name: 'Matematica informatica - linia de studiu engleza', master: false, years: [{ year: 2, code: 'MIE2', status: 'ok' }] },
    { name: 'Informatica - in limba engleza', master: false, years: [1, 2, 3].map((y) => ({ year: y, code: `IE${y}`, status: 'ok' as const })) },
    { name: 'Informatica - linia de studiu maghiară', master: false, years: [{ year: 2, code: 'IM2', status: 'ok' }] },
  ],
};

describe('page logic: search', () => {
  it('finds a code first', () => {
    expect(search(index, 'ie2')[0]!.code).to.equal('IE2');
    expect(search(index, 'IE 2')[0]!.code).to.equal('IE2');
  });
  it('matches words and the year, preferring the name the query covers most of', () => {
    expect(search(index, 'engleza 2').map((h) => h.code)).to.deep.equal(['IE2', 'MIE2']);
    expect(search(index, 'informatica engleza 3').map((h) => h.code)).to.deep.equal(['IE3']);
  });
  it('forgives typos and missing diacritics', () => {
    expect(search(index, 'englza 1')[0]!.code).to.equal('IE1');
    expect(search(index, 'maghiara')[0]!.code).to.equal('IM2');
    expect(search(index, 'MAGHIARĂ')[0]!.code).to.equal('IM2');
    expect(search(index, 'xyz')).to.deep.equal([]);
    expect(normalize('Ștefan Ţ. Ő')).to.equal('stefan t o');
    expect(editDistance('englza', 'engleza')).to.equal(1);
    expect(editDistance('egnleza', 'engleza')).to.equal(1);
  });
});

const entry = (over: Partial<Entry>): Entry => ({
  day: 'Luni', startHour: 8, endHour: 10, frequency: 'every', room: 'A', formation: '921', type: 'Seminar',
  subject: 'S', professor: 'P', dates: [], uidStem: 'stem', ...over,
});

const group: Group = {
  name: '921',
  hasSubgroups: true,
  calendars: [],
  entries: [
    entry({ formation: 'IE2', type: 'Curs', subject: 'Web', uidStem: 'c-web' }),
    entry({ formation: '921', subject: 'Web', uidStem: 's-web' }),
    entry({ formation: '921/1', type: 'Laborator', subject: 'Web', frequency: 'odd', uidStem: 'l1-web' }),
    entry({ formation: '921/2', type: 'Laborator', subject: 'Web', frequency: 'even', uidStem: 'l2-web' }),
    entry({ formation: '921/1', type: 'Laborator', subject: 'AI', uidStem: 'l1-ai' }),
  ],
};

describe('page logic: which rows show', () => {
  it('picks the subgroup rows, the group rows and the year-wide ones', () => {
    expect(entriesFor(group, '1').map((e) => e.uidStem)).to.deep.equal(['c-web', 's-web', 'l1-web', 'l1-ai']);
    expect(entriesFor(group, '2').map((e) => e.uidStem)).to.deep.equal(['c-web', 's-web', 'l2-web']);
    expect(entriesFor(group, 'both')).to.have.length(5);
  });
  it('shows week 1 rows in odd weeks, week 2 rows in even ones', () => {
    const rows = entriesFor(group, 'both');
    expect(entriesInWeek(rows, 'odd').map((e) => e.uidStem)).to.deep.equal(['c-web', 's-web', 'l1-web', 'l1-ai']);
    expect(entriesInWeek(rows, 'even').map((e) => e.uidStem)).to.deep.equal(['c-web', 's-web', 'l2-web', 'l1-ai']);
    expect(entriesInWeek(rows, 'all')).to.have.length(5);
  });
  it('puts overlapping classes side by side', () => {
    const placed = layoutDay([entry({ startHour: 8, endHour: 10 }), entry({ startHour: 9, endHour: 11 }), entry({ startHour: 12, endHour: 14 })]);
    expect(placed.map((p) => [p.entry.startHour, p.lane, p.lanes])).to.deep.equal([[8, 0, 2], [9, 1, 2], [12, 0, 1]]);
  });
});

describe('page logic: where in the semester', () => {
  const calendar: LineCalendar = {
    weeks: [
      { number: 1, monday: '2031-02-24', parity: 'odd' },
      { number: 2, monday: '2031-03-03', parity: 'even' },
      { number: 3, monday: '2031-03-17', parity: 'odd' },
    ],
    periods: [{ start: '2031-02-24', end: '2031-03-09' }, { start: '2031-03-17', end: '2031-03-23' }],
    vacations: [{ name: 'vacanța de Paști', start: '2031-03-10', end: '2031-03-16' }],
    holidays: [],
  };
  it('knows the teaching week and its parity, vacations, before and after', () => {
    expect(weekStatus(calendar, '2031-03-05')).to.deep.equal({ kind: 'teaching', week: calendar.weeks[1] });
    expect(weekStatus(calendar, '2031-03-12')).to.deep.equal({ kind: 'vacation', name: 'vacanța de Paști', until: '2031-03-16' });
    expect(weekStatus(calendar, '2031-01-10')).to.deep.equal({ kind: 'before', starts: '2031-02-24' });
    expect(weekStatus(calendar, '2031-07-01')).to.deep.equal({ kind: 'after' });
  });
  it('defaults the week toggle to the current parity', () => {
    expect(defaultWeek(weekStatus(calendar, '2031-03-05'))).to.equal('even');
    expect(defaultWeek(weekStatus(calendar, '2031-03-18'))).to.equal('odd');
    expect(defaultWeek(weekStatus(calendar, '2031-07-01'))).to.equal('all');
  });
});

describe('page logic: subscription links', () => {
  it('builds webcal, Google and Outlook.com links from the page\'s own address', () => {
    expect(subscribeLinks('https://u.github.io/orar/IE%202/921-1.ics', 'IE2 921/1 · 2025-2')).to.deep.equal({
      https: 'https://u.github.io/orar/IE%202/921-1.ics',
      webcal: 'webcal://u.github.io/orar/IE%202/921-1.ics',
      google: 'https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fu.github.io%2Forar%2FIE%25202%2F921-1.ics',
      outlookCom: 'https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fu.github.io%2Forar%2FIE%25202%2F921-1.ics&name=IE2%20921%2F1%20%C2%B7%202025-2',
    });
  });

  it('keeps the selection in the URL', () => {
    const hash = selectionToHash({ code: 'IE2', group: '921', sub: '1', week: 'odd' });
    expect(hash).to.equal('code=IE2&group=921&sub=1&week=odd');
    expect(selectionFromHash(`#${hash}`)).to.deep.equal({ code: 'IE2', group: '921', sub: '1', week: 'odd' });
    expect(selectionFromHash('#sub=9&week=never')).to.deep.equal({ code: undefined, group: undefined, sub: undefined, week: undefined });
  });
});

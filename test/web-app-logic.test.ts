// The page-as-app rules without a browser: how the worker answers each
// request, which caches an update removes, the day a phone opens on, and
// which teacher a row's professor is.
import { expect } from 'chai';
import { openingDay, teacherFor, weekStatus, type LineCalendar } from '../src/web/logic.js';
import { ASSET_CACHE_PREFIX, DATA_CACHE, assetFromThisBuild, hostFailed, MAX_SAVED, overflow, staleCaches, strategyFor } from '../src/web/sw-logic.js';

const SCOPE = 'https://u.github.io/repo/';
const get = (url: string, mode = 'cors') => ({ url, method: 'GET', mode });

describe('service worker rules', () => {
  it('precaches the page\'s own files; the page, data and calendars go network-first; the rest is not its business', () => {
    expect(strategyFor(get(`${SCOPE}assets/app.js`), SCOPE)).to.deep.equal({ kind: 'asset' });
    expect(strategyFor(get(`${SCOPE}manifest.webmanifest`), SCOPE)).to.deep.equal({ kind: 'asset' });
    expect(strategyFor(get(`${SCOPE}data/IE2.json`), SCOPE)).to.deep.equal({ kind: 'network-first', key: `${SCOPE}data/IE2.json` });
    expect(strategyFor(get(`${SCOPE}IE%202/921-1.ics?x=1`), SCOPE)).to.deep.equal({ kind: 'network-first', key: `${SCOPE}IE%202/921-1.ics` });
    // The page, whatever its query, is one saved copy under the scope.
    expect(strategyFor(get(`${SCOPE}?source=app`, 'navigate'), SCOPE)).to.deep.equal({ kind: 'network-first', key: SCOPE });
    expect(strategyFor(get(`${SCOPE}index.html`, 'navigate'), SCOPE)).to.deep.equal({ kind: 'network-first', key: SCOPE });
    expect(strategyFor(get(`${SCOPE}sw.js`), SCOPE)).to.deep.equal({ kind: 'pass' });
    expect(strategyFor(get('https://u.github.io/other/data/index.json'), SCOPE)).to.deep.equal({ kind: 'pass' });
    expect(strategyFor(get('https://calendar.google.com/calendar/r'), SCOPE)).to.deep.equal({ kind: 'pass' });
    expect(strategyFor({ url: `${SCOPE}data/index.json`, method: 'POST', mode: 'cors' }, SCOPE)).to.deep.equal({ kind: 'pass' });
  });

  it('answers a page\'s script and style from its precache only for its own build (?v=), so a newer page never runs an older script', () => {
    expect(assetFromThisBuild('https://u.github.io/repo/assets/app.js?v=abc123', 'abc123')).to.equal(true);
    expect(assetFromThisBuild('https://u.github.io/repo/assets/app.js?v=def456', 'abc123')).to.equal(false);
    expect(assetFromThisBuild('https://u.github.io/repo/assets/icon.svg', 'abc123')).to.equal(true);
    expect(strategyFor({ url: 'https://u.github.io/repo/assets/app.js?v=def456', method: 'GET', mode: 'no-cors' }, 'https://u.github.io/repo/').kind).to.equal('asset');
  });

  it('keeps at most MAX_SAVED saved copies, dropping the oldest', () => {
    const keys = Array.from({ length: MAX_SAVED + 3 }, (_, i) => `k${i}`);
    expect(overflow(keys)).to.deep.equal(['k0', 'k1', 'k2']);
    expect(overflow(keys.slice(0, MAX_SAVED))).to.deep.equal([]);
  });

  it('takes a host\'s 5xx like no network (the saved copy is shown), never a 2xx, 3xx or 4xx', () => {
    expect([500, 502, 503, 504].map(hostFailed)).to.deep.equal([true, true, true, true]);
    expect([200, 304, 404, 410].map(hostFailed)).to.deep.equal([false, false, false, false]);
  });

  it('removes earlier builds\' precaches on activation, and nothing else', () => {
    const current = `${ASSET_CACHE_PREFIX}bbb`;
    expect(staleCaches([`${ASSET_CACHE_PREFIX}aaa`, current, DATA_CACHE, 'someone-elses-cache'], current)).to.deep.equal([`${ASSET_CACHE_PREFIX}aaa`]);
  });
});

describe('the day a phone opens on', () => {
  const calendar: LineCalendar = {
    weeks: [
      { number: 1, monday: '2031-02-24', parity: 'odd' },
      { number: 2, monday: '2031-03-03', parity: 'even' },
    ],
    periods: [{ start: '2031-02-24', end: '2031-03-09' }],
    vacations: [],
    holidays: [],
  };
  const week = ['Luni', 'Marti', 'Miercuri', 'Joi', 'Vineri'];
  const at = (today: string, days = week) => openingDay(days, today, weekStatus(calendar, today));

  it('is today in a teaching week, Saturday too when it has classes', () => {
    expect(at('2031-03-05')).to.deep.equal({ index: 2, reason: null });
    expect(at('2031-03-08', [...week, 'Sambata'])).to.deep.equal({ index: 5, reason: null });
  });

  it('is Monday on a weekend and outside teaching weeks, saying why', () => {
    expect(at('2031-03-08')).to.deep.equal({ index: 0, reason: 'Weekend: showing Monday.' });
    expect(at('2031-03-09')).to.deep.equal({ index: 0, reason: 'Weekend: showing Monday.' });
    expect(at('2031-04-02')).to.deep.equal({ index: 0, reason: 'No classes this week: showing Monday.' });
    expect(at('2031-02-01')).to.deep.equal({ index: 0, reason: 'No classes this week: showing Monday.' });
  });
});

describe('the teacher of a row', () => {
  const teachers = [
    { name: 'POPESCU Ion', titles: 'Conf. dr.', file: 'teachers/popescu-ion.ics' },
    { name: 'ION Maria', file: 'teachers/ion-maria.ics' },
  ];

  it('is the same name with or without titles, case and diacritics aside; none when nobody matches', () => {
    expect(teacherFor('Conf. dr. POPESCU Ion', teachers)?.file).to.equal('teachers/popescu-ion.ics');
    expect(teacherFor('Lect. dr. Popescu Ion', teachers)?.file).to.equal('teachers/popescu-ion.ics');
    expect(teacherFor('ION Maria', teachers)?.file).to.equal('teachers/ion-maria.ics');
    expect(teacherFor('Asist. POPESCU Ioana', teachers)).to.equal(null);
    expect(teacherFor('', teachers)).to.equal(null);
  });
});

// The custom-feed engine, pure: the token, reading published events back,
// each filter, the merge by UID, and SEQUENCE / CANCELLED passing through a
// timetable change. The site is made by the generator's own writer
// (custom-site.ts) and read from memory.
import { expect } from 'chai';
import http from 'node:http';
import { httpSiteReader, OriginError } from '../src/custom/http-reader.js';
import { subjectKey } from '../src/custom/subjects.js';
import { customFeed, NothingLeftError } from '../src/custom/feed.js';
import { readPublishedIcs } from '../src/custom/published-ics.js';
import { canonicalSelection, parseSource, sourceFlag, type Selection } from '../src/custom/selection.js';
import { ParsedFiles } from '../src/custom/site-reader.js';
import { decodeToken, encodeToken, TokenError } from '../src/custom/token.js';
import { descriptionOf, summaryOf } from '../src/calendar/events.js';
import { renderIcs } from '../src/output/ics.js';
import { customRoute } from '../src/server/custom-route.js';
import { siteHandler, type Handler } from '../src/server/site-handler.js';
import { fixtureSpecs, memoryReader, publishSite, row, veventBlocks, type FixtureSite } from './custom-site.js';
import { parseIcs } from './ical.js';

const T1 = new Date('2026-09-20T10:00:00Z');
const T2 = new Date('2026-10-01T10:00:00Z');
const IE2 = 'Informatica - in limba engleza/Year 2';

function selection(over: Partial<Selection> & Pick<Selection, 'sources'>): Selection {
  return canonicalSelection({ skipTypes: [], skipSubjects: [], labSubgroups: {}, ...over });
}

async function feedOf(site: FixtureSite, s: Selection) {
  return customFeed(new ParsedFiles(memoryReader(site.files)), s);
}

/** "[L] Programare web 921/2" for each event, sorted, with its date left out. */
function rowsOf(ics: string): string[] {
  return [...new Set(readPublishedIcs(ics).map((b) => `${b.type} ${b.subject} ${b.formation}`))].sort();
}

describe('custom feeds: the token', () => {
  const s = (over: Partial<Selection> = {}): Selection => ({
    sources: [{ code: 'IE2', group: '921', subgroup: '1' }, { code: 'mie3', group: '931', subgroup: 'all' }],
    skipTypes: ['Seminar'],
    skipSubjects: ['Topologie', 'Programare Web'],
    labSubgroups: { 'Baze de date': '2' },
    ...over,
  });

  it('is canonical: the same selection in any order, case or spelling of a subject gives the same token', () => {
    const a = encodeToken(s());
    const b = encodeToken(
      s({
        sources: [{ code: 'MIE3', group: '931', subgroup: 'all' }, { code: 'ie2', group: '921', subgroup: '1' }, { code: 'IE2', group: '921', subgroup: '1' }],
        skipTypes: ['Seminar', 'Seminar'],
        skipSubjects: ['programare   web', 'TOPOLOGIE'],
        labSubgroups: { 'BAZE  DE DATE': '2' },
      }),
    );
    expect(b).to.equal(a);
    expect(encodeToken(s({ skipTypes: [] }))).to.not.equal(a);
    expect(encodeToken(s({ labSubgroups: { 'Baze de date': '1' } }))).to.not.equal(a);
  });

  it('gives selections that mean the same the same token: a subgroup of a group taken whole, a lab choice for a skipped subject', () => {
    const base = { skipTypes: [], skipSubjects: ['Topologie'], labSubgroups: {} };
    const whole = encodeToken(canonicalSelection({ ...base, sources: [{ code: 'IE2', group: '921', subgroup: 'all' }] }));
    expect(encodeToken(canonicalSelection({ ...base, sources: [{ code: 'IE2', group: '921', subgroup: '1' }, { code: 'ie2', group: '921', subgroup: 'all' }] }))).to.equal(whole);
    expect(encodeToken(canonicalSelection({ ...base, sources: [{ code: 'IE2', group: '921', subgroup: 'all' }], labSubgroups: { topologie: '2' } }))).to.equal(whole);
  });

  it('round-trips, is URL-safe and versioned, names groups and no semester, and stays short for a typical selection', () => {
    const token = encodeToken(s());
    expect(token).to.match(/^1\.[A-Za-z0-9_-]+$/);
    expect(token.length).to.be.below(120);
    expect(decodeToken(token)).to.deep.equal(canonicalSelection(s()));
    const payload = Buffer.from(token.slice(2), 'base64url').toString('utf8');
    expect(payload).to.contain('931').and.not.contain('2026');
  });

  it('refuses malformed, damaged, non-canonical and unknown-version tokens with a one-line reason', () => {
    const good = encodeToken(s());
    const payload = (text: string): string => `1.${Buffer.from(text).toString('base64url')}`;
    const bad: [string, RegExp][] = [
      ['', /not a custom-calendar token/],
      ['abc', /not a custom-calendar token/],
      [`2.${good.slice(2)}`, /unknown token version "2"/],
      ['1.***', /not base64url/],
      [`${good}A`, /not base64url|damaged|canonical/],
      [payload('IE2\u001f921\u001f1\nS'), /wrong number of parts/],
      [payload('IE2\u001f921\u001f3\n\n\n'), /a source is not/],
      [payload('\n\n\n'), /names 0 sources/],
      [payload(`${Array.from({ length: 9 }, (_, i) => `IE2\u001f92${i}\u001fa`).join('\u001e')}\n\n\n`), /9 sources/],
      [payload('IE2\u001f921\u001f1\nX\n\n'), /unknown type letter/],
      [payload('ie2\u001f921\u001f1\n\n\n'), /not in canonical form/],
      [payload('IE2\u001f921\u001f1\nLC\n\n'), /not in canonical form/],
      [`1.${'A'.repeat(5000)}`, /longer than 4096/],
      ['1.' + Buffer.from([0xff, 0xfe]).toString('base64url'), /not UTF-8/],
    ];
    for (const [token, reason] of bad) {
      expect(() => decodeToken(token), token.slice(0, 40)).to.throw(TokenError, reason);
      try {
        decodeToken(token);
      } catch (error) {
        expect((error as Error).message).to.not.contain('\n');
      }
    }
  });

  it('reads sources as CODE:GROUP[:SUB], a group that is itself a subgroup having none', () => {
    expect(parseSource('IE2:921:1')).to.deep.equal({ code: 'IE2', group: '921', subgroup: '1' });
    expect(parseSource('MIE3:931:ALL')).to.deep.equal({ code: 'MIE3', group: '931', subgroup: 'all' });
    expect(parseSource('MaDS1:2611/1')).to.deep.equal({ code: 'MaDS1', group: '2611/1', subgroup: 'all' });
    expect(() => parseSource('IE2')).to.throw(/expected CODE:GROUP/);
  });

  it('writes a source back as --add takes it, reading back the same', () => {
    for (const text of ['IE2:921:1', 'MIE3:931', 'MaDS1:2611/1', 'IE2:921:3', 'X:a:1:all', 'X:a:2']) {
      expect(parseSource(sourceFlag(parseSource(text))), text).to.deep.equal(parseSource(text));
    }
    expect(sourceFlag(parseSource('IE2:921:3'))).to.equal('IE2:921:3');
    expect(sourceFlag(parseSource('MIE3:931:all'))).to.equal('MIE3:931');
  });
});

describe('custom feeds: the engine', () => {
  const site = publishSite(fixtureSpecs(), T1);

  it('reads type, subject and formation back from what the writer wrote (commas, semicolons, diacritics, folded lines)', () => {
    const blocks = readPublishedIcs(site.files.get(`${IE2}/921-all.ics`)!);
    expect(blocks.map((b) => `${b.type}|${b.subject}|${b.formation}`)).to.include.members([
      'Seminar|Inteligență artificială, avansat; partea I|921',
      'Laborator|Programare web|921/2',
      'Curs|Baze de date|IE2',
    ]);
    expect(blocks.every((b) => b.sequence === 0 && !b.cancelled && /@orar-cal$/.test(b.uid))).to.equal(true);
  });

  it('reads back every type and week parity the writer describes, with or without a professor, whatever the formation holds', () => {
    const events = (['Curs', 'Seminar', 'Laborator'] as const).flatMap((type) =>
      (['every', 'odd', 'even'] as const).map((frequency, i) => {
        const entry = row({ type, frequency, subject: `S; ${type}, \\ x`, formation: i === 2 ? 'a, b/1' : '921/2', professor: i === 1 ? '' : 'Prof. X' });
        return { uid: `u-${type}-${frequency}`, stem: 's', date: '2026-10-05', startHour: 8, endHour: 10, summary: summaryOf(entry), location: 'L', description: descriptionOf(entry), row: entry, sequence: 0, stamp: T1.toISOString() };
      }),
    );
    const blocks = readPublishedIcs(renderIcs({ name: 'n', description: 'd', events }));
    expect(blocks.map((b) => [b.type, b.subject, b.formation])).to.deep.equal(events.map((e) => [e.row.type, e.row.subject, e.row.formation]));
  });

  it('with no filter, a source is its group calendar: the same events byte for byte, one VTIMEZONE, its own name, CRLF', async () => {
    const feed = await feedOf(site, selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }] }));
    expect(veventBlocks(feed.text)).to.deep.equal(veventBlocks(site.files.get(`${IE2}/921-1.ics`)!));
    expect(feed.text.match(/BEGIN:VTIMEZONE/g)).to.have.length(1);
    expect(feed.text.replace(/\r\n/g, '')).to.not.contain('\n');
    expect(feed.text.endsWith('END:VCALENDAR\r\n')).to.equal(true);
    expect(feed.text).to.match(/\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\nX-PUBLISHED-TTL:PT12H\r\n/);
    const parsed = parseIcs(feed.text);
    expect(parsed.name).to.equal('IE2 921/1 · custom · 2026-1');
    expect(parsed.events[0]!.tzid).to.equal('Europe/Bucharest');
  });

  it('--skip-type leaves out that type everywhere', async () => {
    const feed = await feedOf(site, selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }], skipTypes: ['Laborator'] }));
    expect(rowsOf(feed.text)).to.deep.equal(['Curs Baze de date IE2', 'Curs Programare web IE2', 'Seminar Inteligență artificială, avansat; partea I 921', 'Seminar Programare web 921']);
  });

  it('--skip leaves out every type of a subject, matched without case or diacritics', async () => {
    const feed = await feedOf(site, selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }], skipSubjects: ['PROGRAMARE WEB', 'inteligenta artificiala, avansat; partea i'] }));
    expect(rowsOf(feed.text)).to.deep.equal(['Curs Baze de date IE2', 'Laborator Baze de date 921/1']);
  });

  it('a lab subgroup takes that subject\'s subgroup rows from the other subgroup, and only that subject\'s', async () => {
    const one = await feedOf(site, selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }], labSubgroups: { 'programare web': '2' } }));
    expect(rowsOf(one.text)).to.include('Laborator Programare web 921/2').and.include('Laborator Baze de date 921/1');
    expect(rowsOf(one.text)).to.not.include('Laborator Programare web 921/1');
    // The borrowed events are the 921/2 calendar's own bytes.
    const two = veventBlocks(site.files.get(`${IE2}/921-2.ics`)!);
    for (const block of veventBlocks(one.text).filter((b) => b.includes('921/2'))) expect(two).to.include(block);
    // From the whole group: only subgroup 2's rows of that subject.
    const all = await feedOf(site, selection({ sources: [{ code: 'IE2', group: '921', subgroup: 'all' }], labSubgroups: { 'programare web': '2' } }));
    expect(rowsOf(all.text)).to.include.members(['Laborator Programare web 921/2', 'Laborator Baze de date 921/1', 'Laborator Baze de date 921/2']);
    expect(rowsOf(all.text)).to.not.include('Laborator Programare web 921/1');
  });

  it('merges by UID: a year-wide course in two sources is one event; everything else from both', async () => {
    const feed = await feedOf(site, selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }, { code: 'IE2', group: '922', subgroup: '2' }, { code: 'MaDS1', group: '2611/1', subgroup: 'all' }] }));
    const uids = readPublishedIcs(feed.text).map((b) => b.uid);
    expect(new Set(uids).size).to.equal(uids.length);
    const expected = new Set([`${IE2}/921-1.ics`, `${IE2}/922-2.ics`, 'Stiinta datelor - in limba engleza/Year 1/2611-1.ics'].flatMap((p) => readPublishedIcs(site.files.get(p)!).map((b) => b.uid)));
    expect(new Set(uids)).to.deep.equal(expected);
    expect(uids.filter((u) => u.includes('-IE2-IE2-'))).to.have.length(6); // two courses, three dates each, once
    const starts = readPublishedIcs(feed.text).map((b) => b.start);
    expect(starts).to.deep.equal([...starts].sort());
    expect(parseIcs(feed.text).name).to.equal('IE2 921/1 + IE2 922/2 + MaDS1 2611/1 · custom · 2026-1');
  });

  it('after a timetable change, SEQUENCE, DTSTAMP, LAST-MODIFIED and STATUS:CANCELLED pass through as published', async () => {
    const specs = fixtureSpecs();
    const g921 = specs[0]!.groups[0]!;
    // A room change (SEQUENCE 1) and a lab dropped (CANCELLED).
    g921.entries = g921.entries
      .map((e) => (e.subject === 'Programare web' && e.type === 'Seminar' ? { ...e, room: 'L320' } : e))
      .filter((e) => !(e.subject === 'Baze de date' && e.formation === '921/1'));
    const after = publishSite(specs, T2, site);
    const published = veventBlocks(after.files.get(`${IE2}/921-1.ics`)!);
    const feed = await feedOf(after, selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }] }));
    expect(veventBlocks(feed.text)).to.deep.equal(published);
    const blocks = readPublishedIcs(feed.text);
    const moved = blocks.filter((b) => b.subject === 'Programare web' && b.type === 'Seminar');
    expect(moved.map((b) => b.sequence)).to.deep.equal([1, 1, 1]);
    expect(moved[0]!.text).to.contain('LAST-MODIFIED:20261001T100000Z').and.contain('DTSTAMP:20261001T100000Z');
    const gone = blocks.filter((b) => b.cancelled);
    expect(gone.map((b) => `${b.subject} ${b.formation} ${b.sequence}`)).to.deep.equal(Array(3).fill('Baze de date 921/1 1'));
    // A cancelled event is still known by its subject: skipping the subject leaves it out too.
    const skipped = await feedOf(after, selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }], skipSubjects: ['baze de date'] }));
    expect(readPublishedIcs(skipped.text).filter((b) => b.cancelled)).to.deep.equal([]);
  });

  it('names sources no longer published in X-WR-CALDESC, and gives up (no empty calendar) when none is left', async () => {
    const feed = await feedOf(site, selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }, { code: 'IE2', group: '999', subgroup: '1' }, { code: 'XX1', group: '1', subgroup: 'all' }] }));
    expect(feed.missing).to.deep.equal(['IE2 999/1 (IE2 has no group 999)', 'XX1 1 (no specialization XX1)']);
    expect(feed.text.replace(/\r\n /g, '')).to.match(/X-WR-CALDESC:.*Not published any more: IE2 999\/1 \(IE2 has no group 999\)\\; XX1 1/);
    expect(veventBlocks(feed.text)).to.have.length(veventBlocks(site.files.get(`${IE2}/921-1.ics`)!).length);
    let error: unknown;
    try {
      await feedOf(site, selection({ sources: [{ code: 'IE2', group: '999', subgroup: '1' }, { code: 'MaDS1', group: '2611/1', subgroup: '1' }] }));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(NothingLeftError);
    expect((error as NothingLeftError).missing).to.deep.equal(['IE2 999/1 (IE2 has no group 999)', 'MADS1 2611/1/1 (MaDS1 2611/1 has no subgroup 1)']);
    // IE2:921:3 reads as a group "921:3"; group 921 exists, so the subgroup is what is named.
    const wrongSub = await feedOf(site, selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }, { code: 'IE2', group: '921:3', subgroup: 'all' }] }));
    expect(wrongSub.missing).to.deep.equal(['IE2 921:3 (IE2 921 has no subgroup 3)']);
  });

  it('re-reads a file only when its version changed, and sees a regenerated site at once', async () => {
    const files = new Map(site.files);
    const reader = memoryReader(files);
    const parsed = new ParsedFiles(reader);
    const s = selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }] });
    const first = await customFeed(parsed, s);
    const reads = reader.reads.length;
    const again = await customFeed(parsed, s);
    expect(reader.reads.length).to.equal(reads);
    expect(again.etag).to.equal(first.etag);
    const specs = fixtureSpecs();
    specs[0]!.groups[0]!.entries.push({ ...specs[0]!.groups[0]!.entries[2]!, day: 'Vineri', startHour: 18, endHour: 20 });
    for (const [p, text] of publishSite(specs, T2, site).files) files.set(p, text);
    const changed = await customFeed(parsed, s);
    expect(changed.etag).to.not.equal(first.etag);
    expect(veventBlocks(changed.text).length).to.equal(veventBlocks(first.text).length + 3);
  });

  it('the route remakes a feed made while a calendar was missing once it is back; damaged JSON is the site\'s fault (503, named), never a 500', async () => {
    const files = new Map(site.files);
    const handler = siteHandler([customRoute(memoryReader(files))]);
    const token = encodeToken(selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }, { code: 'IE2', group: '922', subgroup: '1' }] }));
    const ask = (): Promise<Response> => handler(new Request(`http://x/custom/${token}.ics`));
    const whole = veventBlocks(await (await ask()).text()).length;
    const gone = `${IE2}/922-1.ics`;
    const saved = files.get(gone)!;
    files.delete(gone);
    const without = await (await ask()).text();
    expect(without.replace(/\r\n /g, '')).to.contain('Not published any more: IE2 922/1');
    files.set(gone, saved);
    expect(veventBlocks(await (await ask()).text())).to.have.length(whole);
    files.set('data/IE2.json', 'garbage{');
    const damaged = await ask();
    expect(damaged.status).to.equal(503);
    expect(await damaged.text()).to.match(/^the site's data\/IE2\.json is not valid JSON \(.*\): regenerate the site\n?$/);
  });

  it('refuses a selection that skips every type (it could hold no class): a usage error, and a token that says so is bad', () => {
    expect(() => selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }], skipTypes: ['Curs', 'Seminar', 'Laborator'] })).to.throw(/skipping every type/);
  });

  it('never answers an empty calendar: a source file that is not a calendar is a missing source, filters that leave nothing are no feed', async () => {
    const files = new Map(site.files);
    files.set(`${IE2}/922-1.ics`, '<html>Not Found</html>');
    const reader = new ParsedFiles(memoryReader(files));
    const both = selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }, { code: 'IE2', group: '922', subgroup: '1' }] });
    const feed = await customFeed(reader, both);
    expect(feed.missing).to.deep.equal(['IE2 922/1 (its calendar is not published)']);
    files.set(`${IE2}/921-1.ics`, '');
    let error: unknown;
    await customFeed(reader, both).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(NothingLeftError);
    const subjects = ['Baze de date', 'Inteligență artificială, avansat; partea I', 'Programare web'];
    error = undefined;
    await feedOf(site, selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }], skipSubjects: subjects })).catch((e: unknown) => (error = e));
    expect((error as Error).message).to.match(/the filters leave no class/);
  });

  it('a subject key is its own key, so every token made is read back (a combining mark at an end)', () => {
    for (const subject of ['x \u0301', '\u0301 y', 'Programare  Web ']) {
      expect(subjectKey(subjectKey(subject))).to.equal(subjectKey(subject));
      const token = encodeToken(selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }], skipSubjects: [subject], labSubgroups: { [subject]: '2' } }));
      expect(encodeToken(decodeToken(token))).to.equal(token);
    }
  });

  it('gives up on a site URL that never answers (the CLI exits 3, the Worker answers 502)', async () => {
    const hanging = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const reader = httpSiteReader(`http://127.0.0.1:${(hanging.address() as { port: number }).port}/`, fetch, 200);
      let error: unknown;
      await reader.readText('data/index.json').catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(OriginError);
      expect((error as Error).message).to.match(/data\/index\.json: no answer within 0\.2 s$/);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });

  it("names fetch()'s refusal of another protocol's port (a site URL on port 9), and what to do", async () => {
    let error: unknown;
    await httpSiteReader('http://127.0.0.1:9/').readText('data/index.json').catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(OriginError);
    expect((error as Error).message).to.equal('http://127.0.0.1:9/data/index.json: cannot be reached (fetch() refuses that port: it belongs to another protocol; serve the site on another one)');
  });

  it('the route checks the site on every request by default, and with recheckMs only once that long has passed', async () => {
    const files = new Map(site.files);
    let clock = 0;
    const token = encodeToken(selection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }] }));
    const ask = async (handler: Handler): Promise<string> => (await handler(new Request(`http://x/custom/${token}.ics`))).headers.get('etag')!;
    const everyTime = siteHandler([customRoute(memoryReader(files))]);
    const perSecond = siteHandler([customRoute(memoryReader(files), { recheckMs: 1000, now: () => clock })]);
    const [before, beforePerSecond] = [await ask(everyTime), await ask(perSecond)];
    const specs = fixtureSpecs();
    specs[0]!.groups[0]!.entries.push({ ...specs[0]!.groups[0]!.entries[2]!, day: 'Vineri', startHour: 18, endHour: 20 });
    for (const [p, text] of publishSite(specs, T2, site).files) files.set(p, text);
    expect(await ask(everyTime)).to.not.equal(before);
    clock = 999;
    expect(await ask(perSecond)).to.equal(beforePerSecond);
    clock = 1000;
    expect(await ask(perSecond)).to.not.equal(beforePerSecond);
  });
});

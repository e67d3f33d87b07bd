// Calendars that evolve: run, change the timetable (a room, an hour, a
// dropped row, a new row), run again, and read the calendars back with a
// real iCalendar parser.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { encodeIso88592, renderTimetablePage } from '../src/demo/pages.js';
import { startPageServer } from '../src/demo/server.js';
import { runInProcess } from './cli-run.js';
import { DEFAULT_SPECS, SCHEDULE_ROOT_PATH, facultyPages, facultyArgs } from './faculty.js';

interface Vevent {
  uid: string;
  summary: string;
  start: string;
  sequence: number;
  status: string | null;
  dtstamp: string;
  lastModified: string | null;
  text: string;
}

function events(ics: string): Vevent[] {
  const root = new ICAL.Component(ICAL.parse(ics));
  const blocks = ics.split('BEGIN:VEVENT\r\n').slice(1).map((b) => `BEGIN:VEVENT\r\n${b.slice(0, b.indexOf('END:VEVENT\r\n'))}END:VEVENT\r\n`);
  return root.getAllSubcomponents('vevent').map((v, i) => ({
    uid: String(v.getFirstPropertyValue('uid')),
    summary: String(v.getFirstPropertyValue('summary')),
    start: String(v.getFirstPropertyValue('dtstart')),
    sequence: Number(v.getFirstPropertyValue('sequence')),
    status: (v.getFirstPropertyValue('status') as string | null) ?? null,
    dtstamp: String(v.getFirstPropertyValue('dtstamp')),
    lastModified: v.getFirstPropertyValue('last-modified') ? String(v.getFirstPropertyValue('last-modified')) : null,
    text: blocks[i]!,
  }));
}

describe('calendars that evolve (built program, loopback server)', function () {
  this.timeout(60000);
  const ALL = 'Fizica - linia de studiu romana/Year 1/101-all.ics';

  /** What the site held after each of the three runs; every `it` reads it, none changes it. */
  interface AfterRun {
    all: string;
    changes: { runs: { specs: { code: string; groups: { group: string; changed: { kind: string; text: string; before: { room: string }; after: { room: string } }[]; cancelled: { text: string }[]; added: { text: string }[] }[] }[] }[] };
    build: { generatedAt: string; writes: { written: number } };
    feeds: string[];
    file: (rel: string) => string;
    allMtimeMs: number;
  }
  let first: AfterRun;
  let second: AfterRun;
  let third: AfterRun;

  // The scenario runs once: a first publication, a changed page, a run with no change.
  before(async () => {
    const pages = facultyPages();
    const server = await startPageServer((p) => pages.get(p));
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-evolve-'));
    const out = path.join(parent, 'site');
    const file = (rel: string) => fs.readFileSync(path.join(out, rel), 'utf8');
    const runOnce = async (): Promise<AfterRun> => {
      const result = await runInProcess(facultyArgs(server.origin, out, path.join(parent, 'cache')));
      expect(result.code, result.stderr).to.equal(0);
      const snapshot = new Map<string, string>();
      const read = (rel: string): string => {
        if (!snapshot.has(rel)) snapshot.set(rel, file(rel));
        return snapshot.get(rel)!;
      };
      for (const rel of [ALL, 'index.html', 'weeks-romanian.ics', 'weeks-hungarian.ics', 'weeks-german.ics', 'weeks-romanian-final.ics']) read(rel);
      const feeds = fs.existsSync(path.join(out, 'feeds')) ? fs.readdirSync(path.join(out, 'feeds')).sort() : [];
      for (const feed of feeds) read(`feeds/${feed}`);
      return {
        all: read(ALL),
        changes: JSON.parse(file('data/changes.json')),
        build: JSON.parse(file('data/build.json')),
        feeds,
        file: (rel) => snapshot.get(rel) ?? expect.fail(`${rel} was not kept`),
        allMtimeMs: fs.statSync(path.join(out, ALL)).mtimeMs,
      };
    };
    try {
      first = await runOnce();
      const spec = DEFAULT_SPECS[0]!;
      const rows = spec.groups[0]!.rows;
      const changed = [
        { ...rows[0]!, hours: '14-16' }, // the course moves to another hour
        rows[1]!, // lab 101/1 untouched
        // lab 101/2 dropped
        { ...rows[3]!, room: 'L001' }, // the seminar moves rooms
        { ...rows[3]!, day: 'Vineri', hours: '10-12', room: 'C310', subject: 'Seminar nou' }, // a new row
      ];
      pages.set(`${SCHEDULE_ROOT_PATH}/2030-2/tabelar/RO1.html`, {
        body: encodeIso88592(renderTimetablePage(`Anul 1 ${spec.name}`, [{ group: '101', rows: changed }])),
        contentType: 'text/html',
      });
      second = await runOnce();
      third = await runOnce();
    } finally {
      await server.close();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  it('first publication: every event at SEQUENCE 0, refreshed twice a day, nothing reported as changed', () => {
    const ics = first.all;
    expect(ics).to.contain('REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n');
    expect(ics).to.contain('X-PUBLISHED-TTL:PT12H\r\n');
    expect(ics).to.match(/X-WR-CALNAME:RO1 101 \(all\) · 2030-2\r\n/);
    expect(ics.replace(/\r\n /g, '')).to.match(/X-WR-CALDESC:Fizica - linia de studiu romana, year 1, group 101 \(all\), semester 2030-2\. First published \d{4}-\d\d-\d\d\./);
    expect(events(ics).every((e) => e.sequence === 0 && e.status === null && e.lastModified === null)).to.equal(true);
    expect(first.changes).to.deep.equal({ runs: [] });
    expect(first.feeds).to.deep.equal([]);
    // The teaching-weeks calendars: one per study line, and for final years in semester II.
    for (const line of ['romanian', 'hungarian', 'german', 'romanian-final']) expect(first.file(`weeks-${line}.ics`)).to.contain('SUMMARY:Week 1 (odd)');
    expect(first.file('index.html')).to.contain('href="weeks-romanian.ics"');
  });

  it('after a change: same bytes for unchanged events, SEQUENCE+1 for changed, CANCELLED for gone, 0 for new', () => {
    const before = events(first.all);
    const after = events(second.all);
    const runAt = second.build.generatedAt.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
    const stampOf = (e: Vevent) => e.dtstamp.replace(/[-:]/g, '');

    const byUid = new Map(before.map((e) => [e.uid, e]));
    const labOne = after.filter((e) => e.summary === '[L] Observatii' && e.status === null);
    expect(labOne).to.have.length(7);
    for (const e of labOne) expect(e.text).to.equal(byUid.get(e.uid)!.text);

    const seminar = after.filter((e) => e.summary === '[S] Seminar de baza');
    expect(seminar).to.have.length(13);
    for (const e of seminar) {
      expect(e.sequence).to.equal(1);
      expect(e.status).to.equal(null);
      expect(stampOf(e)).to.equal(runAt);
      expect(e.lastModified!.replace(/[-:]/g, '')).to.equal(runAt);
      expect(byUid.has(e.uid)).to.equal(true);
    }

    const cancelled = after.filter((e) => e.status === 'CANCELLED');
    const oldCourse = before.filter((e) => e.summary === '[C] Curs RO1');
    const oldLabTwo = before.filter((e) => e.summary === '[L] Observatii' && /101_2/.test(e.uid));
    expect(cancelled.map((e) => e.uid).sort()).to.deep.equal([...oldCourse, ...oldLabTwo].map((e) => e.uid).sort());
    expect(cancelled.every((e) => e.sequence === 1 && stampOf(e) === runAt)).to.equal(true);

    const added = after.filter((e) => !byUid.has(e.uid));
    expect(new Set(added.map((e) => e.summary))).to.deep.equal(new Set(['[C] Curs RO1', '[S] Seminar nou']));
    expect(added.every((e) => e.sequence === 0 && e.status === null)).to.equal(true);
    expect(added.filter((e) => e.summary === '[C] Curs RO1').every((e) => e.start.endsWith('T14:00:00'))).to.equal(true);
  });

  it('says what changed, in data/changes.json and the Atom feed: exactly those four changes', () => {
    const changes = second.changes;
    expect(changes.runs).to.have.length(1);
    const [spec] = changes.runs[0]!.specs;
    expect(spec!.code).to.equal('RO1');
    expect(spec!.groups).to.have.length(1);
    const group = spec!.groups[0]!;
    expect(group.group).to.equal('101');
    const texts = [...group.changed, ...group.cancelled, ...group.added].map((c) => c.text).sort();
    expect(texts).to.deep.equal([
      'Cancelled: Tuesday 10-12 Observatii (lab, 101/2), from week 2',
      'Monday 8-10 Curs RO1 (course, RO1) moved to Monday 14-16, from week 1',
      'New: Friday 10-12 Seminar nou (seminar, 101) in C310, from week 1',
      'Thursday 12-14 Seminar de baza (seminar, 101) moved from 2/I to L001, from week 1',
    ]);
    expect(group.changed.find((c) => c.kind === 'changed')!.before.room).to.equal('2/I');
    expect(group.changed.find((c) => c.kind === 'changed')!.after.room).to.equal('L001');
    expect(second.feeds).to.deep.equal(['RO1.atom']);
    const atom = second.file('feeds/RO1.atom');
    expect(atom.match(/<entry>/g)).to.have.length(1);
    for (const t of texts) expect(atom).to.contain(t.replace(/&/g, '&amp;'));
    expect(second.all.replace(/\r\n /g, '')).to.match(/Timetable last changed \d{4}-\d\d-\d\d\./);
    expect(second.file('index.html')).to.match(/changed on \d{4}-\d\d-\d\d · <a href="feeds\/RO1\.atom">changes \(Atom\)<\/a>/);
  });

  it('a third run with no change rewrites nothing', () => {
    expect(third.build.writes.written).to.equal(0);
    expect(third.allMtimeMs).to.equal(second.allMtimeMs);
    expect(events(third.all).map((e) => e.text)).to.deep.equal(events(second.all).map((e) => e.text));
    expect(third.changes.runs).to.have.length(1);
  });
});

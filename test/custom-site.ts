// A small published site for the custom-feed tests, made with the
// generator's own pieces (UIDs, selection of rows per calendar, publication
// with SEQUENCE and CANCELLED, the .ics writer, the JSON builders), so the
// engine reads exactly what a run publishes. Invented timetable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildEvents, type ClassEvent, type DatedEntry } from '../src/calendar/events.js';
import { publish, type SpecState } from '../src/calendar/publication.js';
import { selectCalendars } from '../src/calendar/selection.js';
import { classUidStems } from '../src/calendar/uid.js';
import type { SiteReader } from '../src/custom/site-reader.js';
import type { Entry } from '../src/model.js';
import { renderIcs } from '../src/output/ics.js';
import { groupJson, indexJson, toJson, type GroupJson, type SpecJson } from '../src/output/json.js';
import { specPaths } from '../src/output/paths.js';

export const SEMESTER = '2026-1';
const DATES = ['2026-10-05', '2026-10-12', '2026-10-19'];

export interface FixtureSpec {
  code: string;
  name: string;
  year: number;
  groups: { name: string; entries: Entry[] }[];
}

export function row(over: Partial<Entry> & Pick<Entry, 'subject' | 'formation' | 'type'>): Entry {
  return { day: 'Luni', startHour: 8, endHour: 10, frequency: 'every', room: 'C310', professor: 'Prof. POPESCU Ion', ...over };
}

/** IE2 (groups 921 and 922 with subgroups, a year-wide course) and MaDS1 (group 2611/1, no subgroups). */
export function fixtureSpecs(): FixtureSpec[] {
  const yearWide = [
    row({ subject: 'Programare web', type: 'Curs', formation: 'IE2', day: 'Luni', startHour: 8 }),
    row({ subject: 'Baze de date', type: 'Curs', formation: 'IE2', day: 'Marti', startHour: 10 }),
  ];
  const group = (g: string, hour: number): Entry[] => [
    ...yearWide,
    row({ subject: 'Programare web', type: 'Seminar', formation: g, day: 'Miercuri', startHour: hour }),
    row({ subject: 'Programare web', type: 'Laborator', formation: `${g}/1`, day: 'Joi', startHour: hour }),
    row({ subject: 'Programare web', type: 'Laborator', formation: `${g}/2`, day: 'Joi', startHour: hour + 2 }),
    row({ subject: 'Baze de date', type: 'Laborator', formation: `${g}/1`, day: 'Vineri', startHour: hour }),
    row({ subject: 'Baze de date', type: 'Laborator', formation: `${g}/2`, day: 'Vineri', startHour: hour + 2 }),
    row({ subject: 'Inteligență artificială, avansat; partea I', type: 'Seminar', formation: g, day: 'Marti', startHour: 14, room: 'L001' }),
  ];
  return [
    { code: 'IE2', name: 'Informatica - in limba engleza', year: 2, groups: [{ name: '921', entries: group('921', 8) }, { name: '922', entries: group('922', 12) }] },
    {
      code: 'MaDS1',
      name: 'Stiinta datelor - in limba engleza',
      year: 1,
      groups: [{ name: '2611/1', entries: [row({ subject: 'Statistica', type: 'Curs', formation: 'MaDS1', day: 'Sambata' }), row({ subject: 'Statistica', type: 'Laborator', formation: '2611/1', day: 'Sambata', startHour: 10 })] }],
    },
  ];
}

export interface FixtureSite {
  /** Site path -> text. */
  files: Map<string, string>;
  /** What each spec published, for the next run. */
  states: Map<string, SpecState>;
}

/** The site a run would publish for these specs, after `previous` (a run before it) if given. */
export function publishSite(specs: readonly FixtureSpec[], now: Date, previous?: FixtureSite): FixtureSite {
  const files = new Map<string, string>();
  const states = new Map<string, SpecState>();
  const paths = specPaths(specs);
  for (const spec of specs) {
    const where = paths.get(spec.code)!;
    const next = new Map<string, ClassEvent[]>();
    const layout: { name: string; dated: DatedEntry[]; calendars: { subgroup: string | null; label: string; path: string }[] }[] = [];
    for (const table of spec.groups) {
      const stems = classUidStems(SEMESTER, spec.code, table.entries);
      const dated = table.entries.map((entry, i) => ({ entry, uidStem: stems[i]!, dates: DATES }));
      const datedOf = new Map(dated.map((d) => [d.entry, d]));
      const calendars = selectCalendars({ group: table.name, entries: table.entries }).map((selection) => {
        const file = `${where.folder}/${selection.baseName}.ics`;
        next.set(file, buildEvents(selection.entries.map((e) => datedOf.get(e)!), {}));
        return { subgroup: selection.subgroup, label: selection.label, path: file };
      });
      layout.push({ name: table.name, dated, calendars });
    }
    const publication = publish(previous?.states.get(spec.code) ?? null, next, now);
    states.set(spec.code, publication.state);
    const groups: GroupJson[] = layout.map(({ name, dated, calendars }) => {
      const listed = calendars.map((c) => {
        const events = publication.files.get(c.path)!;
        files.set(c.path, renderIcs({ name: `${spec.code} ${c.label} · ${SEMESTER}`, description: `${spec.name}, ${c.label}`, events }));
        return { ...c, events: events.length };
      });
      return groupJson(name, !name.includes('/'), listed, dated);
    });
    const json: SpecJson = { code: spec.code, name: spec.name, year: spec.year, master: false, studyLine: 'romanian', finalYear: false, semester: SEMESTER, updatedAt: now.toISOString(), inputsHash: 'x', groups };
    files.set(where.data, toJson(json));
  }
  files.set('data/index.json', toJson(indexJson(SEMESTER, now.toISOString(), specs.map((s) => ({ code: s.code, name: s.name, year: s.year, master: false, status: 'ok' as const })))));
  files.set('index.html', '<!doctype html><title>fixture</title>');
  return { files, states };
}

/** A SiteReader over a map of files; a file's version is its text's length and a counter bumped on every change. */
export function memoryReader(files: Map<string, string>): SiteReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async readText(sitePath, knownVersion) {
      const text = files.get(sitePath);
      if (text === undefined) return null;
      const version = `${text.length}:${hash(text)}`;
      if (version === knownVersion) return { version };
      reads.push(sitePath);
      return { version, text };
    },
  };
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** Writes the site into a new temporary folder; returns its path. */
export function writeSite(site: FixtureSite, root = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-custom-'))): string {
  for (const [file, text] of site.files) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** The VEVENT blocks of a calendar, as written. */
export function veventBlocks(ics: string): string[] {
  return ics.split('BEGIN:VEVENT\r\n').slice(1).map((b) => `BEGIN:VEVENT\r\n${b.slice(0, b.indexOf('END:VEVENT\r\n'))}END:VEVENT\r\n`);
}

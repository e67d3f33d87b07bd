// A small faculty for pipeline and end-to-end tests: a few specs across the
// three study lines, served as path -> bytes like the real servers.
import { encodeIso88592, renderIndexPage, renderLegendPage, renderTimetablePage, type RawRow } from '../src/demo/pages.js';
import { fixtureBytes } from './helpers.js';

export const SEMESTER = '2030-2';
export const SCHEDULE_ROOT_PATH = '/files/orar';
export const CALENDAR_PATH = '/ro/structura_anului_universitar';

export interface TestSpec {
  code: string;
  name: string;
  year: number;
  groups: { group: string; rows: RawRow[] }[];
}

const row = (over: Partial<RawRow>): RawRow => ({
  day: 'Luni', hours: '8-10', frequency: '', room: '2/I', formation: 'X', type: 'Curs',
  subject: 'Mecanica', professor: 'Prof. PÂRVULESCU Ana', ...over,
});

export function testSpec(code: string, name: string, year: number): TestSpec {
  const g = `${year}01`;
  return {
    code,
    name,
    year,
    groups: [
      {
        group: g,
        rows: [
          row({ formation: code, subject: `Curs ${code}` }),
          row({ day: 'Marti', hours: '10-12', frequency: 'sapt. 1', room: 'pi', formation: `${g}/1`, type: 'Laborator', subject: 'Observatii', professor: 'Asist. KOVÁCS Tamás' }),
          row({ day: 'Marti', hours: '10-12', frequency: 'sapt. 2', room: 'pi', formation: `${g}/2`, type: 'Laborator', subject: 'Observatii', professor: 'Asist. KOVÁCS Tamás' }),
          row({ day: 'Joi', hours: '12-14', formation: g, type: 'Seminar', subject: 'Seminar de baza' }),
        ],
      },
    ],
  };
}

export const DEFAULT_SPECS: TestSpec[] = [
  testSpec('RO1', 'Fizica - linia de studiu romana', 1),
  testSpec('RO3', 'Fizica - linia de studiu romana', 3),
  testSpec('HU1', 'Fizica - linia de studiu maghiara', 1),
  testSpec('DE2', 'Fizica - in limba germana', 2),
];

export interface Served {
  body: Buffer;
  contentType: string;
}

/** Every page of the faculty, by URL path. */
export function facultyPages(specs: TestSpec[] = DEFAULT_SPECS, options: { duplicate?: string } = {}): Map<string, Served> {
  const byName = new Map<string, (string | null)[]>();
  for (const s of specs) {
    const codes = byName.get(s.name) ?? [null, null, null, null];
    codes[s.year - 1] = s.code;
    byName.set(s.name, codes);
  }
  const rows = [...byName.entries()].map(([name, codes]) => ({ name, codes }));
  if (options.duplicate) rows.push({ name: 'Listat de doua ori', codes: [options.duplicate] });
  const base = `${SCHEDULE_ROOT_PATH}/${SEMESTER}`;
  const html = (text: string): Served => ({ body: encodeIso88592(text), contentType: 'text/html' });
  const pages = new Map<string, Served>([
    [`${base}/tabelar/index.html`, html(renderIndexPage(rows, []))],
    [`${base}/sali/legenda.html`, html(renderLegendPage({ '2/I': 'Cladirea Centrala, Etaj 1', pi: 'Observator' }))],
    [CALENDAR_PATH, { body: fixtureBytes('academic-year.html'), contentType: 'text/html; charset=utf-8' }],
  ]);
  for (const s of specs) {
    pages.set(`${base}/tabelar/${s.code}.html`, html(renderTimetablePage(`Anul ${s.year} ${s.name}`, s.groups)));
  }
  return pages;
}

/** The generator's flags for a run against this faculty served at `origin`. */
export function facultyArgs(origin: string, out: string, cacheDir: string): string[] {
  return ['--semester', SEMESTER, '--schedule-root', `${origin}${SCHEDULE_ROOT_PATH}`, '--calendar-url', `${origin}${CALENDAR_PATH}`, '--out', out, '--cache-dir', cacheDir];
}

// The sample faculty: a seeded, invented faculty in the real page format, so
// a newcomer can run the whole program offline and the benchmark has a
// realistic load. Content is made up; the shapes are the real ones: an index
// with a bachelor's and a master's table, pages of 1-7 groups and 10-300
// rows, subgroups, year-wide rows, "sapt. 1/2", 1-, 2- and 3-hour slots,
// four-digit groups, groups named like "263/1", a group whose every row is
// year-wide, rooms like 2/I, pi and neprecizat, names with Romanian and
// Hungarian letters, a room legend and an academic-year page.
import { formatSemester } from '../calendar/semester.js';
import type { Semester } from '../model.js';
import {
  encodeIso88592,
  renderAcademicPage,
  renderIndexPage,
  renderLegendPage,
  renderTimetablePage,
  type AcademicRow,
  type AcademicSection,
  type IndexRow,
  type RawRow,
} from './pages.js';
import type { ServedPage } from './server.js';

export const DEMO_SCHEDULE_PATH = '/files/orar';
export const DEMO_CALENDAR_PATH = '/ro/studenti/invatamant/structura_anului_universitar';

export interface DemoOptions {
  semester: Semester;
  seed?: number;
  /** Multiplies the number of specializations (for scaling runs). */
  scale?: number;
}

interface Programme {
  code: string;
  name: string;
  /** Years with a page (a programme may not have all years running). */
  years: number[];
  master: boolean;
  /** First digits of its group numbers. */
  groupPrefix: string;
  maxGroups: number;
  /** Groups are named like "263/1" (one file each). */
  namedSubgroups?: boolean;
  /** Every row of every group is year-wide. */
  yearWideOnly?: boolean;
}

const BACHELOR: Programme[] = [
  { code: 'M', name: 'Matematica - linia de studiu romana', years: [1, 2, 3], master: false, groupPrefix: '1', maxGroups: 2 },
  { code: 'I', name: 'Informatica - linia de studiu romana', years: [1, 2, 3], master: false, groupPrefix: '2', maxGroups: 7 },
  { code: 'MI', name: 'Matematica informatica - linia de studiu romana', years: [1, 2, 3], master: false, groupPrefix: '3', maxGroups: 3 },
  { code: 'MIE', name: 'Matematica informatica - linia de studiu engleza', years: [1, 2, 3], master: false, groupPrefix: '8', maxGroups: 2 },
  { code: 'MM', name: 'Matematica - linia de studiu maghiara', years: [1, 2, 3], master: false, groupPrefix: '4', maxGroups: 1 },
  { code: 'IM', name: 'Informatica - linia de studiu maghiara', years: [1, 2, 3], master: false, groupPrefix: '5', maxGroups: 4 },
  { code: 'IIM', name: 'Ingineria Informatiei in limba maghiara', years: [1, 2, 3], master: false, groupPrefix: '14', maxGroups: 1 },
  { code: 'IG', name: 'Informatica - in limba germana', years: [1, 2, 3], master: false, groupPrefix: '7', maxGroups: 3 },
  { code: 'IE', name: 'Informatica - in limba engleza', years: [1, 2, 3], master: false, groupPrefix: '9', maxGroups: 7 },
  { code: 'IA', name: 'Inteligenta Artificiala in limba engleza', years: [1, 2, 3], master: false, groupPrefix: '10', maxGroups: 2 },
];

const MASTER: Programme[] = [
  { code: 'MaIS', name: 'Inginerie software - in limba engleza', years: [1, 2], master: true, groupPrefix: '25', maxGroups: 2 },
  { code: 'MaBD', name: 'Baze de date', years: [1, 2], master: true, groupPrefix: '24', maxGroups: 1, yearWideOnly: true },
  { code: 'MaDS', name: 'Stiinta datelor - in limba engleza', years: [1, 2], master: true, groupPrefix: '26', maxGroups: 2, namedSubgroups: true },
  { code: 'MaMD', name: 'Metode moderne in predarea matematicii - in limba maghiara', years: [1, 2], master: true, groupPrefix: '27', maxGroups: 1 },
  { code: 'MaSIA', name: 'Sisteme informatice avansate - germana si engleza', years: [1, 2], master: true, groupPrefix: '28', maxGroups: 1 },
];

const SUBJECTS = [
  'Algebra liniara', 'Analiza matematica', 'Logica computationala', 'Structuri de date si algoritmi', 'Programare orientata obiect',
  'Baze de date', 'Sisteme de operare', 'Retele de calculatoare', 'Ingineria sistemelor soft', 'Programare Web',
  'Inteligenta artificiala', 'Probabilitati si statistica', 'Geometrie analitica', 'Ecuatii diferentiale', 'Calcul numeric',
  'Grafica pe calculator', 'Securitatea informatiei', 'Invatare automata', 'Compilatoare', 'Programare functionala',
  'Topologie', 'Teoria grafurilor', 'Metode de optimizare', 'Sisteme distribuite', 'Didactica informaticii',
  'Limba engleza', 'Procesarea imaginilor', 'Cercetari operationale', 'Mecanica teoretica', 'Analiza complexa',
];

const PROFESSORS = [
  'Prof. PÂRVULESCU Ioana', 'Conf. TÓTH Zsófia', 'Lect. ŞERBAN Andrei', 'Lect. KOVÁCS Tamás', 'Asist. MUREŞAN Ţiberiu',
  'Prof. NAGY Ödön', 'Conf. BĂLAN Cristina', 'Lect. SZŐKE Ferenc', 'Drd. ÎNCEU Radu', 'C.d.asociat WEIß Anna',
  'Lect. POPESCU Mihai', 'Asist. FÜLÖP Réka', 'Conf. DRĂGAN Elena', 'Lect. MOLNÁR Gábor', '- Necunoscut',
];

const ROOMS: Record<string, string | null> = {
  '2/I': 'Cladirea Centrala, Etaj 1 (str. Exemplului nr. 1)',
  '5/I': 'Cladirea Centrala, Etaj 1',
  '6/II': 'Cladirea Centrala, Etaj 2',
  '7/I': null,
  pi: 'Corpul Matematica, parter (str. Ploiesti nr. 1)',
  gamma: 'Corpul Matematica, etaj 1',
  neprecizat: null,
  L001: 'Corpul Laboratoare, parter',
  L320: 'Corpul Laboratoare, etaj 3',
  L439: null,
  C310: null,
  C512: 'Corpul Central, etaj 5',
  A310: null,
  'MOS-S16': 'Cladirea Mosilor, subsol',
};
const ROOM_CODES = Object.keys(ROOMS);

/**
 * Given names for the surnames above: a teacher is a surname and a given
 * name, the given name fixed per programme copy and subject, so the faculty
 * has ~200 teachers, each with a handful of classes a week, as the real one
 * (and a copy of the faculty has teachers of its own).
 */
const GIVEN_NAMES = ['Ioana', 'Andrei', 'Zsófia', 'Tamás', 'Elena', 'Mihai', 'Réka', 'Radu', 'Cristina', 'Gábor', 'Ştefan', 'Anna', 'Ferenc', 'Maria', 'Ödön', 'Teodora'];

/** Rooms per legend entry (`L001`, `L001-1`, ...): ~150 rooms a copy of the faculty, each a few dozen classes a week. */
const ROOMS_PER_ENTRY = 12;

/** The teacher of a row, from the title and surname picked for it. */
function demoTeacher(picked: string, spec: DemoSpec, subject: string): string {
  if (picked.startsWith('-')) return picked;
  const [title, surname] = picked.split(' ');
  const given = GIVEN_NAMES[seedOf(`${spec.programme.code}|${spec.copy}|${subject}`, 7) % GIVEN_NAMES.length]!;
  return `${title} ${surname} ${given}${spec.copy > 0 ? ` ${spec.copy}` : ''}`;
}

/** A room of the legend entry picked for a row; a copy of the faculty has rooms of its own. */
function demoRoom(picked: string, spec: DemoSpec, key: string): string {
  if (picked === 'neprecizat') return picked;
  return roomName(picked, seedOf(`${spec.code}|${key}`, 11) % ROOMS_PER_ENTRY, spec.copy);
}

function roomName(code: string, n: number, copy: number): string {
  return `${code}${n > 0 ? `-${n}` : ''}${copy > 0 ? `.${copy}` : ''}`;
}

/** mulberry32: small, fast and reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string, seed: number): number {
  let h = seed ^ 0x9e3779b9;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

interface DemoSpec {
  programme: Programme;
  code: string;
  name: string;
  year: number;
  copy: number;
}

/** The specializations of the faculty, K times over with --scale K. */
function demoSpecs(scale: number): DemoSpec[] {
  const specs: DemoSpec[] = [];
  for (let copy = 0; copy < scale; copy++) {
    for (const programme of [...BACHELOR, ...MASTER]) {
      const code = copy === 0 ? programme.code : `${programme.code}X${copy}`;
      const name = copy === 0 ? programme.name : `${programme.name} (copia ${copy})`;
      for (const year of programme.years) specs.push({ programme, code: `${code}${year}`, name, year, copy });
    }
  }
  return specs;
}

const DAYS = ['Luni', 'Marti', 'Miercuri', 'Joi', 'Vineri'];
const SLOTS = ['8-10', '10-12', '12-14', '14-16', '16-18', '18-20'];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

/** One page's groups and rows, generated from the spec's own seed. */
function demoTimetable(spec: DemoSpec, seed: number): { group: string; rows: RawRow[] }[] {
  const random = rng(seedOf(spec.code, seed));
  const p = spec.programme;
  const groupCount = Math.max(1, p.maxGroups - Math.floor(random() * 2));
  const groups = Array.from({ length: groupCount }, (_, i) => {
    const base = `${p.groupPrefix}${spec.year}${i + 1}`;
    return p.namedSubgroups ? [`${base}/1`, `${base}/2`] : [base];
  }).flat();
  // Bigger programmes teach more subjects: pages run from ~10 to ~300 rows.
  const subjectCount = p.maxGroups >= 4 ? 6 + Math.floor(random() * 4) : 4 + Math.floor(random() * 4);
  const subjects = [...new Set(Array.from({ length: subjectCount }, () => pick(random, SUBJECTS)))];
  const slot = (): string => {
    const r = random();
    if (r < 0.06) return pick(random, ['10-11', '11-12', '8-9', '19-20']);
    if (r < 0.1) return pick(random, ['16-19', '8-11', '12-15']);
    return pick(random, SLOTS);
  };
  const row = (formation: string, type: string, subject: string, frequency = ''): RawRow => {
    // The same calls to `random`, in the same order, whatever the names: the timetable's shape stays.
    const day = random() < 0.02 ? 'Sambata' : pick(random, DAYS);
    const hours = slot();
    const room = demoRoom(pick(random, ROOM_CODES), spec, `${formation}|${type}|${subject}|${day}|${hours}`);
    return { day, hours, frequency, room, formation, type, subject, professor: demoTeacher(pick(random, PROFESSORS), spec, subject) };
  };
  // Year-wide courses: the same rows appear in every group's table.
  const yearWide = subjects.map((s) => row(spec.code, 'Curs', s));
  if (p.yearWideOnly) yearWide.push(...subjects.map((s) => row(spec.code, 'Seminar', s)));
  return groups.map((group) => {
    const rows = [...yearWide];
    if (!p.yearWideOnly) {
      for (const subject of subjects) {
        if (random() < 0.7) rows.push(row(group, 'Seminar', subject, random() < 0.3 ? pick(random, ['sapt. 1', 'sapt. 2']) : ''));
        if (random() < 0.8) {
          if (group.includes('/')) {
            rows.push(row(group, 'Laborator', subject, random() < 0.5 ? 'sapt. 1' : ''));
          } else {
            // The two subgroups alternate weeks, or each has its own weekly lab.
            const alternate = random() < 0.5;
            rows.push(row(`${group}/1`, 'Laborator', subject, alternate ? 'sapt. 1' : ''));
            rows.push(row(`${group}/2`, 'Laborator', subject, alternate ? 'sapt. 2' : ''));
          }
        }
      }
    }
    return { group, rows };
  });
}

const dmy = (y: number, m: number, d: number): string => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return `${String(date.getUTCDate()).padStart(2, '0')}.${String(date.getUTCMonth() + 1).padStart(2, '0')}.${date.getUTCFullYear()}`;
};

/** The Monday on or after the given day. */
function mondayOnOrAfter(y: number, m: number, d: number): [number, number, number] {
  const date = new Date(Date.UTC(y, m - 1, d));
  while (date.getUTCDay() !== 1) date.setUTCDate(date.getUTCDate() + 1);
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
}

function addDays([y, m, d]: [number, number, number], days: number): [number, number, number] {
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
}

const fmt = (t: [number, number, number]): string => dmy(...t);

/** An academic-year page for the year `start`-`start+1`, in the real structure. */
function demoAcademicPage(start: number): string {
  const section = (heading: string, easterShift: number): AcademicSection => {
    const s1 = mondayOnOrAfter(start, 9, 26);
    const s1b = mondayOnOrAfter(start + 1, 1, 5);
    const s2 = mondayOnOrAfter(start + 1, 2, 22);
    const easter = addDays(s2, 7 * 7 + easterShift);
    const s2b = addDays(easter, 7);
    const goodFriday = addDays(easter, -3);
    const semI: AcademicRow[] = [
      { from: fmt(s1), to: fmt(addDays(s1, 7 * 12 - 1)), activity: 'activitate didactică', notes: `12 săptămâni (luni, ${dmy(start, 12, 1)}, Ziua Națională - zi liberă)` },
      { from: fmt(addDays(s1, 7 * 12)), to: fmt(addDays(s1b, -1)), activity: 'vacanță de Crăciun', notes: '2 săptămâni' },
      { from: fmt(s1b), to: fmt(addDays(s1b, 13)), activity: 'activitate didactică', notes: `2 săptămâni (marți, ${fmt(addDays(s1b, 1))}, Boboteaza - zi liberă)` },
      { from: fmt(addDays(s1b, 14)), to: fmt(addDays(s1b, 34)), activity: 'sesiune de examene', notes: `3 săptămâni (sâmbătă, ${dmy(start + 1, 1, 24)}, Ziua Unirii - zi liberă)` },
    ];
    const teachingII = (weeksAfter: number): AcademicRow[] => [
      { from: fmt(s2), to: fmt(addDays(easter, -1)), activity: 'activitate didactică', notes: `${7 + easterShift / 7} săptămâni (vineri, ${fmt(goodFriday)}, Vinerea Mare - zi liberă)` },
      { from: fmt(easter), to: fmt(addDays(easter, 6)), activity: 'vacanța de Paști', notes: '1 săptămână' },
      { from: fmt(s2b), to: fmt(addDays(s2b, 7 * weeksAfter - 1)), activity: 'activitate didactică', notes: `${weeksAfter} săptămâni (vineri, ${dmy(start + 1, 5, 1)}, Ziua Muncii - zi liberă)` },
    ];
    const weeksLeft = 14 - (7 + easterShift / 7);
    return {
      heading,
      tables: [
        { label: 'SEMESTRUL I', rows: semI },
        { label: 'SEMESTRUL II', rows: [...teachingII(weeksLeft), { from: fmt(addDays(s2b, 7 * weeksLeft)), to: fmt(addDays(s2b, 7 * weeksLeft + 20)), activity: 'sesiune de examene', notes: '3 săptămâni' }] },
        { label: 'SEMESTRUL II - Anii terminali', rows: [...teachingII(weeksLeft - 2), { from: fmt(addDays(s2b, 7 * (weeksLeft - 2))), to: fmt(addDays(s2b, 7 * weeksLeft - 1)), activity: 'sesiune de examene', notes: '2 săptămâni' }] },
      ],
    };
  };
  return renderAcademicPage(`Structura anului universitar ${start}-${start + 1}`, [
    section('Linia de studiu Română', 0),
    section('Liniile de studiu Maghiară și Germană', -7),
  ]);
}

export interface DemoFaculty {
  /** URL path -> page, generated on request. */
  page(path: string): ServedPage | undefined;
  /** Paths of every timetable page, in index order. */
  pagePaths: string[];
  specCount: number;
  indexPath: string;
  legendPath: string;
  calendarPath: string;
}

export function demoFaculty(options: DemoOptions): DemoFaculty {
  const seed = options.seed ?? 2025;
  const scale = Math.max(1, Math.floor(options.scale ?? 1));
  const specs = demoSpecs(scale);
  const byCode = new Map(specs.map((s) => [s.code, s]));
  const base = `${DEMO_SCHEDULE_PATH}/${formatSemester(options.semester)}`;
  const html = (text: string): ServedPage => ({ body: encodeIso88592(text), contentType: 'text/html' });

  const indexRows = (master: boolean): IndexRow[] => {
    const rows = new Map<string, (string | null)[]>();
    for (const s of specs.filter((x) => x.programme.master === master)) {
      const codes = rows.get(s.name) ?? [null, null, null, null];
      codes[s.year - 1] = s.code;
      rows.set(s.name, codes);
    }
    return [...rows.entries()].map(([name, codes]) => ({ name, codes }));
  };
  const index = html(renderIndexPage(indexRows(false), indexRows(true)));
  const located = Object.entries(ROOMS).filter((e): e is [string, string] => e[1] !== null);
  const legend = html(
    renderLegendPage(
      Object.fromEntries(
        Array.from({ length: scale }, (_, copy) => located.flatMap(([code, where]) => Array.from({ length: ROOMS_PER_ENTRY }, (_, n): [string, string] => [roomName(code, n, copy), where]))).flat(),
      ),
    ),
  );
  const academic: ServedPage = { body: Buffer.from(demoAcademicPage(options.semester.year), 'utf8'), contentType: 'text/html; charset=utf-8' };

  const page = (path: string): ServedPage | undefined => {
    if (path === `${base}/tabelar/index.html`) return index;
    if (path === `${base}/sali/legenda.html`) return legend;
    if (path === DEMO_CALENDAR_PATH) return academic;
    const code = new RegExp(`^${base}/tabelar/([^/]+)\\.html$`).exec(path)?.[1];
    const spec = code ? byCode.get(code) : undefined;
    if (!spec) return undefined;
    return html(renderTimetablePage(`Anul ${spec.year} ${spec.name}`, demoTimetable(spec, seed)));
  };
  return {
    page,
    pagePaths: specs.map((s) => `${base}/tabelar/${s.code}.html`),
    specCount: specs.length,
    indexPath: `${base}/tabelar/index.html`,
    legendPath: `${base}/sali/legenda.html`,
    calendarPath: DEMO_CALENDAR_PATH,
  };
}

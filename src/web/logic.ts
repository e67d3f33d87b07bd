// The page's logic, without the DOM: search, weeks, filtering, and the
// custom calendar. Runs in the browser and under the tests alike.

import type { EventType, GroupJson, IndexJson, LineCalendarJson, TeachingWeek } from '../site-data.js';

// The site's JSON, typed once for the generator and the page.
export type { EventType, Frequency, IndexJson, PageBuildJson, PageCalendarJson, SpecJson, TeachingWeek } from '../site-data.js';
export type Group = GroupJson;
export type Calendar = GroupJson['calendars'][number];
export type Entry = GroupJson['entries'][number];
export type LineCalendar = LineCalendarJson;

export type Parity = 'odd' | 'even';
export type WeekChoice = Parity | 'all';
export type SubgroupChoice = '1' | '2' | 'both';

export const DAYS = ['Luni', 'Marti', 'Miercuri', 'Joi', 'Vineri', 'Sambata'] as const;
export const DAY_NAMES: Record<string, string> = {
  Luni: 'Monday', Marti: 'Tuesday', Miercuri: 'Wednesday', Joi: 'Thursday', Vineri: 'Friday', Sambata: 'Saturday',
};

/** Lower case, no diacritics, one space between words. */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Edit distance with transpositions, stopping early past `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
  }
  return d[a.length]![b.length]!;
}

export interface SearchHit {
  code: string;
  name: string;
  year: number;
  master: boolean;
  score: number;
}

/**
 * Specialization-years for a query: "ie2" finds the code, "engleza 2" the
 * words and the year, "englza" a typo, "maghiară" without its diacritics.
 */
export function search(index: IndexJson, query: string, limit = 8): SearchHit[] {
  const q = normalize(query);
  if (!q) return [];
  const tokens = q.split(' ');
  const hits: SearchHit[] = [];
  let order = 0;
  for (const spec of index.specializations) {
    const words = normalize(spec.name).split(' ');
    for (const { year, code } of spec.years) {
      order++;
      const c = normalize(code);
      let score = 0;
      if (q.replace(/ /g, '') === c) score = 1000;
      else if (c.startsWith(q.replace(/ /g, ''))) score = 800;
      else {
        let matched = 0;
        for (const token of tokens) {
          const t = tokenScore(token, words, year, c);
          if (t === 0) {
            matched = -1;
            break;
          }
          matched += t;
        }
        // Ties go to the name the query covers most of ("engleza 2": the
        // four-word "Informatica - in limba engleza" before a six-word one).
        if (matched > 0) score = 100 + matched + (10 * tokens.length) / words.length;
      }
      if (score > 0) hits.push({ code, name: spec.name, year, master: spec.master, score: score - order / 1000 });
    }
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
}

function tokenScore(token: string, words: string[], year: number, code: string): number {
  if (/^\d+$/.test(token)) return Number(token) === year ? 30 : 0;
  if (token === code) return 60;
  return wordScore(token, words);
}

/**
 * How well one typed word matches one of a name's words: 50 the same, 40 a
 * prefix, 30 less 10 a letter for a typo (one in 4-6 letters, two from 7);
 * 0 for none. Specializations, teachers and rooms are searched by this one rule.
 */
export function wordScore(token: string, words: readonly string[]): number {
  let best = 0;
  for (const w of words) {
    if (w === token) best = Math.max(best, 50);
    else if (w.startsWith(token) && token.length >= 2) best = Math.max(best, 40);
    else if (token.length >= 4) {
      const allowed = token.length >= 7 ? 2 : 1;
      const d = Math.min(editDistance(token, w, allowed), editDistance(token, w.slice(0, token.length), allowed));
      if (d <= allowed) best = Math.max(best, 30 - 10 * d);
    }
  }
  return best;
}

/** The rows of a group for a subgroup: year-wide, the group's, and the subgroup's. */
export function entriesFor(group: Group, subgroup: SubgroupChoice): Entry[] {
  const g = group.name;
  return group.entries.filter((e) => {
    if (!/^\d/.test(e.formation) || e.formation === g) return true;
    if (!group.hasSubgroups) return e.formation === g.slice(0, g.indexOf('/'));
    if (subgroup === 'both') return e.formation.startsWith(`${g}/`);
    return e.formation === `${g}/${subgroup}`;
  });
}

/** Rows that take place in weeks of the given parity ("all": every row). */
export function entriesInWeek(entries: readonly Entry[], week: WeekChoice): Entry[] {
  return week === 'all' ? [...entries] : entries.filter((e) => e.frequency === 'every' || e.frequency === week);
}

export interface PlacedEntry {
  entry: Entry;
  /** Column inside its day, and how many columns the day's overlaps need. */
  lane: number;
  lanes: number;
}

/** Lays a day's rows out side by side where they overlap. */
export function layoutDay(entries: readonly Entry[]): PlacedEntry[] {
  const sorted = [...entries].sort((a, b) => a.startHour - b.startHour || a.endHour - b.endHour);
  const placed: PlacedEntry[] = [];
  let cluster: PlacedEntry[] = [];
  let clusterEnd = -1;
  const close = (): void => {
    const lanes = Math.max(1, ...cluster.map((p) => p.lane + 1));
    for (const p of cluster) p.lanes = lanes;
    cluster = [];
  };
  for (const entry of sorted) {
    if (entry.startHour >= clusterEnd) {
      close();
      clusterEnd = -1;
    }
    const busy = new Set(cluster.filter((p) => p.entry.endHour > entry.startHour).map((p) => p.lane));
    let lane = 0;
    while (busy.has(lane)) lane++;
    const item = { entry, lane, lanes: 1 };
    cluster.push(item);
    placed.push(item);
    clusterEnd = Math.max(clusterEnd, entry.endHour);
  }
  close();
  return placed;
}

export type WeekStatus =
  | { kind: 'teaching'; week: TeachingWeek }
  | { kind: 'vacation'; name: string; until: string }
  | { kind: 'before'; starts: string }
  | { kind: 'after' }
  | { kind: 'between'; next: TeachingWeek };

const dayNumber = (iso: string): number => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);

/** Where `today` falls in the semester. */
export function weekStatus(calendar: LineCalendar, today: string): WeekStatus {
  const t = dayNumber(today);
  const week = calendar.weeks.find((w) => t >= dayNumber(w.monday) && t < dayNumber(w.monday) + 7);
  const vacation = calendar.vacations.find((v) => today >= v.start && today <= v.end);
  if (vacation) return { kind: 'vacation', name: vacation.name, until: vacation.end };
  if (week) return { kind: 'teaching', week };
  const first = calendar.weeks[0];
  if (first && t < dayNumber(first.monday)) return { kind: 'before', starts: first.monday };
  const next = calendar.weeks.find((w) => dayNumber(w.monday) > t);
  return next ? { kind: 'between', next } : { kind: 'after' };
}

/** The week toggle's default: the current teaching week's parity. */
export function defaultWeek(status: WeekStatus): WeekChoice {
  if (status.kind === 'teaching') return status.week.parity;
  if (status.kind === 'between') return status.next.parity;
  return 'all';
}

/** Today's date in the faculty's time zone (data/calendar.json names it), `YYYY-MM-DD`. */
export function todayIn(now: Date, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
}

export interface SubscribeLinks {
  https: string;
  /** Apple Calendar (iPhone, Mac) and Outlook desktop open it as a subscription. */
  webcal: string;
  /** Google Calendar's add-by-URL. */
  google: string;
  /** Outlook.com's add-from-web. */
  outlookCom: string;
}

/** Where a subscription to a calendar at this address should point, app by app. */
export function subscribeLinks(absoluteIcsUrl: string, label = ''): SubscribeLinks {
  const webcal = absoluteIcsUrl.replace(/^https?:/, 'webcal:');
  return {
    https: absoluteIcsUrl,
    webcal,
    google: `https://calendar.google.com/calendar/r?cid=${encodeURIComponent(webcal)}`,
    outlookCom: `https://outlook.live.com/calendar/0/addfromweb?url=${encodeURIComponent(absoluteIcsUrl)}&name=${encodeURIComponent(label)}`,
  };
}

/**
 * The day a phone opens on: today's, in a teaching week; otherwise the
 * first day, with why (the week status line shows it).
 */
export function openingDay(days: readonly string[], today: string, status: WeekStatus | null): { index: number; reason: string | null } {
  const day = DAYS[(new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7];
  const first = DAY_NAMES[days[0] ?? 'Luni'] ?? 'Monday';
  const index = day ? days.indexOf(day) : -1;
  if (status && status.kind !== 'teaching') return { index: 0, reason: `No classes this week: showing ${first}.` };
  // Monday-Friday are always shown: only a weekend day can be missing.
  if (index < 0) return { index: 0, reason: `Weekend: showing ${first}.` };
  return { index, reason: null };
}

/** teachers.json and room-index.json, as far as the details sheet reads them (written by the teacher/room calendars). */
export interface TeacherIndexEntry {
  name: string;
  /** data/teachers.json lists them (`['Prof.']`); a hand-written list may give one string. */
  titles?: string | readonly string[];
  file: string;
}
export interface RoomIndexEntry {
  room: string;
  location?: string | null;
  file: string;
}

/**
 * The teacher's calendar for a row's professor ("Prof. dr. POPESCU Ion"):
 * the same name with or without the titles, case and diacritics aside.
 */
export function teacherFor(professor: string, teachers: readonly TeacherIndexEntry[]): TeacherIndexEntry | null {
  const wanted = normalize(professor);
  if (!wanted) return null;
  let best: TeacherIndexEntry | null = null;
  for (const t of teachers) {
    const name = normalize(t.name);
    if (!name) continue;
    if (name === wanted || normalize(`${typeof t.titles === 'string' ? t.titles : (t.titles ?? []).join(' ')} ${t.name}`) === wanted) return t;
    if (wanted.endsWith(` ${name}`) && (!best || name.length > normalize(best.name).length)) best = t;
  }
  return best;
}

/** `2026-03-04T08:15:00.000Z` -> `2026-03-04 08:15 UTC`. */
export function shortTime(iso: string): string {
  return `${iso.replace('T', ' ').slice(0, 16)} UTC`;
}

export interface Selection {
  code?: string;
  group?: string;
  sub?: SubgroupChoice;
  week?: WeekChoice;
  /** The custom calendar's token (src/custom/token.ts), when it is more than the group's own calendar. */
  custom?: string;
  /** A teacher's or a room's week instead of a group's: its slug (data/teachers.json, data/room-index.json). */
  teacher?: string;
  room?: string;
}

export function selectionToHash(s: Selection): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) if (v) params.set(k, v);
  return params.toString();
}

export function selectionFromHash(hash: string): Selection {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const sub = p.get('sub');
  const week = p.get('week');
  return {
    code: p.get('code') ?? undefined,
    group: p.get('group') ?? undefined,
    sub: sub === '1' || sub === '2' || sub === 'both' ? sub : undefined,
    week: week === 'odd' || week === 'even' || week === 'all' ? week : undefined,
    ...(p.has('custom') ? { custom: p.get('custom')! } : {}),
    ...(p.has('teacher') ? { teacher: p.get('teacher')! } : {}),
    ...(p.has('room') ? { room: p.get('room')! } : {}),
  };
}

// The page: find your group, see your week, get the calendar. Everything
// that comes from the data is set as text (never as HTML). Details, the
// subscribe buttons and the service worker live in their own modules.
import { initDetails, type DetailsData } from './details.js';
import { $, el } from './dom.js';
import { watchForUpdates } from './install.js';
import {
  DAYS,
  DAY_NAMES,
  defaultWeek,
  entriesInWeek,
  layoutDay,
  openingDay,
  search,
  selectionFromHash,
  selectionToHash,
  shortTime,
  todayIn,
  weekStatus,
  type EventType,
  type Entry,
  type Group,
  type IndexJson,
  type LineCalendar,
  type PageBuildJson,
  type PageCalendarJson,
  type SearchHit,
  type Selection,
  type SpecJson,
  type SubgroupChoice,
  type WeekChoice,
} from './logic.js';
import { FROM_SAVED_COPY } from './sw-logic.js';
import { renderSubscribe } from './subscribe.js';
import { customToken, initCustom, loadCustom, renderCustom, restoreCustom, shownRows, sourceCount } from './custom.js';
import type { Source } from '../custom/selection.js';
import type { ClashesJson, OccupancyJson, RoomIndexJson, TeacherJson } from '../site-data.js';
import { showPerson } from './people.js';
import { searchPeople, type PersonHit } from './people-logic.js';
import { initFreeRooms } from './free-rooms.js';
import { initClashes } from './clashes.js';


const STORE = 'orar-cal:selection';
const THEME = 'orar-cal:theme';
const TYPE_LABEL: Record<EventType, string> = { Curs: 'Course', Seminar: 'Seminar', Laborator: 'Lab' };

/** The oldest saved copy the page shows because the network failed (ISO), or null while all is from the network. */
let savedCopyAt: string | null = null;

/** The data files this page read, to be read again through the worker when it first takes control (so they are saved). */
const read = new Set<string>();

async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, init);
  read.add(path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  const saved = res.headers.get(FROM_SAVED_COPY);
  if (saved !== null && (savedCopyAt === null || saved < savedCopyAt)) {
    savedCopyAt = saved;
    renderNetStatus();
  }
  return (await res.json()) as T;
}

/** The offline line: the week shown is the copy saved on this device, as of when. */
function renderNetStatus(): void {
  const line = $('net-status');
  line.hidden = savedCopyAt === null;
  line.textContent = savedCopyAt === null ? '' : `Offline: timetable as of ${savedCopyAt ? shortTime(savedCopyAt) : 'an earlier visit'} (the copy saved on this device).`;
}

/** A site file that may not exist (teachers.json before teacher calendars): absent or unreadable is empty. */
function optionalJson<T>(path: string, empty: T): Promise<T> {
  return getJson<T>(path).catch(() => empty);
}

let detailsData: Promise<DetailsData & { teachers: TeacherJson[]; roomIndex: RoomIndexJson[] }> | null = null;
/** Locations and teacher/room calendars for the details sheet and the search, read once, when first needed. */
function loadDetailsData(): Promise<DetailsData & { teachers: TeacherJson[]; roomIndex: RoomIndexJson[] }> {
  detailsData ??= Promise.all([
    optionalJson<Record<string, string>>('data/rooms.json', {}),
    optionalJson<TeacherJson[]>('data/teachers.json', []),
    optionalJson<RoomIndexJson[]>('data/room-index.json', []),
  ]).then(([rooms, teachers, roomIndex]) => ({ rooms, teachers, roomIndex }));
  return detailsData;
}

let details: ReturnType<typeof initDetails>;

/** Today in the faculty's time zone. */
const today = (): string => todayIn(new Date(), timeZone);

// --- theme: follows the system until the toggle is used -------------------
function initTheme(): void {
  const button = $<HTMLButtonElement>('theme-toggle');
  button.hidden = false; // without the script it could do nothing
  const apply = (theme: string | null): void => {
    if (theme) document.documentElement.dataset.theme = theme;
    else delete document.documentElement.dataset.theme;
    const dark = theme ? theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
    button.textContent = dark ? 'Light theme' : 'Dark theme';
    button.setAttribute('aria-pressed', String(dark));
  };
  apply(localStorage.getItem(THEME));
  button.addEventListener('click', () => {
    const dark = document.documentElement.dataset.theme
      ? document.documentElement.dataset.theme === 'dark'
      : matchMedia('(prefers-color-scheme: dark)').matches;
    const next = dark ? 'light' : 'dark';
    localStorage.setItem(THEME, next);
    apply(next);
  });
}

// --- state ------------------------------------------------------------------
let index: IndexJson;
let calendars: Record<string, LineCalendar> = {};
let build: PageBuildJson | null = null;
/** The faculty's time zone, from data/calendar.json (a file from before it was written there: the browser's own). */
let timeZone: string | undefined;
/** Set when the last run could not read the academic-year page and used the copy kept from an earlier run. */
let academicFallback: { since: string; reason: string } | null = null;
const specs = new Map<string, Promise<SpecJson>>();
let selection: Selection = {};
let spec: SpecJson | null = null;
/** The day shown on a phone; null until the grid first opens (then on today). */
let activeDay: number | null = null;

function loadSpec(code: string): Promise<SpecJson> {
  let p = specs.get(code);
  if (!p) {
    p = getJson<SpecJson>(`data/${encodeURIComponent(code)}.json`);
    specs.set(code, p);
  }
  return p;
}

function save(): void {
  selection.custom = customToken(primarySource());
  const hash = selectionToHash(selection);
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname);
  localStorage.setItem(STORE, hash);
}

/** The page's group as a custom calendar's source. */
function primarySource(): Source | null {
  const group = currentGroup();
  return spec && group ? { code: spec.code, group: group.name, subgroup: !group.hasSubgroups || selection.sub === 'both' || !selection.sub ? 'all' : selection.sub } : null;
}

function currentGroup(): Group | null {
  return spec?.groups.find((g) => g.name === selection.group) ?? spec?.groups[0] ?? null;
}

function lineCalendar(): LineCalendar | null {
  if (!spec) return null;
  const table = spec.semester.endsWith('-1') ? 'I' : spec.finalYear ? 'II-final' : 'II';
  return calendars[spec.calendarKey ?? `${spec.studyLine}/${table}`] ?? null;
}

// --- search: a combobox over a listbox of results ---------------------------
function initSearch(): void {
  const input = $<HTMLInputElement>('search');
  const results = $<HTMLUListElement>('results');
  const status = $('results-status');
  /** Spec-years, teachers and rooms: one list, by score. */
  type Hit = SearchHit | PersonHit;
  let hits: Hit[] = [];
  // Teachers and rooms join the results once their lists are here: asked
  // for when the search is first used, not on load (tens of kB the first
  // paint does not need).
  let people: { teachers: TeacherJson[]; roomIndex: RoomIndexJson[] } = { teachers: [], roomIndex: [] };
  const loadPeople = (): void => {
    void loadDetailsData().then((data) => {
      people = data;
      if (input.value.trim()) show();
    });
  };
  input.addEventListener('focus', loadPeople, { once: true });
  input.addEventListener('input', loadPeople, { once: true });
  let active = -1;

  const setActive = (i: number): void => {
    active = i;
    for (const [n, option] of [...results.children].entries()) option.setAttribute('aria-selected', String(n === i));
    const option = results.children[i];
    if (option) {
      input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const close = (): void => {
    hits = [];
    results.replaceChildren();
    results.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  };
  const pick = (hit: Hit, moveFocus: boolean): void => {
    input.value = '';
    close();
    status.textContent = '';
    const change: Selection = 'kind' in hit ? { [hit.kind]: hit.slug } : { code: hit.code, group: undefined };
    void choose(change).then(() => {
      if (moveFocus) $('week-title').focus();
    });
  };
  const show = (): void => {
    hits = [...search(index, input.value), ...searchPeople(people.teachers, people.roomIndex, input.value)].sort((a, b) => b.score - a.score).slice(0, 10);
    results.replaceChildren(
      ...hits.map((hit, i) => {
        const option =
          'kind' in hit
            ? el('li', { className: 'result', text: hit.label }, el('small', { text: hit.kind === 'teacher' ? ' teacher' : ' room' }))
            : el('li', { className: 'result', text: `${hit.name}, year ${hit.year}` }, el('small', { text: ` ${hit.code}` }));
        option.id = `result-${i}`;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', 'false');
        // Keep focus in the input, so the combobox stays the one place keys go.
        option.addEventListener('mousedown', (e) => e.preventDefault());
        option.addEventListener('click', () => pick(hit, false));
        return option;
      }),
    );
    results.hidden = hits.length === 0;
    input.setAttribute('aria-expanded', String(hits.length > 0));
    setActive(-1);
    status.textContent = input.value.trim() ? `${hits.length} result${hits.length === 1 ? '' : 's'}` : '';
  };
  input.addEventListener('input', show);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (results.hidden) show();
      if (hits.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive(active < 0 ? (step > 0 ? 0 : hits.length - 1) : (active + step + hits.length) % hits.length);
    } else if (e.key === 'Enter') {
      const hit = hits[active] ?? hits[0];
      if (!hit) return;
      e.preventDefault();
      pick(hit, true);
    } else if (e.key === 'Escape' && !results.hidden) {
      e.preventDefault(); // only close the list; a second Escape clears the input as usual
      close();
    }
  });
}

async function choose(change: Selection): Promise<void> {
  // A teacher's or room's week replaces the group's, and a group's replaces it.
  if (change.teacher || change.room) selection = { week: selection.week, ...change };
  else selection = { ...selection, ...change, ...(change.code ? { teacher: undefined, room: undefined } : {}) };
  if (selection.teacher || selection.room) {
    spec = null;
    save();
    await showPerson(selection, { index, loadSpec, lists: loadDetailsData, drawGrid: (entries, tagOf) => drawGrid(entries, tagOf, null, () => void choose({})) });
    return;
  }
  if ('custom' in change) restoreCustom(change.custom);
  if (!selection.code) return;
  try {
    spec = await loadSpec(selection.code);
  } catch (error) {
    specs.delete(selection.code); // try again next time
    $('picked').textContent = navigator.onLine
      ? `Could not load ${selection.code}: ${String(error)}`
      : `${selection.code} has not been opened on this device yet: it needs the network once.`;
    $('selection').hidden = false;
    return;
  }
  if (!spec.groups.some((g) => g.name === selection.group)) selection.group = spec.groups[0]?.name;
  const group = currentGroup();
  if (!group?.hasSubgroups) selection.sub = 'both';
  if (!selection.sub) selection.sub = '1';
  if (!selection.week) {
    const cal = lineCalendar();
    selection.week = cal ? defaultWeek(weekStatus(cal, today())) : 'all';
  }
  const primary = primarySource();
  if (primary) await loadCustom(primary);
  save();
  render();
}

// --- render -----------------------------------------------------------------
function render(): void {
  if (!spec) return;
  const group = currentGroup();
  $('selection').hidden = false;
  $('selection').querySelector<HTMLElement>('.controls')!.hidden = false;
  $('custom-title').parentElement!.hidden = false;
  $('picked').textContent = `${spec.name}, year ${spec.year} (${spec.code})`;

  const years = index.specializations.find((s) => s.name === spec!.name)?.years ?? [];
  const yearSelect = $<HTMLSelectElement>('year');
  yearSelect.replaceChildren(...years.map((y) => Object.assign(el('option', { text: `Year ${y.year}` }), { value: y.code, selected: y.code === spec!.code })));

  const groupSelect = $<HTMLSelectElement>('group');
  groupSelect.replaceChildren(...spec.groups.map((g) => Object.assign(el('option', { text: g.name }), { value: g.name, selected: g.name === group?.name })));

  for (const sub of ['1', '2', 'both'] as const) {
    const radio = $<HTMLInputElement>(`sub-${sub}`);
    radio.checked = selection.sub === sub;
    radio.disabled = !group?.hasSubgroups && sub !== 'both';
  }
  for (const week of ['odd', 'even', 'all'] as const) $<HTMLInputElement>(`week-${week}`).checked = selection.week === week;

  renderStatus();
  renderChanged();
  renderGet(group);
  $<HTMLButtonElement>('custom-download').disabled = !group;
  if (!group) {
    // A timetable page with no group table yet: nothing to show or get.
    $('week-of').textContent = '';
    $('grid').replaceChildren(el('p', { className: 'muted', text: `No group timetable is published for ${spec.code} yet.` }));
    $('day-tabs').replaceChildren();
    $('subjects').replaceChildren();
    return;
  }
  $('week-of').textContent = `: ${spec.code} group ${group.name}${group.hasSubgroups && selection.sub !== 'both' ? `, subgroup ${selection.sub}` : ''}`;
  const primary = primarySource()!;
  renderCustom({ source: primary, spec, group });
  renderGrid(group);
}

function renderStatus(): void {
  const cal = lineCalendar();
  const out = $('week-status');
  if (!cal) {
    out.textContent = '';
    return;
  }
  const s = weekStatus(cal, today());
  out.textContent =
    s.kind === 'teaching'
      ? `This is teaching week ${s.week.number} (${s.week.parity === 'odd' ? 'week 1, odd' : 'week 2, even'}).`
      : s.kind === 'vacation'
        ? `${s.name}: vacation until ${s.until}.`
        : s.kind === 'before'
          ? `Teaching starts on ${s.starts}.`
          : s.kind === 'between'
            ? `No classes this week; teaching week ${s.next.number} starts on ${s.next.monday}.`
            : 'Teaching is over for this semester.';
}

function renderGrid(group: Group): void {
  const rows = shownRows({ source: primarySource()!, spec: spec!, group });
  const sourceOf = new Map(rows.map((r) => [r.entry, r.source]));
  // Several groups merged: each block says which it comes from.
  const tagOf = sourceCount() > 1 ? (entry: Entry): string => sourceOf.get(entry) ?? '' : null;
  drawGrid(entriesInWeek(rows.map((r) => r.entry), selection.week ?? 'all'), tagOf, lineCalendar(), () => renderGrid(group));
}

/** The week's grid: `entries` as blocks by day and hour, tagged with `tagOf` when given; `redraw` after a day tab changes. */
function drawGrid(entries: Entry[], tagOf: ((entry: Entry) => string) | null, cal: LineCalendar | null, redraw: () => void): void {
  const week = selection.week ?? 'all';
  const days = DAYS.filter((d, i) => i < 5 || entries.some((e) => e.day === d));
  const first = Math.min(8, ...entries.map((e) => e.startHour));
  const last = Math.max(20, ...entries.map((e) => e.endHour));
  const grid = $('grid');
  grid.style.setProperty('--hours', String(last - first));
  grid.style.setProperty('--days', String(days.length));
  const todayDate = today();
  const todayDay = DAYS[(new Date(`${todayDate}T12:00:00Z`).getUTCDay() + 6) % 7];
  const status = cal ? weekStatus(cal, todayDate) : null;
  const thisWeekShown = status?.kind === 'teaching' && (week === 'all' || week === status.week.parity);
  const opening = openingDay(days, todayDate, status);
  activeDay ??= opening.index;
  if (activeDay >= days.length) activeDay = 0;
  // Only a phone shows one day (style.css): it says why that is not today's.
  $('day-note').textContent = activeDay === opening.index ? (opening.reason ?? '') : '';

  const hours = el('div', { className: 'hours' }, el('div', { className: 'day-head' }));
  const hourBody = el('div', { className: 'day-body' });
  for (let h = first; h < last; h++) {
    const label = el('div', { className: 'hour', text: `${h}:00` });
    label.style.top = `calc(${h - first} * var(--row))`;
    hourBody.append(label);
  }
  hours.append(hourBody);

  const columns = days.map((day, i) => {
    const body = el('div', { className: 'day-body' });
    for (const { entry, lane, lanes } of layoutDay(entries.filter((e) => e.day === day))) {
      const block = el('button', { className: `block type-${entry.type.toLowerCase()}` });
      block.type = 'button';
      block.setAttribute('aria-haspopup', 'dialog');
      block.style.top = `calc(${entry.startHour - first} * var(--row))`;
      block.style.height = `calc(${entry.endHour - entry.startHour} * var(--row) - 2px)`;
      block.style.left = `${(lane / lanes) * 100}%`;
      block.style.width = `${100 / lanes}%`;
      const parity = entry.frequency === 'odd' ? ' · week 1' : entry.frequency === 'even' ? ' · week 2' : '';
      block.append(
        el('span', { className: 'tag', text: `${TYPE_LABEL[entry.type]} ${entry.startHour}-${entry.endHour}${parity}` }),
        el('strong', { className: 'subject', text: entry.subject }),
        el('span', { className: 'room', text: `${entry.room} · ${entry.formation}` }),
      );
      if (tagOf) block.append(el('span', { className: 'source', text: tagOf(entry) }));
      block.addEventListener('click', () => void loadDetailsData().then((data) => details.show(entry, data)));
      body.append(block);
    }
    const column = el('div', { className: 'day' }, el('div', { className: 'day-head', text: DAY_NAMES[day] ?? day }), body);
    column.dataset.day = day;
    if (i === activeDay) column.classList.add('active');
    if (thisWeekShown && day === todayDay) column.classList.add('today');
    return column;
  });
  grid.replaceChildren(hours, ...columns);
  grid.dataset.entries = String(entries.length);

  const tabs = $('day-tabs');
  tabs.replaceChildren(
    ...days.map((day, i) => {
      const tab = el('button', { className: 'tab', text: (DAY_NAMES[day] ?? day).slice(0, 3) });
      tab.type = 'button';
      tab.setAttribute('aria-pressed', String(i === activeDay));
      tab.addEventListener('click', () => {
        activeDay = i;
        redraw();
      });
      return tab;
    }),
  );
}

function calendarFor(group: Group): { path: string; label: string } | null {
  const sub = selection.sub ?? 'both';
  const wanted = group.hasSubgroups ? (sub === 'both' ? 'all' : sub) : null;
  return group.calendars.find((c) => c.subgroup === wanted) ?? group.calendars[0] ?? null;
}

/** Download and subscribe: real links once a group is chosen, inert (no href, aria-disabled) before. */
function renderGet(group: Group | null): void {
  const cal = group && spec ? calendarFor(group) : null;
  const download = $<HTMLAnchorElement>('download');
  $('get-hint').hidden = cal !== null;
  if (!cal || !spec) {
    download.removeAttribute('href');
    download.setAttribute('aria-disabled', 'true');
    download.textContent = 'Download (.ics)';
    renderSubscribe($('subscribe'), null);
    return;
  }
  const url = new URL(cal.path.split('/').map(encodeURIComponent).join('/'), location.href).href;
  download.href = url;
  download.download = `${spec.code}-${cal.label.replace(/[^\w-]+/g, '-')}.ics`;
  download.textContent = `Download ${spec.code} ${cal.label} (.ics)`;
  download.removeAttribute('aria-disabled');
  renderSubscribe($('subscribe'), { url, label: `${spec.code} ${cal.label} · ${spec.semester}` });
}

function renderChanged(): void {
  const out = $('changed');
  out.replaceChildren();
  if (!spec) return;
  if (spec.changedAt) {
    out.append(`Timetable changed on ${spec.changedAt.slice(0, 10)}. `);
    if (spec.feed) out.append(Object.assign(el('a', { text: 'What changed (Atom feed)' }), { href: spec.feed }));
  } else if (spec.firstPublishedAt) {
    out.append(`First published on ${spec.firstPublishedAt.slice(0, 10)}; unchanged since.`);
  }
  const stale = build?.specs.find((s) => s.code === spec!.code && s.status === 'stale');
  if (stale) out.append(el('strong', { className: 'stale', text: ` Stale: the last update failed (${stale.error?.message ?? 'unknown error'}); these are the last good calendars.` }));
}

function renderGenerated(): void {
  const out = $('generated');
  const stale = build?.specs.filter((s) => s.status !== 'ok') ?? [];
  out.textContent = `Data generated ${index.generatedAt.replace('T', ' ').slice(0, 16)} UTC${build ? `, checked ${build.generatedAt.replace('T', ' ').slice(0, 16)} UTC` : ''}.`;
  if (stale.length > 0) out.append(el('strong', { className: 'stale', text: ` Not up to date: ${stale.map((s) => `${s.code} (${s.status})`).join(', ')}.` }));
  if (academicFallback) {
    out.append(
      el('strong', {
        className: 'stale',
        text: ` The university's academic-year page could not be read on ${academicFallback.since.slice(0, 10)}: teaching weeks, vacations and holidays follow the copy from an earlier run.`,
      }),
    );
  }
}

// --- wiring -----------------------------------------------------------------
function wire(): void {
  $<HTMLSelectElement>('year').addEventListener('change', (e) => void choose({ code: (e.target as HTMLSelectElement).value, group: undefined }));
  $<HTMLSelectElement>('group').addEventListener('change', (e) => void choose({ group: (e.target as HTMLSelectElement).value }));
  for (const sub of ['1', '2', 'both'] as const) $(`sub-${sub}`).addEventListener('change', () => void choose({ sub: sub as SubgroupChoice }));
  for (const week of ['odd', 'even', 'all'] as const) $(`week-${week}`).addEventListener('change', () => void choose({ week: week as WeekChoice }));
  // The selection is in the address: a reload keeps it.
  $('update-reload').addEventListener('click', () => location.reload());
  // An address without a custom part is the group's plain calendar.
  window.addEventListener('hashchange', () => void choose({ custom: undefined, ...selectionFromHash(location.hash) }));
}

async function main(): Promise<void> {
  $('no-app').hidden = true;
  initTheme();
  if (location.protocol === 'file:') {
    $('offline').hidden = false;
    $('app').remove();
    return;
  }
  try {
    [index, calendars, build] = await Promise.all([
      getJson<IndexJson>('data/index.json'),
      getJson<PageCalendarJson>('data/calendar.json').then((c) => {
        academicFallback = c.fallback ?? null;
        timeZone = c.timeZone;
        return c.calendars;
      }),
      getJson<PageBuildJson>('data/build.json').catch(() => null),
    ]);
  } catch {
    const note = $('offline');
    if (!navigator.onLine) note.textContent = 'You are offline, and this device has no saved copy of the timetable yet: it needs the network once. The quick downloads below need it too.';
    note.hidden = false;
    $('app').remove();
    return;
  }
  $('app').hidden = false;
  details = initDetails();
  initSearch();
  initCustom({
    index,
    loadSpec,
    changed: () => {
      save();
      render();
    },
  });
  wire();
  // Free rooms and clashes read their data when their section comes into view.
  initFreeRooms({ load: () => Promise.all([getJson<OccupancyJson>('data/occupancy.json'), loadDetailsData().then((d) => d.roomIndex)]), timeZone });
  initClashes(build?.people?.clashes ?? null, () => optionalJson<ClashesJson | null>('data/clashes.json', null));
  renderGenerated();
  renderGet(null);
  watchForUpdates({
    published: async () => {
      const res = await fetch('data/index.json', { cache: 'no-cache' }).catch(() => null);
      // A saved copy answers when the network does not: that is not news.
      if (!res?.ok || res.headers.has(FROM_SAVED_COPY)) return null;
      return ((await res.json()) as IndexJson).generatedAt;
    },
    newer: (published) =>
      published !== index.generatedAt ? 'Timetable updated.' : savedCopyAt !== null ? 'Back online.' : null,
    onUpdate: (why) => {
      $('update-text').textContent = why;
      $('update').hidden = false;
    },
    onFirstControl: () => {
      void Promise.all([...read].map((path) => fetch(path).catch(() => null))).then(() => (document.documentElement.dataset.saved = 'true'));
    },
  });
  const fromUrl = selectionFromHash(location.hash);
  const stored = selectionFromHash(localStorage.getItem(STORE) ?? '');
  const start = fromUrl.code || fromUrl.teacher || fromUrl.room ? fromUrl : stored;
  if (start.code || start.teacher || start.room) await choose(start);
  document.documentElement.dataset.ready = 'true';
}

void main();

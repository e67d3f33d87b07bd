// The custom section: the groups a custom calendar takes (this page's group
// and any others added, from any specialization or year), the types and
// subjects left out and each subject's subgroup. It filters the grid (what
// you see is what you subscribe to), lives in the address and localStorage
// as the engine's token, and offers the feed to subscribe to where one is
// served; otherwise a download made by the engine's own merge.
import { customCalendarText, feedDescription, feedName, selectEvents, type SourceEvents } from '../custom/merge.js';
import { readPublishedIcs } from '../custom/published-ics.js';
import { canonicalSelection, MAX_SOURCES, sourceLabel, type Selection, type Source, type SourceSubgroup } from '../custom/selection.js';
import { subjectKey } from '../custom/subjects.js';
import { decodeToken, encodeToken, feedAddress, TokenError } from '../custom/token.js';
import { isPlain, mergeRows, sameSource, sourceRows, type ShownRow } from './custom-logic.js';
import { $, el } from './dom.js';
import type { EventType, Group, IndexJson, SpecJson } from './logic.js';
import { renderSubscribe } from './subscribe.js';

export interface CustomHost {
  index: IndexJson;
  loadSpec(code: string): Promise<SpecJson>;
  /** The selection changed: save it and draw the page again. */
  changed(): void;
}

/** The page's own group, as a source. */
export interface Primary {
  source: Source;
  spec: SpecJson;
  group: Group;
}

const TYPES: readonly EventType[] = ['Curs', 'Seminar', 'Laborator'];

let host: CustomHost;
/** Groups added besides the page's own. */
let extras: Source[] = [];
let skipTypes: EventType[] = [];
/** Subject keys. */
let skipSubjects: string[] = [];
let labSubgroups: Record<string, '1' | '2'> = {};
/** The added groups' data, by source label. */
const loaded = new Map<string, { spec: SpecJson; group: Group }>();
/** Whether the page's own origin serves a feed, by token (a HEAD for it answered with a calendar). */
const served = new Map<string, Promise<boolean>>();
let current: Primary | null = null;

export function initCustom(h: CustomHost): void {
  host = h;
  for (const type of TYPES) {
    $<HTMLInputElement>(`type-${type}`).addEventListener('change', (e) => {
      const checked = (e.target as HTMLInputElement).checked;
      skipTypes = checked ? skipTypes.filter((t) => t !== type) : [...skipTypes, type];
      host.changed();
    });
  }
  const specSelect = $<HTMLSelectElement>('add-spec');
  specSelect.replaceChildren(
    Object.assign(el('option', { text: 'Specialization and year…' }), { value: '' }),
    ...host.index.specializations.flatMap((s) => s.years.map((y) => Object.assign(el('option', { text: `${s.name}, year ${y.year} (${y.code})` }), { value: y.code }))),
  );
  specSelect.addEventListener('change', () => void fillAddGroups());
  $<HTMLSelectElement>('add-group').addEventListener('change', () => void fillAddGroups(true));
  $('add-source').addEventListener('click', () => void addSource());
  $('custom-download').addEventListener('click', () => void downloadCustom());
}

/** The state a token in the address or storage carries (undefined or unreadable: none). */
export function restoreCustom(token: string | undefined): void {
  let selection: Selection | null = null;
  try {
    selection = token ? decodeToken(token) : null;
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
  }
  extras = selection?.sources ?? [];
  skipTypes = selection?.skipTypes ?? [];
  skipSubjects = selection?.skipSubjects ?? [];
  labSubgroups = selection?.labSubgroups ?? {};
}

/** The selection with this page's group first. */
function selectionOf(primary: Source): Selection {
  return { sources: [primary, ...extras], skipTypes, skipSubjects, labSubgroups };
}

/** The token the address keeps: none while the selection is the plain group calendar. */
export function customToken(primary: Source | null): string | undefined {
  if (!primary) return undefined;
  const selection = canonicalSelection(selectionOf(primary));
  return isPlain(selection) ? undefined : encodeToken(selection);
}

/** The index's spelling of a code (a token holds it in upper case). */
function listedCode(code: string): string | undefined {
  return host.index.specializations.flatMap((s) => s.years.map((y) => y.code)).find((c) => c.toUpperCase() === code.toUpperCase());
}

/** Loads the added groups' data; drops the page's own group from them, and groups no longer published. */
export async function loadCustom(primary: Source): Promise<void> {
  extras = extras.filter((s) => !sameSource(s, primary));
  const kept: Source[] = [];
  for (const source of extras) {
    const code = listedCode(source.code);
    const spec = code ? await host.loadSpec(code).catch(() => null) : null;
    const group = spec?.groups.find((g) => g.name === source.group);
    if (!spec || !group) continue;
    const named = { ...source, code: spec.code };
    loaded.set(sourceLabel(named), { spec, group });
    kept.push(named);
  }
  extras = kept.slice(0, MAX_SOURCES - 1);
}

function sources(primary: Primary): { source: Source; group: Group; spec: SpecJson }[] {
  return [primary, ...extras.map((source) => ({ source, ...loaded.get(sourceLabel(source))! }))].filter((s) => s.group);
}

/** The grid's rows: every source's, filtered as the feed is, one per event. */
export function shownRows(primary: Primary): ShownRow[] {
  const filters = { skipTypes, skipSubjects, labSubgroups };
  return mergeRows(sources(primary).map(({ source, group }) => ({ source: sourceLabel(source), rows: sourceRows(group, source.subgroup, filters) })));
}

/** How many groups the grid shows (a source tag on each block when more than one). */
export function sourceCount(): number {
  return 1 + extras.length;
}

export function renderCustom(primary: Primary): void {
  current = primary;
  for (const type of TYPES) $<HTMLInputElement>(`type-${type}`).checked = !skipTypes.includes(type);
  renderSources(primary);
  renderSubjects(primary);
  $<HTMLButtonElement>('add-source').disabled = sourceCount() >= MAX_SOURCES || !$<HTMLSelectElement>('add-group').value;
  void renderFeed(primary);
}

function renderSources(primary: Primary): void {
  const items = [el('li', { text: `${sourceLabel(primary.source)} (the group above)` })];
  for (const source of extras) {
    const remove = Object.assign(el('button', { text: 'Remove' }), { type: 'button' });
    remove.setAttribute('aria-label', `Remove ${sourceLabel(source)}`);
    remove.addEventListener('click', () => {
      extras = extras.filter((s) => s !== source);
      host.changed();
    });
    items.push(el('li', {}, `${sourceLabel(source)} `, remove));
  }
  $('source-list').replaceChildren(...items);
}

function renderSubjects(primary: Primary): void {
  // Subjects by key, across every source; the subgroups a subject's subgroup rows are in.
  const subjects = new Map<string, { subject: string; subgroups: Set<string> }>();
  for (const { group } of sources(primary)) {
    for (const e of group.entries) {
      const key = subjectKey(e.subject);
      const s = subjects.get(key) ?? { subject: e.subject, subgroups: new Set<string>() };
      const sub = group.hasSubgroups && e.formation.startsWith(`${group.name}/`) ? e.formation.slice(group.name.length + 1) : null;
      if (sub === '1' || sub === '2') s.subgroups.add(sub);
      subjects.set(key, s);
    }
  }
  $('subjects').replaceChildren(
    ...[...subjects].map(([key, { subject, subgroups }], i) => {
      const box = Object.assign(el('input'), { type: 'checkbox', checked: !skipSubjects.includes(key), id: `subject-${i}` });
      box.dataset.subject = subject;
      box.addEventListener('change', () => {
        skipSubjects = box.checked ? skipSubjects.filter((s) => s !== key) : [...skipSubjects, key];
        host.changed();
      });
      const row = el('li', {}, box, Object.assign(el('label', { text: ` ${subject}` }), { htmlFor: box.id }));
      if (subgroups.size > 1) {
        const select = Object.assign(el('select'), { id: `lab-${i}` });
        select.dataset.subject = subject;
        select.setAttribute('aria-label', `Subgroup for ${subject}`);
        select.append(Object.assign(el('option', { text: "subgroup: each group's own" }), { value: '' }));
        for (const n of ['1', '2'] as const) select.append(Object.assign(el('option', { text: `subgroup ${n}` }), { value: n, selected: labSubgroups[key] === n }));
        select.addEventListener('change', () => {
          const { [key]: _dropped, ...rest } = labSubgroups;
          labSubgroups = select.value === '1' || select.value === '2' ? { ...rest, [key]: select.value } : rest;
          host.changed();
        });
        row.append(' ', select);
      }
      return row;
    }),
  );
}

/** Fills the "add a group" group list for the chosen spec (and the subgroups for the chosen group). */
async function fillAddGroups(keepGroup = false): Promise<void> {
  const code = $<HTMLSelectElement>('add-spec').value;
  const groupSelect = $<HTMLSelectElement>('add-group');
  const subSelect = $<HTMLSelectElement>('add-sub');
  const spec = code ? await host.loadSpec(code).catch(() => null) : null;
  if (!keepGroup) groupSelect.replaceChildren(...(spec?.groups ?? []).map((g) => Object.assign(el('option', { text: g.name }), { value: g.name })));
  const group = spec?.groups.find((g) => g.name === groupSelect.value);
  for (const option of subSelect.options) option.disabled = option.value !== 'all' && !group?.hasSubgroups;
  if (!group?.hasSubgroups) subSelect.value = 'all';
  $<HTMLButtonElement>('add-source').disabled = !group || sourceCount() >= MAX_SOURCES;
}

async function addSource(): Promise<void> {
  const code = $<HTMLSelectElement>('add-spec').value;
  const group = $<HTMLSelectElement>('add-group').value;
  const subgroup = $<HTMLSelectElement>('add-sub').value as SourceSubgroup;
  if (!code || !group || !current || sourceCount() >= MAX_SOURCES) return;
  const source: Source = { code, group, subgroup };
  if (!sameSource(source, current.source) && !extras.some((s) => sameSource(s, source))) extras = [...extras, source];
  await loadCustom(current.source);
  host.changed();
}

/** The feed's address, if one is served: --feed-base, or this origin when it answers for the token (orar-cal serve). */
async function servedFeed(token: string): Promise<string | null> {
  if (host.index.feedBase) return feedAddress(host.index.feedBase, token);
  const url = feedAddress(new URL('.', location.href).href, token);
  let answer = served.get(token);
  if (!answer) {
    answer = fetch(url, { method: 'HEAD' }).then(
      (r) => r.ok && (r.headers.get('content-type') ?? '').startsWith('text/calendar'),
      () => {
        served.delete(token); // no answer (offline, say) is no verdict: ask again next time
        return false;
      },
    );
    served.set(token, answer);
  }
  return (await answer) ? url : null;
}

async function renderFeed(primary: Primary): Promise<void> {
  const selection = canonicalSelection(selectionOf(primary.source));
  const token = encodeToken(selection);
  const url = await servedFeed(token);
  if (current !== primary) return; // drawn again meanwhile
  const label = `${selection.sources.map(sourceLabel).join(' + ')} · custom`;
  renderSubscribe($('custom-subscribe'), url ? { url, label } : null, 'custom-');
  $('custom-subscribe').hidden = !url;
  $('custom-feed-note').textContent = url
    ? 'Subscribed, this selection follows every timetable change, like a group calendar.'
    : 'This site serves no custom feeds (it is not run by orar-cal serve and was generated without --feed-base), so a custom calendar is a one-time download here: it does not follow later timetable changes.';
}

/** The custom calendar, made here by the engine's merge from the published group calendars. */
async function downloadCustom(): Promise<void> {
  const primary = current;
  if (!primary) return;
  const selection = canonicalSelection(selectionOf(primary.source));
  const events: SourceEvents[] = [];
  const read = async (path: string): Promise<ReturnType<typeof readPublishedIcs>> => {
    const res = await fetch(path.split('/').map(encodeURIComponent).join('/'));
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return readPublishedIcs(await res.text());
  };
  try {
    for (const { source, group } of sources(primary)) {
      const pathOf = (sub: string): string | undefined => group.calendars.find((c) => (c.subgroup ?? 'all') === sub)?.path;
      // As the feed: a calendar the site does not list is left out, never replaced by another.
      const main = pathOf(source.subgroup);
      if (!main) continue;
      const subgroups: SourceEvents['subgroups'] = {};
      if (group.hasSubgroups && source.subgroup !== 'all') {
        for (const n of new Set(Object.values(selection.labSubgroups))) {
          const path = n === source.subgroup ? undefined : pathOf(n);
          if (path) subgroups[n] = await read(path);
        }
      }
      events.push({ group: group.name, main: await read(main), subgroups });
    }
  } catch (error) {
    $('custom-status').textContent = `Could not make the custom calendar: ${String(error)}`;
    return;
  }
  const kept = selectEvents(selection, events);
  if (kept.length === 0) {
    $('custom-status').textContent = 'Nothing to download: this selection leaves no class.';
    return;
  }
  const text = customCalendarText(feedName(selection.sources, primary.spec.semester), feedDescription(selection.sources, selection, []), kept);
  const a = Object.assign(el('a'), {
    href: URL.createObjectURL(new Blob([text], { type: 'text/calendar' })),
    download: `${primary.spec.code}-${primary.group.name.replace(/\W+/g, '-')}-custom.ics`,
  });
  document.body.append(a);
  a.click();
  a.remove();
  $('custom-status').textContent = `Custom calendar ready: ${kept.length} events.`;
}

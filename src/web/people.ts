// A teacher's or a room's week on the page: the same grid, download and
// subscribe as a group's, from the spec files (a teacher's own specs, every
// spec for a room) and the teacher's or room's published calendar.
import type { IndexJson, RoomIndexJson, SpecJson, TeacherJson } from '../site-data.js';
import { $ } from './dom.js';
import { entriesInWeek, type Entry, type WeekChoice } from './logic.js';
import { roomWeek, teacherWeek } from './people-logic.js';
import { renderSubscribe } from './subscribe.js';

export interface PeopleLists {
  teachers: readonly TeacherJson[];
  roomIndex: readonly RoomIndexJson[];
}

export interface PeopleHooks {
  index: IndexJson;
  loadSpec(code: string): Promise<SpecJson>;
  lists(): Promise<PeopleLists>;
  /** Draws the week's grid (app.ts): each block tagged with `tagOf` when given. */
  drawGrid(entries: Entry[], tagOf: ((entry: Entry) => string) | null): void;
}

/** A link to a site file from its site-relative path (each segment encoded). */
const siteHref = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/** Shows the week of the teacher or room `selection` names (by slug); says so when the site has no such one. */
export async function showPerson(selection: { teacher?: string; room?: string; week?: WeekChoice }, hooks: PeopleHooks): Promise<void> {
  const { teachers, roomIndex } = await hooks.lists();
  const teacher = selection.teacher ? teachers.find((t) => t.slug === selection.teacher) : undefined;
  const room = !teacher && selection.room ? roomIndex.find((r) => r.slug === selection.room) : undefined;
  $('selection').hidden = false;
  $('selection').querySelector<HTMLElement>('.controls')!.hidden = true;
  $('changed').replaceChildren();
  $('week-status').textContent = '';
  // The custom calendar is built from groups: it has nothing to do with this view.
  $('custom-title').parentElement!.hidden = true;
  for (const week of ['odd', 'even', 'all'] as const) $<HTMLInputElement>(`week-${week}`).checked = (selection.week ?? 'all') === week;
  if (!teacher && !room) {
    $('picked').textContent = `No ${selection.teacher ? 'teacher' : 'room'} "${selection.teacher ?? selection.room}" in this timetable.`;
    return;
  }
  const codes = teacher ? teacher.specs : hooks.index.specializations.flatMap((s) => s.years.filter((y) => y.status !== 'failed').map((y) => y.code));
  // A spec that cannot be read leaves its classes out; the rest still shows.
  const specs = (await Promise.allSettled(codes.map((c) => hooks.loadSpec(c)))).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const missing = codes.length - specs.length;
  const all = teacher ? teacherWeek(specs, teacher, teachers) : roomWeek(specs, room!.room);
  const entries = entriesInWeek(all, selection.week ?? 'all');
  const name = teacher ? teacher.name : room!.room;
  $('picked').textContent = teacher
    ? `Teacher: ${[...teacher.titles, teacher.name].join(' ')} (${teacher.specs.join(', ')})`
    : `Room: ${room!.room}${room!.location ? `, ${room!.location}` : ''}`;
  if (missing > 0) $('changed').textContent = `${missing} timetable${missing === 1 ? '' : 's'} could not be loaded: their classes are missing here.`;
  $('week-of').textContent = `: ${teacher ? name : `room ${name}`}`;
  // A room's blocks say who teaches; a teacher's say where (the block's room line).
  hooks.drawGrid(entries, teacher ? null : (e) => e.professor);

  const file = teacher ? teacher.file : room!.file;
  const url = new URL(siteHref(file), location.href).href;
  const download = $<HTMLAnchorElement>('download');
  download.href = url;
  download.download = file.split('/').at(-1)!;
  download.textContent = `Download ${teacher ? name : `room ${name}`} (.ics)`;
  download.removeAttribute('aria-disabled');
  $('get-hint').hidden = true;
  renderSubscribe($('subscribe'), { url, label: `${teacher ? name : `Room ${name}`} · ${hooks.index.semester}` });
}

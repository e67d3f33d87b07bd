// The details of a class: a bottom sheet on a phone, a popover on wider
// screens (style.css), a modal <dialog>: focus moves into it, Escape or
// Close or a tap outside closes it, and focus goes back to the class.
import { $, el } from './dom.js';
import { teacherFor, type Entry, type RoomIndexEntry, type TeacherIndexEntry } from './logic.js';

/** What the sheet adds to a row: the legend's locations and the teacher/room calendars, when the site has them. */
export interface DetailsData {
  /** data/rooms.json: room code -> location. */
  rooms: Record<string, string>;
  teachers: readonly TeacherIndexEntry[];
  roomIndex: readonly RoomIndexEntry[];
}

const TYPE_NAME = { Curs: 'Course', Seminar: 'Seminar', Laborator: 'Lab' } as const;
const PARITY = { every: 'every week', odd: 'week 1 (odd weeks)', even: 'week 2 (even weeks)' } as const;

/** A link to a site file from its site-relative path (each segment encoded). */
const siteHref = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

export function initDetails(): { show(entry: Entry, data: DetailsData): void } {
  const dialog = $<HTMLDialogElement>('details');
  $('details-close').addEventListener('click', () => dialog.close());
  // A tap on the backdrop (the dialog itself, outside its sheet) closes it.
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close();
  });
  return {
    show(entry, data) {
      $('details-title').textContent = entry.subject;
      const location = data.rooms[entry.room] ?? data.roomIndex.find((r) => r.room === entry.room)?.location;
      const rows: [string, string][] = [
        ['Type', TYPE_NAME[entry.type]],
        ['Hours', `${entry.startHour}:00-${entry.endHour}:00`],
        ['When', PARITY[entry.frequency]],
        ['Room', location ? `${entry.room} (${location})` : entry.room],
        ['Teacher', entry.professor || 'not given'],
        ['Formation', entry.formation],
      ];
      $('details-list').replaceChildren(...rows.flatMap(([term, value]) => [el('dt', { text: term }), el('dd', { text: value })]));
      const teacher = entry.professor ? teacherFor(entry.professor, data.teachers) : null;
      const room = data.roomIndex.find((r) => r.room === entry.room);
      const links = [
        ...(teacher ? [Object.assign(el('a', { className: 'button', text: `${teacher.name}'s calendar` }), { href: siteHref(teacher.file) })] : []),
        ...(room ? [Object.assign(el('a', { className: 'button', text: `Room ${room.room}'s calendar` }), { href: siteHref(room.file) })] : []),
      ];
      $('details-links').replaceChildren(...links);
      $('details-links').hidden = links.length === 0;
      dialog.showModal();
    },
  };
}

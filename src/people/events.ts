// A teacher's or a room's slots as calendar events, with UIDs that leave
// out what may change in place: a teacher's event is named by the teacher,
// date and start hour (a room change updates it), a room's by the room,
// date and start hour (a teacher change updates it). Pure.
import type { ClassEvent } from '../calendar/events.js';
import { locationOf, summaryOf } from '../calendar/events.js';
import { eventUid } from '../calendar/uid.js';
import type { Rooms } from '../model.js';
import type { TimetableRow } from './rows.js';
import type { Slot } from './views.js';

/** What an event of a slot says: the same object for slots with the same rows (see `slotEvents`). */
export type SlotText = Pick<ClassEvent, 'summary' | 'location' | 'description'>;

/**
 * One event per slot, in the slots' order. `stemBase` names the calendar
 * (`2025-2-teacher-blaga-paul`); two slots of one date and start hour (a
 * clash) are told apart by "-2", "-3" in slot order. Events with the same
 * text object share one `row` (the ics renderer makes one template per row
 * and text), so give the same object for the same text.
 */
export function slotEvents(slots: readonly Slot[], stemBase: string, textOf: (slot: Slot) => SlotText): ClassEvent[] {
  const rows = new Map<SlotText, ClassEvent['row']>();
  const events: ClassEvent[] = [];
  let previous = '';
  let n = 0;
  for (const slot of slots) {
    const first = slot.rows[0]!;
    const at = `${slot.date}|${slot.startHour}`;
    n = at === previous ? n + 1 : 1;
    previous = at;
    const stem = `${stemBase}-${first.day.slice(0, 2)}${String(slot.startHour).padStart(2, '0')}${n > 1 ? `-${n}` : ''}`;
    const text = textOf(slot);
    let row = rows.get(text);
    if (!row) {
      const { day, type, subject, room, professor, formation, frequency } = first;
      row = { day, type, subject, room, professor, formation, frequency };
      rows.set(text, row);
    }
    events.push({ uid: eventUid(stem, slot.date), stem, date: slot.date, startHour: slot.startHour, endHour: slot.endHour, summary: text.summary, location: text.location, description: text.description, row });
  }
  return events;
}

/** `[C] Algebra`, or several when one class is listed under more than one subject: `[C] Algebra / [C] Algebra liniara`. */
function slotSummary(slot: Slot): string {
  return [...new Set(slot.rows.map((r) => summaryOf(r)))].join(' / ');
}

/** `921 (IE2)`; a year-wide formation is its spec's code already (`IE2`). */
function formationLabel(row: Pick<TimetableRow, 'spec' | 'formation'>): string {
  return row.formation === row.spec ? row.spec : `${row.formation} (${row.spec})`;
}

/** One line per type: `Curs, 921 (IE2), 922 (IE2), MI3`. ASCII separators (the folding fast path). */
function formationLines(slot: Slot): string[] {
  const byType = new Map<string, string[]>();
  for (const row of slot.rows) {
    const labels = byType.get(row.type) ?? [];
    const label = formationLabel(row);
    if (!labels.includes(label)) labels.push(label);
    byType.set(row.type, labels);
  }
  return [...byType].map(([type, labels]) => `${type}, ${labels.join(', ')}`);
}

/** A teacher's event: the subject(s), the room, the formations and specs. */
export function teacherEventText(slot: Slot, rooms: Rooms): SlotText {
  return { summary: slotSummary(slot), location: slot.room === '' ? '' : locationOf(slot, rooms), description: formationLines(slot).join('\n') };
}

/** A room's event: the subject(s), the room, the teacher as the timetable writes them, the formations and specs. */
export function roomEventText(slot: Slot, rooms: Rooms): SlotText {
  const teacher = slot.rows.find((r) => r.professor.trim() !== '')?.professor.trim() ?? '';
  return { summary: slotSummary(slot), location: locationOf(slot, rooms), description: [teacher, ...formationLines(slot)].filter(Boolean).join('\n') };
}


// Free rooms: which room is taken on which date at which hour, exact by
// date. One number per room and date (a bit per hour) keeps the whole
// semester of the faculty small enough for a phone. Pure.
import type { IsoDate } from '../model.js';
import type { OccupancyJson } from '../site-data.js';
import type { Slot } from './views.js';

/** A room's taken hours by date, as bits (see OccupancyJson). */
export function takenHours(slots: readonly Slot[]): Map<IsoDate, number> {
  const masks = new Map<IsoDate, number>();
  for (const slot of slots) masks.set(slot.date, (masks.get(slot.date) ?? 0) | hoursMask(slot.startHour, slot.endHour));
  return masks;
}

/** data/occupancy.json from each room's taken hours; `rooms` in the room index's order. */
export function occupancy(semester: string, rooms: readonly { room: string; taken: ReadonlyMap<IsoDate, number> }[]): OccupancyJson {
  const byDate = new Map<IsoDate, number[]>();
  rooms.forEach(({ taken }, i) => {
    for (const [date, mask] of taken) {
      let masks = byDate.get(date);
      if (!masks) {
        masks = new Array<number>(rooms.length).fill(0);
        byDate.set(date, masks);
      }
      masks[i] = mask;
    }
  });
  const sorted = [...byDate.keys()].sort();
  const dates: OccupancyJson['dates'] = {};
  for (const date of sorted) dates[date] = byDate.get(date)!;
  return { semester, from: sorted[0] ?? null, to: sorted.at(-1) ?? null, rooms: rooms.map((r) => r.room), dates };
}

/** Bits start..end-1: the hours a class takes (hours 0-24, so it fits a 32-bit int). */
function hoursMask(startHour: number, endHour: number): number {
  let mask = 0;
  for (let h = Math.max(0, startHour); h < Math.min(24, endHour); h++) mask |= 1 << h;
  return mask;
}

// "Free rooms": a date (today by default) and an hour (now by default), and
// every room free then, by building, with until when.
import type { OccupancyJson, RoomIndexJson } from '../site-data.js';
import { $, el } from './dom.js';
import { todayIn } from './logic.js';
import { freeRooms, hourIn } from './people-logic.js';

export interface FreeRoomsHooks {
  /** data/occupancy.json and data/room-index.json (a few tens of kB for a real faculty). */
  load(): Promise<[OccupancyJson, RoomIndexJson[]]>;
  /** The faculty's time zone (today and now are there). */
  timeZone: string | undefined;
}

export function initFreeRooms(hooks: FreeRoomsHooks): void {
  const date = $<HTMLInputElement>('free-date');
  const hour = $<HTMLSelectElement>('free-hour');
  const out = $('free-list');
  const status = $('free-status');
  hour.replaceChildren(...Array.from({ length: 24 }, (_, h) => Object.assign(el('option', { text: `${h}:00` }), { value: String(h) })));
  const now = new Date();
  date.value = todayIn(now, hooks.timeZone);
  hour.value = String(hourIn(now, hooks.timeZone));
  let data: Promise<[OccupancyJson, RoomIndexJson[]]> | null = null;

  const show = async (): Promise<void> => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date.value)) {
      status.textContent = 'Choose a date.';
      out.replaceChildren();
      return;
    }
    data ??= hooks.load();
    let occupancy: OccupancyJson;
    let index: RoomIndexJson[];
    try {
      [occupancy, index] = await data;
    } catch (error) {
      data = null; // try again next time
      status.textContent = `Could not load the rooms' timetable: ${String(error)}`;
      return;
    }
    const h = Number(hour.value);
    const answer = freeRooms(occupancy, index, date.value, h);
    const free = answer.buildings.reduce((n, b) => n + b.rooms.length, 0);
    status.textContent = answer.noClasses
      ? `No classes are listed on ${date.value} (a weekend, a holiday or a vacation): all ${free} rooms are free all day.`
      : answer.covered
      ? `${free} of ${free + answer.taken} rooms free on ${date.value} at ${h}:00.`
      : `${date.value} is outside the dates the timetable covers (${occupancy.from ?? '?'} to ${occupancy.to ?? '?'}): no classes are listed then.`;
    out.replaceChildren(
      ...answer.buildings.map(({ building, rooms }) =>
        el(
          'section',
          { className: 'building' },
          el('h3', { text: building }),
          el(
            'ul',
            { className: 'free-rooms' },
            ...rooms.map((r) => {
              const item = el('li', {}, el('strong', { text: r.room }), ` ${r.until === null ? 'free for the rest of the day' : `free until ${r.until}:00`}`);
              if (r.location) item.append(el('small', { className: 'muted', text: ` · ${r.location}` }));
              item.dataset.room = r.room;
              return item;
            }),
          ),
        ),
      ),
    );
    out.dataset.shown = `${date.value}T${h}`;
  };
  date.addEventListener('change', () => void show());
  hour.addEventListener('change', () => void show());
  whenInView($('free-title').closest('section')!, () => void show());
}

/** Calls `then` once `element` is (nearly) on screen: data below the fold waits until someone scrolls to it. */
function whenInView(element: Element, then: () => void): void {
  if (!('IntersectionObserver' in window)) return then();
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      then();
    },
    { rootMargin: '200px' },
  );
  observer.observe(element);
}

// What changed, for people: event-level changes grouped back into classes
// ("Tuesday 10-12 Programare Web moved from L439 to C335, from week 6").
import type { EventType, IsoDate, Weekday } from '../model.js';
import { dayNumber } from './dates.js';
import type { EventChange } from './publication.js';
import type { TeachingWeek } from './teaching-weeks.js';

export interface ClassSlot {
  day: Weekday;
  startHour: number;
  endHour: number;
  room: string;
  professor: string;
  formation: string;
}

export interface ClassChange {
  /** moved: the class left its day or start hour (its events got new UIDs). */
  kind: 'added' | 'changed' | 'moved' | 'cancelled';
  group: string;
  subject: string;
  type: EventType;
  before?: ClassSlot;
  after?: ClassSlot;
  /** Dates of the events concerned. */
  dates: IsoDate[];
  /** The teaching week the change takes effect from (the first one not yet past). */
  fromWeek: number | null;
  /** The change in plain words. */
  text: string;
}

const DAY_NAMES: Record<Weekday, string> = {
  Luni: 'Monday', Marti: 'Tuesday', Miercuri: 'Wednesday', Joi: 'Thursday', Vineri: 'Friday', Sambata: 'Saturday',
};
const TYPE_NAMES: Record<EventType, string> = { Curs: 'course', Seminar: 'seminar', Laborator: 'lab' };

type Side = NonNullable<EventChange['before']>;

function slotOf(e: Side): ClassSlot {
  return { day: e.row.day, startHour: e.startHour, endHour: e.endHour, room: e.row.room, professor: e.row.professor, formation: e.row.formation };
}

const when = (s: ClassSlot): string => `${DAY_NAMES[s.day]} ${s.startHour}-${s.endHour}`;

/**
 * Groups event changes by group and class. `groupOf` tells which group a
 * calendar path belongs to; `today` decides "from week N".
 */
export function describeChanges(
  changes: readonly EventChange[],
  groupOf: (path: string) => string,
  weeks: readonly TeachingWeek[],
  today: IsoDate,
): ClassChange[] {
  const buckets = new Map<string, { change: EventChange; group: string; dates: IsoDate[] }>();
  for (const change of changes) {
    const side = (change.after ?? change.before)!;
    const before = change.before ? slotOf(change.before) : undefined;
    const after = change.after ? slotOf(change.after) : undefined;
    for (const group of new Set(change.paths.map(groupOf))) {
      const key = JSON.stringify([group, change.kind, side.row.subject, side.row.type, before, after]);
      const bucket = buckets.get(key) ?? { change, group, dates: [] };
      bucket.dates.push(side.date);
      buckets.set(key, bucket);
    }
  }
  const classes: ClassChange[] = [...buckets.values()].map(({ change, group, dates }) => {
    const side = (change.after ?? change.before)!;
    return {
      kind: change.kind,
      group,
      subject: side.row.subject,
      type: side.row.type,
      before: change.before ? slotOf(change.before) : undefined,
      after: change.after ? slotOf(change.after) : undefined,
      dates: [...new Set(dates)].sort(),
      fromWeek: null,
      text: '',
    };
  });

  // A class cancelled at one time and added at another, same subject, type
  // and formation: one class that moved.
  const result: ClassChange[] = [];
  const added = classes.filter((c) => c.kind === 'added');
  for (const c of classes) {
    if (c.kind === 'added') continue;
    if (c.kind === 'cancelled') {
      const i = added.findIndex(
        (a) => a.group === c.group && a.subject === c.subject && a.type === c.type && a.after!.formation === c.before!.formation,
      );
      if (i >= 0) {
        const [a] = added.splice(i, 1);
        result.push({ ...c, kind: 'moved', after: a!.after, dates: [...new Set([...c.dates, ...a!.dates])].sort() });
        continue;
      }
    }
    result.push(c);
  }
  result.push(...added);
  return result.map((c) => {
    const fromWeek = weekFrom(c.dates, weeks, today);
    return { ...c, fromWeek, text: sentence(c, fromWeek) };
  });
}

function weekFrom(dates: readonly IsoDate[], weeks: readonly TeachingWeek[], today: IsoDate): number | null {
  const date = dates.find((d) => d >= today) ?? dates[0];
  if (!date) return null;
  const day = dayNumber(date);
  return weeks.find((w) => day >= dayNumber(w.monday) && day < dayNumber(w.monday) + 7)?.number ?? null;
}

function sentence(c: ClassChange, fromWeek: number | null): string {
  const what = `${c.subject} (${TYPE_NAMES[c.type]}, ${(c.after ?? c.before)!.formation})`;
  const from = fromWeek === null ? '' : `, from week ${fromWeek}`;
  const b = c.before;
  const a = c.after;
  switch (c.kind) {
    case 'added':
      return `New: ${when(a!)} ${what} in ${a!.room}${from}`;
    case 'cancelled':
      return `Cancelled: ${when(b!)} ${what}${from}`;
    case 'moved':
      return `${when(b!)} ${what} moved to ${when(a!)}${a!.room !== b!.room ? ` in ${a!.room}` : ''}${from}`;
    case 'changed': {
      const parts: string[] = [];
      if (a!.room !== b!.room) parts.push(`moved from ${b!.room} to ${a!.room}`);
      if (a!.endHour !== b!.endHour) parts.push(`now ends at ${a!.endHour} (was ${b!.endHour})`);
      if (a!.professor !== b!.professor) parts.push(`now with ${a!.professor} (was ${b!.professor})`);
      if (parts.length === 0) parts.push('details changed');
      return `${when(b!)} ${what} ${parts.join(', ')}${from}`;
    }
  }
}

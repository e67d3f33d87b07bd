// Which rows go into which calendar file of a group: a group G gets G-1,
// G-2 and G-all; a group already named like "243/1" gets one file.
import type { Entry, GroupTable } from '../model.js';

export type Subgroup = '1' | '2' | 'all';

export interface CalendarSelection {
  group: string;
  /** null for a group that is itself a subgroup ("243/1"). */
  subgroup: Subgroup | null;
  /** "921/1", "921/2", "921 (all)", "243/1". */
  label: string;
  /** File name without directory, from the group label; made safe later. */
  baseName: string;
  entries: Entry[];
}

/** Year-wide rows (formation "IE2", not a group number) belong to everyone. */
function isYearWide(formation: string): boolean {
  return !/^\d/.test(formation);
}

export function belongsTo(formation: string, group: string, subgroup: Subgroup): boolean {
  if (isYearWide(formation) || formation === group) return true;
  if (subgroup === 'all') return formation.startsWith(`${group}/`);
  return formation === `${group}/${subgroup}`;
}

export function selectCalendars(table: GroupTable): CalendarSelection[] {
  const { group, entries } = table;
  if (group.includes('/')) {
    const parent = group.slice(0, group.indexOf('/'));
    return [
      {
        group,
        subgroup: null,
        label: group,
        baseName: group.replaceAll('/', '-'),
        entries: entries.filter((e) => isYearWide(e.formation) || e.formation === group || e.formation === parent),
      },
    ];
  }
  return (['1', '2', 'all'] as const).map((subgroup) => ({
    group,
    subgroup,
    label: subgroup === 'all' ? `${group} (all)` : `${group}/${subgroup}`,
    baseName: `${group}-${subgroup}`,
    entries: entries.filter((e) => belongsTo(e.formation, group, subgroup)),
  }));
}

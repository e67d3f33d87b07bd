// The custom calendar on the page, without the DOM: which rows the grid shows
// for a selection, by the engine's own rules (src/custom/merge.ts), and where
// its feed is. The selection and its token are the engine's (src/custom/).
import { classFilter, subgroupOf } from '../custom/merge.js';
import type { Selection, Source, SourceSubgroup } from '../custom/selection.js';
import { entriesFor, type Entry, type Group, type SubgroupChoice } from './logic.js';

/** The grid's subgroup choice for a source's subgroup. */
function gridSubgroup(subgroup: SourceSubgroup): SubgroupChoice {
  return subgroup === 'all' ? 'both' : subgroup;
}

/**
 * The rows a selection keeps from one source's group, as the feed keeps its
 * events: skipped types and subjects out; for a subject with a lab subgroup
 * N, every subgroup row of it (any type) only from subgroup N, taken from N
 * when the source names the other subgroup.
 */
export function sourceRows(group: Group, subgroup: SourceSubgroup, selection: Pick<Selection, 'skipTypes' | 'skipSubjects' | 'labSubgroups'>): Entry[] {
  const { wanted, labOf } = classFilter(selection);
  const kept = entriesFor(group, gridSubgroup(subgroup)).filter((e) => {
    if (!wanted(e)) return false;
    const lab = labOf(e);
    const sub = subgroupOf(e.formation, group.name);
    return lab === undefined || sub === null || sub === lab;
  });
  if (group.hasSubgroups && subgroup !== 'all') {
    for (const e of group.entries) {
      const lab = labOf(e);
      if (lab !== undefined && lab !== subgroup && wanted(e) && subgroupOf(e.formation, group.name) === lab) kept.push(e);
    }
  }
  return kept;
}

export interface ShownRow {
  entry: Entry;
  /** The source it comes from ("RO1 101/1"). */
  source: string;
}

/** Rows of several sources, one per UID stem (a year-wide course listed by two sources is one block, as it is one event). */
export function mergeRows(bySource: readonly { source: string; rows: readonly Entry[] }[]): ShownRow[] {
  const seen = new Set<string>();
  const out: ShownRow[] = [];
  for (const { source, rows } of bySource) {
    for (const entry of rows) {
      if (seen.has(entry.uidStem)) continue;
      seen.add(entry.uidStem);
      out.push({ entry, source });
    }
  }
  return out;
}

/** Whether a selection is just its first source, unfiltered: the plain group calendar, no custom part to keep. */
export function isPlain(selection: Selection): boolean {
  return selection.sources.length <= 1 && selection.skipTypes.length === 0 && selection.skipSubjects.length === 0 && Object.keys(selection.labSubgroups).length === 0;
}

export function sameSource(a: Source, b: Source): boolean {
  return a.code.toUpperCase() === b.code.toUpperCase() && a.group === b.group && a.subgroup === b.subgroup;
}


// orar-cal calendar on a terminal with no --add: asks for the selection
// (a specialization by search, year and group, subgroup, more groups, types,
// subjects, lab subgroups) and remembers the answers for next time in the
// user's config folder ($XDG_CONFIG_HOME/orar-cal or ~/.config/orar-cal).
import { checkbox, confirm, input, search, select } from '@inquirer/prompts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readIndex, readSpec } from '../custom/feed.js';
import { canonicalSelection, MAX_SOURCES, sourceLabel, type Selection, type Source, type SourceSubgroup } from '../custom/selection.js';
import type { ParsedFiles } from '../custom/site-reader.js';
import { subjectKey } from '../custom/subjects.js';
import type { EventType, SpecJson } from '../site-data.js';
import { search as searchSpecs } from '../web/logic.js';

/** What is remembered between runs. */
export interface RememberedAnswers {
  selection?: Selection;
  out?: string;
}

/** $XDG_CONFIG_HOME/orar-cal/calendar.json, or ~/.config/orar-cal/calendar.json. */
export function answersFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'orar-cal', 'calendar.json');
}

export function readAnswers(file: string): RememberedAnswers {
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as RememberedAnswers;
    return { selection: stored.selection ? canonicalSelection(stored.selection) : undefined, out: typeof stored.out === 'string' ? stored.out : undefined };
  } catch {
    // Missing or unreadable: nothing remembered; the next answers replace it.
    return {};
  }
}

export function writeAnswers(file: string, answers: RememberedAnswers): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(answers, null, 2)}\n`);
}

const TYPES: { type: EventType; name: string }[] = [
  { type: 'Curs', name: 'courses' },
  { type: 'Seminar', name: 'seminars' },
  { type: 'Laborator', name: 'labs' },
];

/** Asks for a selection and where to write it, defaulting to the last answers; saves the new ones. */
export async function askSelection(files: ParsedFiles, site: string, out: string | undefined): Promise<{ selection: Selection; out: string }> {
  const file = answersFile();
  const last = readAnswers(file);
  const inputs = new Map<string, string>();
  const index = await readIndex(files, inputs);
  const sources: Source[] = [];
  const groups: SpecJson['groups'] = [];
  for (;;) {
    const previous = last.selection?.sources[sources.length];
    const code = await search<string>({
      message: sources.length === 0 ? 'Specialization (type a code or words, e.g. "ie2", "informatica engleza 2")' : 'Another specialization',
      default: previous?.code,
      source: (term) => searchSpecs(index, term ?? previous?.code ?? '', 12).map((hit) => ({ value: hit.code, name: `${hit.code}  ${hit.name}, year ${hit.year}` })),
    });
    const spec = await readSpec(files, index, code, inputs);
    if (!spec) {
      process.stderr.write(`orar-cal calendar: the site's data for ${code} cannot be read; choose another\n`);
      continue;
    }
    const name = await select<string>({ message: 'Group', choices: spec.groups.map((g) => ({ value: g.name })), default: previous?.group });
    const group = spec.groups.find((g) => g.name === name)!;
    let subgroup: SourceSubgroup = 'all';
    if (group.hasSubgroups) {
      subgroup = await select<SourceSubgroup>({
        message: 'Subgroup',
        choices: [{ value: '1' as const, name: `${name}/1` }, { value: '2' as const, name: `${name}/2` }, { value: 'all' as const, name: `both (${name} all)` }],
        default: previous?.subgroup,
      });
    }
    sources.push({ code: spec.code, group: name, subgroup });
    groups.push(group);
    if (sources.length >= MAX_SOURCES) break;
    if (!(await confirm({ message: `Add another group to ${sources.map(sourceLabel).join(' + ')}?`, default: (last.selection?.sources.length ?? 1) > sources.length }))) break;
  }

  const keep = await checkbox<EventType>({
    message: 'Types to keep',
    choices: TYPES.map(({ type, name }) => ({ value: type, name, checked: !last.selection?.skipTypes.includes(type) })),
    validate: (chosen) => chosen.length > 0 || 'Keep at least one type: a calendar without any would stay empty.',
  });
  const subjects = new Map<string, string>();
  for (const g of groups) for (const e of g.entries) subjects.set(subjectKey(e.subject), e.subject);
  const sorted = [...subjects].sort(([, a], [, b]) => a.localeCompare(b));
  const skipSubjects = await checkbox<string>({
    message: 'Subjects to leave out',
    choices: sorted.map(([key, subject]) => ({ value: key, name: subject, checked: last.selection?.skipSubjects.includes(key) ?? false })),
  });
  const withSubgroupRows = sorted.filter(([key]) => !skipSubjects.includes(key) && groups.some((g) => g.entries.some((e) => subjectKey(e.subject) === key && e.formation.startsWith(`${g.name}/`))));
  const labSubgroups: Record<string, '1' | '2'> = {};
  if (withSubgroupRows.length > 0) {
    const other = await checkbox<string>({
      message: 'Subjects whose subgroup rows (labs) you follow with a given subgroup',
      choices: withSubgroupRows.map(([key, subject]) => ({ value: key, name: subject, checked: key in (last.selection?.labSubgroups ?? {}) })),
    });
    for (const key of other) {
      labSubgroups[key] = await select<'1' | '2'>({ message: `${subjects.get(key)}: subgroup`, choices: [{ value: '1' as const }, { value: '2' as const }], default: last.selection?.labSubgroups[key] });
    }
  }
  const selection = canonicalSelection({ sources, skipTypes: TYPES.map((t) => t.type).filter((t) => !keep.includes(t)), skipSubjects, labSubgroups });
  const target = out ?? (await input({ message: 'Write the calendar to', default: last.out ?? 'custom.ics' }));
  writeAnswers(file, { selection, out: target });
  process.stderr.write(`the same from the command line: orar-cal calendar --site ${JSON.stringify(site)} ${commandLine(selection)} -o ${JSON.stringify(target)}\n`);
  return { selection, out: target };
}

/** The flags that give this selection. */
export function commandLine(selection: Selection): string {
  const letters: Record<EventType, string> = { Curs: 'course', Seminar: 'seminar', Laborator: 'lab' };
  return [
    ...selection.sources.map((s) => `--add ${JSON.stringify(`${s.code}:${s.group}:${s.subgroup}`)}`),
    ...selection.skipTypes.map((t) => `--skip-type ${letters[t]}`),
    ...selection.skipSubjects.map((s) => `--skip ${JSON.stringify(s)}`),
    ...Object.entries(selection.labSubgroups).map(([s, n]) => `--lab ${JSON.stringify(`${s}=${n}`)}`),
  ].join(' ');
}

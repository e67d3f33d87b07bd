// Which study line a specialization follows, and whether its year is the
// last one (final years end semester II early: "Anii terminali").
import type { CalendarKey, Semester, Spec, StudyLine } from '../model.js';
import { fold } from '../scrape/text.js';

const HUNGARIAN_CODES = new Set(['IM', 'MM', 'MIM', 'IIM', 'MIMDS']);
const GERMAN_CODES = new Set(['IG']);

/**
 * The university's study line of a spec: Romanian, Hungarian or German
 * (English-taught programmes belong to the Romanian line). This is the
 * `studyLine` of data/{CODE}.json.
 */
export function studyLineOf(spec: Pick<Spec, 'name' | 'code'>): Exclude<StudyLine, 'english'> {
  const name = fold(spec.name);
  if (name.includes('maghiar')) return 'hungarian';
  if (name.includes('german')) return 'german';
  // Only when the name says nothing of its language does the code decide.
  if (/\b(roman|englez)/.test(name)) return 'romanian';
  const prefix = spec.code.replace(/\d+$/, '');
  if (HUNGARIAN_CODES.has(prefix)) return 'hungarian';
  if (GERMAN_CODES.has(prefix)) return 'german';
  return 'romanian';
}

/** Master's: 2 years; "Ingineria ..." and "... 4 ani": 4; the rest: 3. */
export function finalYearOf(spec: Pick<Spec, 'name' | 'master'>): number {
  if (spec.master) return 2;
  const name = fold(spec.name);
  if (/^ingineria\b/.test(name) || /\b4 ani\b/.test(name)) return 4;
  return 3;
}

export function isFinalYear(spec: Spec): boolean {
  return spec.year >= finalYearOf(spec);
}

/**
 * The line whose calendar a spec asks for: its study line, or 'english' for
 * a Romanian-line programme whose name says it is taught in English (the
 * academic calendar serves it from the Romanian section when the page has
 * no English one).
 */
function calendarLineOf(spec: Pick<Spec, 'name' | 'code'>): StudyLine {
  const line = studyLineOf(spec);
  const name = fold(spec.name);
  return line === 'romanian' && /\benglez/.test(name) && !/\broman/.test(name) ? 'english' : line;
}

export function calendarKeyOf(spec: Spec, semester: Semester): CalendarKey {
  return { line: calendarLineOf(spec), semester, finalYear: isFinalYear(spec) };
}

// Which study line a specialization follows, and whether its year is the
// last one (final years end semester II early: "Anii terminali").
import type { CalendarKey, Semester, Spec, StudyLine } from '../model.js';
import { fold } from '../scrape/text.js';

const HUNGARIAN_CODES = new Set(['IM', 'MM', 'MIM', 'IIM', 'MIMDS']);
const GERMAN_CODES = new Set(['IG']);

export function studyLineOf(spec: Pick<Spec, 'name' | 'code'>): StudyLine {
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

export function calendarKeyOf(spec: Spec, semester: Semester): CalendarKey {
  return { line: studyLineOf(spec), semester, finalYear: isFinalYear(spec) };
}

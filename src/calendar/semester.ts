// Semesters are written `YYYY-S`: 2025-1 is the first semester of 2025-2026.
import type { Semester } from '../model.js';
import { localDate } from './dates.js';

export function parseSemester(text: string): Semester | null {
  const m = /^(\d{4})-([12])$/.exec(text.trim());
  return m ? { year: Number(m[1]), half: m[2] === '1' ? 1 : 2 } : null;
}

export function formatSemester(s: Semester): string {
  return `${s.year}-${s.half}`;
}

/**
 * The semester running on `today` in Cluj: September-January is the first
 * semester of the academic year that started that September; February-August
 * the second semester of the one that started the September before.
 */
export function defaultSemester(today: Date): Semester {
  const [year, month] = localDate(today).split('-').map(Number) as [number, number];
  if (month >= 9) return { year, half: 1 };
  if (month === 1) return { year: year - 1, half: 1 };
  return { year: year - 1, half: 2 };
}

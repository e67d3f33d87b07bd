// Where the faculty's and the university's pages are. A module of its own so
// the command line can name them, and a run ask for the index, without
// loading the generator.
import { formatSemester } from './calendar/semester.js';
import type { Semester } from './model.js';
export const DEFAULT_SCHEDULE_ROOT = 'https://www.cs.ubbcluj.ro/files/orar';
export const DEFAULT_CALENDAR_URL = 'https://www.ubbcluj.ro/ro/studenti/invatamant/structura_anului_universitar';

export interface ScheduleUrls {
  index: string;
  legend: string;
  page(code: string): string;
}

/** A semester's pages under the timetable root. */
export function scheduleUrls(root: string, semester: Semester): ScheduleUrls {
  const base = `${root.replace(/\/+$/, '')}/${formatSemester(semester)}`;
  return {
    index: `${base}/tabelar/index.html`,
    legend: `${base}/sali/legenda.html`,
    page: (code) => `${base}/tabelar/${encodeURIComponent(code)}.html`,
  };
}

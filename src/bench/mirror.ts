// The real pages of ../shared/ubb-mirror, served by the project's own page
// server so the mirror row and the sample-faculty rows share the same server
// code. Only semester 2025-2 is served: its index, the pages the index links
// to, the room legend and the academic-year page.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServedPage } from '../demo/server.js';

export const MIRROR_SEMESTER = '2025-2';
/** URL paths as on the real servers (and in the mirror's data/site/). */
const MIRROR_SCHEDULE_PATH = '/files/orar';
const MIRROR_CALENDAR_PATH = '/ro/studenti/invatamant/structura_anului_universitar';

/** What the benchmark serves and which URLs a run is expected to ask for. */
export interface BenchSite {
  page(urlPath: string): ServedPage | undefined;
  scheduleRootPath: string;
  indexPath: string;
  legendPath: string;
  calendarPath: string;
  /** Timetable pages in index order: the floor client asks for them in this order. */
  pagePaths: string[];
}

/** The timetable pages an index links to, in order, each once. */
export function indexLinks(indexHtml: string): string[] {
  const links = [...indexHtml.matchAll(/href\s*=\s*["']?([^"'\s>/]+\.html)["'\s>]/gi)].map((m) => m[1]!);
  return [...new Set(links.filter((l) => l.toLowerCase() !== 'index.html'))];
}

/**
 * As the real servers answer: the faculty's pages are ISO-8859-2 bytes sent
 * as plain "text/html" (the client must decode them), the university's
 * academic page is UTF-8 and says so.
 */
export function mirrorContentType(urlPath: string): string {
  return urlPath.startsWith(`${MIRROR_SCHEDULE_PATH}/`) ? 'text/html' : 'text/html; charset=utf-8';
}

/** The site from the mirror's files (URL path -> bytes), all read beforehand. */
export function mirrorSite(files: ReadonlyMap<string, Buffer>): BenchSite {
  const base = `${MIRROR_SCHEDULE_PATH}/${MIRROR_SEMESTER}`;
  const indexPath = `${base}/tabelar/index.html`;
  const index = files.get(indexPath);
  if (!index) throw new Error(`the mirror has no ${indexPath}`);
  const pagePaths = indexLinks(index.toString('latin1')).map((l) => `${base}/tabelar/${l}`);
  const missing = pagePaths.filter((p) => !files.has(p));
  if (missing.length > 0) throw new Error(`the mirror's index links to pages it does not hold: ${missing.join(', ')}`);
  const pages = new Map<string, ServedPage>([...files].map(([p, body]) => [p, { body, contentType: mirrorContentType(p) }]));
  return {
    page: (urlPath) => pages.get(urlPath),
    scheduleRootPath: MIRROR_SCHEDULE_PATH,
    indexPath,
    legendPath: `${base}/sali/legenda.html`,
    calendarPath: MIRROR_CALENDAR_PATH,
    pagePaths,
  };
}

/**
 * Reads the files a run of semester 2025-2 asks for from DIR/data/site/
 * (DIR is the folder holding serve.mjs and data/). Throws an Error that
 * names the missing file and what to pass instead.
 */
export function readMirror(dir: string): BenchSite {
  const root = path.resolve(dir, 'data', 'site');
  const read = (urlPath: string): Buffer => {
    const file = path.join(root, urlPath);
    if (!existsSync(file)) throw new Error(`--mirror ${dir}: no ${file}. Pass the folder holding serve.mjs and data/ (e.g. ../shared/ubb-mirror).`);
    return readFileSync(file);
  };
  const base = `${MIRROR_SCHEDULE_PATH}/${MIRROR_SEMESTER}`;
  const files = new Map<string, Buffer>();
  for (const p of [`${base}/tabelar/index.html`, `${base}/sali/legenda.html`, MIRROR_CALENDAR_PATH]) files.set(p, read(p));
  for (const link of indexLinks(files.get(`${base}/tabelar/index.html`)!.toString('latin1'))) {
    files.set(`${base}/tabelar/${link}`, read(`${base}/tabelar/${link}`));
  }
  return mirrorSite(files);
}

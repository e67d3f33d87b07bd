// Which folders a run may swap out for a new site. A folder that is not an
// orar-cal site must be refused before the first request: only a missing
// folder, an empty one, or a site orar-cal wrote itself (its report,
// data/build.json, is the marker) is ours. (In a site, the files no run
// wrote are carried into the new one: staged-site.ts.)
import fs from 'node:fs';
import path from 'node:path';
import { SITE_FILE_LIST } from './paths.js';

/** The file whose presence (as orar-cal's own report) makes a folder an orar-cal site. */
const SITE_MARKER = 'data/build.json';

/**
 * Null when `out` may be (re)written by a run; otherwise the reason, in words
 * that name the folder and say what to do. Without `acceptSite`, only a
 * missing or empty folder will do (restore writes a site from nothing).
 */
export function outFolderProblem(out: string, options: { acceptSite: boolean } = { acceptSite: true }): string | null {
  try {
    return problemOf(out, options.acceptSite);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return `--out ${out}: cannot look into it (${code}); choose a folder you can read and write`;
  }
}

function problemOf(out: string, acceptSite: boolean): string | null {
  const site = path.resolve(out);
  if (path.parse(site).root === site) return `--out ${out} is the root of the file system; choose a folder of its own, e.g. --out site`;
  const stat = statOrNull(site);
  if (stat === undefined && statOrNull(site, fs.lstatSync)?.isSymbolicLink()) {
    return `--out ${out} is a symbolic link to nothing; point it at a folder, or choose another --out`;
  }
  if (stat === undefined) return missingFolderProblem(out, site);
  if (!stat.isDirectory()) return `--out ${out} is a file, not a folder; choose a folder (a missing one is created)`;
  const entries = fs.readdirSync(site);
  if (entries.length === 0) return null;
  if (!acceptSite) return `--out ${out} is not empty (${preview(entries)}); choose a missing or empty folder`;
  if (isOrarCalSite(site)) {
    const list = readSiteFileList(site);
    if (list.kind !== 'damaged') return null;
    return (
      `--out ${out}: its list of the files orar-cal wrote (${SITE_FILE_LIST}) is damaged (${list.reason}), so the files you added there cannot be told from orar-cal's; ` +
      `put back a good copy, or delete the list to let the run take every file in the site as orar-cal's (files you added would then be removed)`
    );
  }
  return (
    `--out ${out} is a folder that holds other files (${preview(entries)}) and is not an orar-cal site (no ${SITE_MARKER} written by orar-cal); ` +
    `a run replaces the whole folder, so choose a new or empty folder, e.g. --out site`
  );
}

/** A folder that does not exist yet: its nearest existing ancestor must be a folder. */
function missingFolderProblem(out: string, site: string): string | null {
  for (let dir = path.dirname(site); ; dir = path.dirname(dir)) {
    const stat = statOrNull(dir);
    if (stat !== undefined) {
      return stat.isDirectory() ? null : `--out ${out} is under ${dir}, which is a file, not a folder; choose another folder`;
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** A path's stat (or lstat), or undefined when nothing is there (also when a parent is a file). */
function statOrNull(p: string, stat: typeof fs.statSync = fs.statSync): fs.Stats | undefined {
  try {
    return stat(p, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** The files the last run put into a site, as its list (SITE_FILE_LIST) says: none listed (a site written before runs kept one), or a list that cannot be read. */
export type SiteFileList = { kind: 'none' } | { kind: 'damaged'; reason: string } | { kind: 'listed'; files: ReadonlySet<string> };

export function readSiteFileList(site: string): SiteFileList {
  // Folder by folder, never through a link: that would read (and the run write) outside the site.
  let at = site;
  for (const part of SITE_FILE_LIST.split('/')) {
    at = path.join(at, part);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(at, { throwIfNoEntry: false });
    } catch (error) {
      return { kind: 'damaged', reason: (error as NodeJS.ErrnoException).code ?? String(error) };
    }
    if (stat === undefined) return { kind: 'none' };
    if (stat.isSymbolicLink()) return { kind: 'damaged', reason: `${path.relative(site, at)} is a symbolic link` };
  }
  let text: string;
  try {
    text = fs.readFileSync(at, 'utf8');
  } catch (error) {
    return { kind: 'damaged', reason: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
  return parseSiteFileList(text);
}

/** The list's text, as written at a run's commit: {"v":1,"files":[...]}. */
function parseSiteFileList(text: string): SiteFileList {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return { kind: 'damaged', reason: 'not JSON' };
  }
  const files = (list as { files?: unknown } | null)?.files;
  if ((list as { v?: unknown } | null)?.v !== 1 || !Array.isArray(files) || !files.every((f) => typeof f === 'string')) {
    return { kind: 'damaged', reason: 'not {"v":1,"files":[...]}' };
  }
  // orar-cal lists only the paths it writes: relative, no empty, "." or ".." segment.
  const odd = (files as string[]).find((f) => f.split('/').some((segment) => segment === '' || segment === '.' || segment === '..'));
  if (odd !== undefined) return { kind: 'damaged', reason: `lists ${JSON.stringify(odd)}, not a path orar-cal writes` };
  return { kind: 'listed', files: new Set(files as string[]) };
}

/** data/build.json parses as the report an orar-cal run writes. */
export function isOrarCalSite(site: string): boolean {
  try {
    const report = JSON.parse(fs.readFileSync(path.join(site, SITE_MARKER), 'utf8')) as Record<string, unknown>;
    return typeof report.generatedAt === 'string' && typeof report.semester === 'string' && Array.isArray(report.specs);
  } catch {
    return false;
  }
}

function preview(entries: string[]): string {
  const shown = entries.sort().slice(0, 3).join(', ');
  return entries.length > 3 ? `${shown}, ... ${entries.length} entries` : shown;
}

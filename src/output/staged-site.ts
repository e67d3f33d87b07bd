// The new site is built in a staging folder next to --out and swapped in
// only when it is complete, so a run killed at any moment leaves the
// previous site in place. Files whose bytes did not change are hard links to
// the current ones (same inode, same mtime), so a run that changes nothing
// rewrites no calendar: deploys and subscribers see no churn. Files and
// folders in the site that no run wrote (the site lists its own files,
// SITE_FILE_LIST) are carried into the new one as they are.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isOrarCalSite, readSiteFileList, type SiteFileList } from './out-folder.js';
import { SITE_FILE_LIST, resolveInside } from './paths.js';
import { FatalError, type FileTally } from '../report.js';
import type { SiteFile, SiteWriter } from './site-writer.js';

/** Inside a staging folder while it is one: how a later run knows a leftover is ours to remove. */
const STAGING_MARKER = '.orar-cal-staging';

/** Another run holds the lock on this --out. */
export class SiteLockedError extends Error {}

export interface StagedSite extends SiteWriter {
  /** Swaps the staged site in for the current one and releases the lock. */
  commit(): Promise<void>;
  /** Drops the staged site (the current one stays) and releases the lock. */
  abort(): Promise<void>;
  /** abort(), synchronously: for a signal handler that exits right after. */
  discard(): void;
}

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

export interface StagedSiteOptions {
  /** Reported when a stale lock or leftovers are cleaned up. */
  onNotice?: (message: string) => void;
}

/**
 * Takes the lock on `out`, repairs what a killed run may have left, and
 * opens an empty staging folder. Throws SiteLockedError when a live run
 * holds the lock, and the file system's error when the folder is unwritable.
 */
export function openStagedSite(out: string, options: StagedSiteOptions = {}): StagedSite {
  const site = path.resolve(out);
  const parent = path.dirname(site);
  const base = path.basename(site);
  const lockFile = `${site}.lock`;
  const staging = `${site}.staging-${process.pid}`;
  const notice = options.onNotice ?? (() => undefined);

  fs.mkdirSync(parent, { recursive: true });
  acquireLock(lockFile, notice);
  try {
    recover(site, parent, base, notice);
    fs.mkdirSync(staging);
    // The new site takes the place of the old folder: it keeps its permissions (a private folder stays private).
    const current = fs.statSync(site, { throwIfNoEntry: false });
    if (current?.isDirectory()) fs.chmodSync(staging, current.mode & 0o7777);
    fs.writeFileSync(path.join(staging, STAGING_MARKER), String(process.pid));
  } catch (error) {
    fs.rmSync(lockFile, { force: true });
    throw error;
  }
  // Listed in the thread pool while the run goes on; what is not ours is carried at commit.
  const current = listSite(site);
  current.catch(() => undefined);

  const made = new Set<string>([staging]);
  const stats: FileTally = { written: 0, unchanged: 0, carried: 0 };
  /** Site path -> how this run put it into the new site. */
  const placed = new Map<string, keyof FileTally>();
  /**
   * Counts a file as it ends up. A file linked before in this run is removed
   * first: it is a hard link into the current site, which a write must not
   * go through. One this run wrote is its own, and is written over.
   */
  const place = (p: string, target: string, how: keyof FileTally | null): void => {
    const before = placed.get(p);
    if (before !== undefined) {
      if (how === null || (how === 'written' && before !== 'written')) fs.rmSync(target, { force: true }); // a link is replaced by link() itself
      stats[before] -= 1;
      placed.delete(p);
    }
    if (how) {
      placed.set(p, how);
      stats[how] += 1;
    }
  };
  let open = true;
  const release = (): void => {
    open = false;
    fs.rmSync(lockFile, { force: true });
  };
  const ensureDir = (file: string): void => {
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
  };
  const link = (from: string, to: string): void => {
    ensureDir(to);
    fs.rmSync(to, { force: true });
    try {
      fs.linkSync(from, to);
    } catch {
      // No hard links here (another device, a file system without them): copy, keep the mtime.
      fs.copyFileSync(from, to);
      const { atime, mtime } = fs.statSync(from);
      fs.utimesSync(to, atime, mtime);
    }
  };

  /** A file into the staging folder: the current one linked when its bytes are the same, one this run wrote written over, else a new one. */
  const put = (current: string, target: string, content: string | Uint8Array, same: boolean, ours: boolean): void => {
    if (same) link(current, target);
    else if (ours) writeOver(target, content);
    else {
      ensureDir(target);
      fs.writeFileSync(target, content);
    }
  };

  /**
   * The user's files and folders, into the new site as they are: a file (or
   * symbolic link) by a hard link, a folder with its permissions. One of
   * the user's where this run puts its own (a file of the same name, a
   * folder over a file, a file over a folder) is moved aside with what it
   * holds, to NAME.yours, and named. A site with no list is all orar-cal's,
   * as it was when it was written: what this run did not write goes, named.
   */
  const carryNotOurs = ({ list, entries }: SiteNow): void => {
    const folders = new Set<string>(); // every folder this run writes into, the list's own too
    for (const p of [...placed.keys(), SITE_FILE_LIST]) for (const d of foldersOf(p)) folders.add(d);
    if (list.kind === 'none') {
      const gone = entries.filter((e) => !placed.has(e.path) && !folders.has(e.path) && e.path !== SITE_FILE_LIST);
      if (gone.length > 0) {
        notice(
          `${site} has no list of the files orar-cal wrote (${SITE_FILE_LIST}: a site written before runs kept one), so all of it is taken as orar-cal's: ` +
            `not kept ${counted(gone)} this run did not write: ${describe(named(gone))}; from now on, what you add there is kept`,
        );
      }
      return;
    }
    const listedFolders = new Set<string>(); // every folder holding a file of ours, the list's own too
    for (const p of [SITE_FILE_LIST, ...(list.kind === 'listed' ? list.files : [])]) for (const d of foldersOf(p)) listedFolders.add(d);
    const isOurs = (e: SiteEntry): boolean =>
      e.path === SITE_FILE_LIST || (list.kind === 'listed' && e.utf8 && (e.kind === 'folder' ? listedFolders.has(e.path) : list.files.has(e.path)));
    const clashes = (p: string): boolean => {
      if (placed.has(p) || folders.has(p) || p === STAGING_MARKER || p === SITE_FILE_LIST) return true;
      return foldersOf(p).some((d) => placed.has(d));
    };
    const present = new Set(entries.map((e) => e.path));
    /** Entries of the user's moved aside (a clash), by their path: where they go instead. */
    const aside = new Map<string, { path: string; bytes: Buffer }>();
    const asideName = (p: string): string => {
      for (let n = 1; ; n++) {
        const candidate = `${p}.yours${n === 1 ? '' : `-${n}`}`;
        if (!present.has(candidate) && !clashes(candidate)) return candidate;
      }
    };
    /** Where an entry goes: where it is, under a folder moved aside, or moved aside itself when it clashes. */
    const placeOf = (entry: SiteEntry): { path: string; bytes: Buffer } => {
      for (const d of foldersOf(entry.path)) {
        const moved = aside.get(d);
        if (moved) return { path: moved.path + entry.path.slice(d.length), bytes: Buffer.concat([moved.bytes, entry.bytes.subarray(Buffer.byteLength(d))]) };
      }
      if (!clashes(entry.path)) return entry;
      const name = asideName(entry.path);
      const moved = { path: name, bytes: Buffer.concat([entry.bytes, Buffer.from(name.slice(entry.path.length))]) };
      aside.set(entry.path, moved);
      return moved;
    };
    const kept: SiteEntry[] = [];
    /** The user's folders, their permissions set once their content is in (a read-only one would refuse it). */
    const modes: [Buffer, number][] = [];
    const stagingBytes = Buffer.from(`${staging}${path.sep}`);
    /** The folders a kept entry goes into, under the staging folder (by bytes: a user's names need not be UTF-8). */
    const makeParent = (to: Buffer): void => {
      const parent = to.lastIndexOf(0x2f);
      if (parent > stagingBytes.length) fs.mkdirSync(to.subarray(0, parent), { recursive: true });
    };
    for (const entry of entries) {
      if (isOurs(entry)) continue;
      if (entry.kind === 'folder' && folders.has(entry.path)) continue; // a folder the run writes into anyway
      const from = Buffer.concat([Buffer.from(`${site}${path.sep}`), entry.bytes]);
      const stat = fs.lstatSync(from, { throwIfNoEntry: false });
      if (stat === undefined) continue; // gone meanwhile
      const to = Buffer.concat([stagingBytes, placeOf(entry).bytes]);
      kept.push(entry);
      if (entry.kind === 'opaque') {
        // Unreadable: moved over whole (the old site goes anyway), its content never listed.
        // Moving a folder takes write permission on it: given for the move, then its own again.
        makeParent(to);
        try {
          fs.chmodSync(from, stat.mode | 0o700);
          fs.renameSync(from, to);
          fs.chmodSync(to, stat.mode & 0o7777);
        } catch (error) {
          const shown = describe([entry.path]);
          throw new FatalError(
            `a folder of yours in ${site}, ${shown}, cannot be read, so its files could not be kept (${(error as NodeJS.ErrnoException).code ?? String(error)}); make it readable, or move it out of --out`,
          );
        }
        continue;
      }
      if (entry.kind === 'folder') {
        fs.mkdirSync(to, { recursive: true });
        modes.push([to, stat.mode & 0o7777]);
        continue;
      }
      makeParent(to);
      try {
        fs.linkSync(from, to); // a symbolic link is linked itself, not what it points to
      } catch {
        if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
        else {
          fs.copyFileSync(from, to);
          fs.utimesSync(to, stat.atime, stat.mtime);
        }
      }
    }
    for (const [folder, mode] of modes.reverse()) fs.chmodSync(folder, mode);
    if (kept.length > 0) notice(`kept ${counted(kept)} in ${site} that orar-cal did not write: ${describe(named(kept))}`);
    if (aside.size > 0) {
      const moves = [...aside].map(([from, to]) => `${from} -> ${to.path}`);
      notice(`moved ${aside.size} of yours aside in ${site}, where this run writes its own file or folder: ${describe(moves)}`);
    }
    if (list.kind === 'damaged') notice(`${site}: its list ${SITE_FILE_LIST} could not be read (${list.reason}): every file this run did not write was kept`);
  };

  return {
    stats,
    write(files: readonly SiteFile[]) {
      for (const file of files) {
        const target = resolveInside(staging, file.path);
        const current = resolveInside(site, file.path);
        const same = sameContent(current, file.content);
        const ours = placed.get(file.path) === 'written';
        place(file.path, target, same ? 'unchanged' : 'written');
        put(current, target, file.content, same, ours);
      }
    },
    remove(paths: readonly string[]) {
      for (const p of paths) place(p, resolveInside(staging, p), null);
    },
    keep(paths: readonly string[]) {
      const missing: string[] = [];
      for (const p of paths) {
        const current = resolveInside(site, p);
        if (!fs.existsSync(current)) {
          missing.push(p);
          continue;
        }
        const target = resolveInside(staging, p);
        place(p, target, 'carried');
        link(current, target);
      }
      return missing;
    },
    written(p: string) {
      return placed.has(p) ? fs.readFileSync(resolveInside(staging, p), 'utf8') : null;
    },
    previous(p: string) {
      try {
        return fs.readFileSync(resolveInside(site, p), 'utf8');
      } catch {
        return null;
      }
    },
    async commit() {
      if (!open) return;
      carryNotOurs(await current);
      // The list, like any file, stays the same file when it did not change (not in the run's tally: it is the site's bookkeeping).
      const list = JSON.stringify({ v: 1, files: [...placed.keys()].sort() });
      const [listNow, listNew] = [path.join(site, SITE_FILE_LIST), path.join(staging, SITE_FILE_LIST)];
      put(listNow, listNew, list, sameContent(listNow, list), false);
      const previous = `${site}.previous-${process.pid}`;
      // Two renames, microseconds apart. A crash between them leaves the
      // old site under .previous-*, and the next run puts it back.
      const hadSite = fs.existsSync(site);
      fs.rmSync(path.join(staging, STAGING_MARKER), { force: true });
      if (hadSite) fs.renameSync(site, previous);
      fs.renameSync(staging, site);
      if (hadSite) removeOldSite(previous, notice);
      release();
    },
    async abort() {
      this.discard();
    },
    discard() {
      if (!open) return;
      fs.rmSync(staging, { recursive: true, force: true });
      release();
    },
  };
}

/** An entry of the current site: its path as runs name files, and its name's bytes (a name need not be UTF-8; such a name is never one of ours). */
interface SiteEntry {
  path: string;
  bytes: Buffer;
  utf8: boolean;
  /** 'opaque': a folder the run cannot read, moved into the new site whole. */
  kind: 'file' | 'folder' | 'opaque';
}

/** The current site, as the run starts: its list of orar-cal's files, and every entry (symbolic links not followed). */
interface SiteNow {
  list: SiteFileList;
  entries: SiteEntry[];
}

async function listSite(site: string): Promise<SiteNow> {
  const list = readSiteFileList(site); // none: no site yet, or one written before runs kept a list
  const entries: SiteEntry[] = [];
  const walk = async (dir: Buffer, bytes: Buffer | null, prefix: string): Promise<void> => {
    let names: fs.Dirent<Buffer>[];
    try {
      names = await fsp.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      if (bytes === null && (error as NodeJS.ErrnoException).code === 'ENOENT') return; // no site yet
      if (bytes === null) throw error;
      // A folder of the user's the run may not read: none of ours is ever so.
      entries[entries.length - 1]!.kind = 'opaque';
      return;
    }
    for (const dirent of names) {
      const text = dirent.name.toString('utf8');
      const entryBytes = bytes === null ? dirent.name : Buffer.concat([bytes, Buffer.from('/'), dirent.name]);
      const entry: SiteEntry = { path: prefix + text, bytes: entryBytes, utf8: Buffer.from(text, 'utf8').equals(dirent.name), kind: dirent.isDirectory() ? 'folder' : 'file' };
      entries.push(entry);
      if (entry.kind === 'folder') await walk(Buffer.concat([dir, Buffer.from(path.sep), dirent.name]), entryBytes, `${entry.path}/`);
    }
  };
  await walk(Buffer.from(site), null, '');
  // In path order (a folder before what it holds): the notices name them so, whatever the file system's order.
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : Buffer.compare(a.bytes, b.bytes)));
  return { list, entries };
}

/** The folders a site path lies in, nearest first: `a/b/c.ics` -> `a/b`, `a`. */
function foldersOf(p: string): string[] {
  // Site paths are relative with no empty segment (the list of our files is
  // refused otherwise, out-folder.ts): each "/" ends a folder.
  // (path.posix.dirname, level by level, was most of a commit's CPU.)
  const folders: string[] = [];
  for (let at = p.lastIndexOf('/'); at > 0; at = p.lastIndexOf('/', at - 1)) folders.push(p.slice(0, at));
  return folders;
}

/** "a, b, c and 4 more": five at most named, a name with control characters quoted (it would break the line). */
function describe(paths: readonly string[]): string {
  const named = paths.slice(0, 5).map((p) => (/[\u0000-\u001f\u007f]/.test(p) ? JSON.stringify(p) : p));
  return `${named.join(', ')}${paths.length > 5 ? ` and ${paths.length - 5} more` : ''}`;
}

/** "3 files and 1 folder". */
function counted(entries: readonly SiteEntry[]): string {
  const folders = entries.filter((e) => e.kind !== 'file').length;
  const files = entries.length - folders;
  const of = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  return folders === 0 ? of(files, 'file') : files === 0 ? of(folders, 'folder') : `${of(files, 'file')} and ${of(folders, 'folder')}`;
}

/** What a notice names: the files, and the folders that hold none of them (an empty one would go unnamed). */
function named(entries: readonly SiteEntry[]): string[] {
  const files = entries.filter((e) => e.kind === 'file').map((e) => e.path);
  const bare = entries.filter((e) => e.kind !== 'file' && !entries.some((o) => o !== e && o.path.startsWith(`${e.path}/`))).map((e) => `${e.path}/`);
  return [...files, ...bare].sort();
}

/**
 * Writes again a file this run wrote (a calendar made ahead, a state shard),
 * without emptying it first: ext4 (auto_da_alloc) flushes a file that was
 * emptied and written again as it is closed, and freeing its blocks is slow
 * on a disk mounted with discard. Written over, then cut to its new length,
 * it costs a third here. Only files of the staging folder, which nothing
 * reads before the swap.
 */
function writeOver(file: string, content: string | Uint8Array): void {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const fd = fs.openSync(file, 'r+');
  try {
    for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, bytes.length - at, at);
    fs.ftruncateSync(fd, bytes.length);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The old site, once the new one is in place. A folder of the user's that
 * is read-only is so in the old copy too, and its files could not be
 * unlinked: its owner's write permission is given back first. What still
 * cannot go is named, not thrown: the new site is already live.
 */
function removeOldSite(previous: string, notice: (message: string) => void): void {
  try {
    fs.rmSync(previous, { recursive: true, force: true });
    return;
  } catch {
    // below
  }
  try {
    const folders = [previous, ...fs.readdirSync(previous, { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(e.parentPath, e.name))];
    for (const folder of folders) fs.chmodSync(folder, fs.statSync(folder).mode | 0o700);
    fs.rmSync(previous, { recursive: true, force: true });
  } catch (error) {
    notice(`the new site is in place, but the old copy ${previous} could not be removed (${(error as NodeJS.ErrnoException).code ?? String(error)}); remove it by hand`);
  }
}

/** Whether the current site's file holds exactly this content (text as UTF-8); read only when the sizes agree. */
function sameContent(file: string, content: string | Uint8Array): boolean {
  // Never through a link (a user's, to anywhere), and anything that cannot be read (not there,
  // a file of the user's where the run has a folder, no permission) is simply not the same: the run writes its own.
  try {
    const stat = fs.lstatSync(file, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isFile()) return false;
    const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
    return stat.size === size && fs.readFileSync(file).equals(typeof content === 'string' ? Buffer.from(content) : content);
  } catch {
    return false;
  }
}

function acquireLock(lockFile: string, notice: (message: string) => void): void {
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  for (let tries = 0; tries < 2; tries++) {
    // Written whole under another name, then linked into place: the link
    // fails if a lock exists, and a lock never exists half-written.
    const draft = `${lockFile}.${process.pid}`;
    fs.writeFileSync(draft, JSON.stringify(mine));
    try {
      fs.linkSync(draft, lockFile);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(draft, { force: true });
    }
    let holder: LockInfo | null = null;
    try {
      holder = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as LockInfo;
    } catch {
      holder = null; // unreadable: a run died while writing it
    }
    if (holder && holder.host === mine.host && isAlive(holder.pid)) {
      throw new SiteLockedError(
        `another orar-cal run (pid ${holder.pid}, started ${holder.startedAt}) is writing ${path.dirname(lockFile)}${path.sep}${path.basename(lockFile, '.lock')}; ` +
          `wait for it to finish (its lock: ${lockFile})`,
      );
    }
    // A run on another machine sharing this folder cannot be checked; a lock
    // from a dead process is left over from a crash.
    if (holder && holder.host !== mine.host) {
      throw new SiteLockedError(`${lockFile} is held by a run on ${holder.host} (pid ${holder.pid}); remove the lock if that run is gone`);
    }
    notice(`removed a stale lock ${lockFile}${holder ? ` (pid ${holder.pid} is gone)` : ''}`);
    fs.rmSync(lockFile, { force: true });
  }
  throw new SiteLockedError(`could not take the lock ${lockFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Puts back a site a killed run had moved aside, and removes leftovers. */
function recover(site: string, parent: string, base: string, notice: (message: string) => void): void {
  const leftovers = fs
    .readdirSync(parent)
    // Only names a run makes ({out}.staging-PID, {out}.previous-PID), and only folders: anything else beside --out is not ours.
    .filter((name) => name.startsWith(`${base}.`) && /^(staging|previous)-\d+$/.test(name.slice(base.length + 1)))
    .map((name) => path.join(parent, name))
    // And only what a run left there: a staging folder with its marker, a
    // site moved aside (an orar-cal site). A folder the user named alike stays.
    .filter((p) => fs.lstatSync(p).isDirectory() && (p.includes('.staging-') ? fs.existsSync(path.join(p, STAGING_MARKER)) : isOrarCalSite(p)));
  if (!fs.existsSync(site)) {
    const previous = leftovers.filter((p) => p.includes('.previous-')).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
    if (previous) {
      fs.renameSync(previous, site);
      notice(`restored ${site} from ${previous} (a run was stopped while swapping)`);
    }
  }
  for (const leftover of leftovers) {
    if (!fs.existsSync(leftover)) continue;
    fs.rmSync(leftover, { recursive: true, force: true });
    notice(`removed ${leftover} left by an earlier run`);
  }
}

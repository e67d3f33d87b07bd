// What the pipeline needs from wherever the site is written. The real one
// is the staged site (staged-site.ts); tests use one in memory.
import type { FileTally } from '../report.js';

export interface SiteFile {
  /** Site-relative, with "/" separators. */
  path: string;
  /** Text is written as UTF-8; bytes as they are. */
  content: string | Uint8Array;
}

/**
 * write(), keep() and remove() take effect at once for this interface (stats,
 * written()); the staged site does the file work in the thread pool, in the
 * order asked for each file, while the pipeline goes on, and has all of it
 * on disk before the swap (a file that cannot be written ends the run there,
 * the current site untouched).
 */
export interface SiteWriter {
  /** Writes a batch of files into the new site; a file this run wrote before is replaced. */
  write(files: readonly SiteFile[]): void;
  /** Takes back files this run wrote (a calendar made ahead under a name it did not keep). */
  remove(paths: readonly string[]): void;
  /** Carries files of the current site into the new one unchanged; returns those missing. */
  keep(paths: readonly string[]): string[];
  /** A text file as this run wrote it into the new site, or null. */
  written(path: string): string | null;
  /** A text file of the current (previous) site, or null. */
  previous(path: string): string | null;
  /** Each file of the new site counted once, as it ends up. */
  readonly stats: FileTally;
}

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
 * Writes are synchronous: on two cores a thread-pool write competes with
 * rendering and was measured slower (README, Performance), so a spec's files
 * are on disk when write() returns.
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

// What the pipeline needs from wherever the site is written. The real one
// is the staged site (staged-site.ts); tests use one in memory.
import type { FileTally } from '../report.js';

export interface SiteFile {
  /** Site-relative, with "/" separators. */
  path: string;
  /** Text is written as UTF-8; bytes as they are. */
  content: string | Uint8Array;
}

export interface SiteWriter {
  /** Writes a batch of files into the new site; resolves once they are on disk. */
  write(files: readonly SiteFile[]): Promise<void>;
  /** Carries files of the current site into the new one unchanged; resolves to those missing. */
  keep(paths: readonly string[]): Promise<string[]>;
  /** A text file of the current (previous) site, or null. */
  previous(path: string): string | null;
  /** Waits for pending writes and releases the writer. */
  close(): Promise<void>;
  readonly stats: FileTally;
}

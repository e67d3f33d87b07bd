// Output paths built from names that come from the network. Every segment is
// made a plain file name, so nothing can climb out of the output folder.
import path from 'node:path';

const MAX_SEGMENT = 120;

/** One path segment: no separators, control characters, dot-names or reserved characters. */
export function safeSegment(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s-]+|[.\s]+$/g, '');
  return cleaned.slice(0, MAX_SEGMENT).trim() || '_';
}

/** `{spec name}/Year {N}`: the folder students already know. */
export function specFolder(specName: string, year: number): string {
  return `${safeSegment(specName)}/Year ${year}`;
}

export function calendarPath(specName: string, year: number, baseName: string): string {
  return `${specFolder(specName, year)}/${safeSegment(baseName)}.ics`;
}

export function specDataPath(code: string): string {
  return `data/${safeSegment(code)}.json`;
}

/**
 * Resolves a site-relative path inside `root`, refusing anything that would
 * land outside it (the last line of defence behind safeSegment).
 */
export function resolveInside(root: string, relative: string): string {
  const base = path.resolve(root);
  const full = path.resolve(base, relative);
  if (full !== base && !full.startsWith(base + path.sep)) {
    throw new Error(`refusing to write outside the output folder: ${JSON.stringify(relative)}`);
  }
  return full;
}

/** A site-relative path as a URL path (each segment percent-encoded). */
export function hrefOf(relative: string): string {
  return relative.split('/').map(encodeURIComponent).join('/');
}

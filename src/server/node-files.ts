// SiteFiles on the local disk, confined to the site folder by real path: a
// symlink inside the site that resolves outside it serves nothing.
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { SiteEntry, SiteFiles } from './static-files.js';

// Errors that mean "nothing servable here"; any other error is the server's
// problem (500), not the request's.
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES', 'ENAMETOOLONG']);

/**
 * The files under `root`. Both the root and the file are resolved to real
 * paths on every lookup (so a site swapped in by a new run is seen at once),
 * and the file is read from its real path, never through the link.
 */
export function siteFiles(root: string): SiteFiles {
  return {
    async find(segments: readonly string[]): Promise<SiteEntry | null> {
      try {
        const realRoot = await fsp.realpath(root);
        const real = await fsp.realpath(path.join(realRoot, ...segments));
        if (!isInside(realRoot, real)) return null;
        const info = await fsp.stat(real);
        if (info.isDirectory()) return { kind: 'folder' };
        // Only regular files: reading a FIFO or a device would hang or never end.
        if (!info.isFile()) return null;
        // Read now, inside the same try: a file a new run swaps away between
        // the lookup and the read is "not found", never a 500.
        const body = await fsp.readFile(real);
        return { kind: 'file', size: body.length, modified: info.mtime, read: async () => body };
      } catch (error) {
        if (ABSENT.has((error as NodeJS.ErrnoException).code ?? '')) return null;
        throw error;
      }
    },
  };
}

export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

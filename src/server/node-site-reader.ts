// The custom engine's SiteReader on the local disk: a file's version is its
// size, mtime and inode (a run swaps in new files, so each of them changes),
// and its text is read only when that changed. Confined to the site by real
// path, as node-files.ts is.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { checkSitePath, type SiteReader, type SiteText } from '../custom/site-reader.js';
import { isInside } from './node-files.js';

const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES', 'ENAMETOOLONG', 'EISDIR']);

export function nodeSiteReader(root: string): SiteReader {
  return {
    async readText(sitePath: string, knownVersion?: string): Promise<SiteText | null> {
      const segments = checkSitePath(sitePath);
      try {
        const realRoot = await fsp.realpath(root);
        const real = await fsp.realpath(path.join(realRoot, ...segments));
        if (!isInside(realRoot, real)) return null;
        const info = await fsp.stat(real);
        if (!info.isFile()) return null;
        const version = `${info.size}-${info.mtimeMs}-${info.ino}`;
        if (version === knownVersion) return { version };
        return { version, text: await fsp.readFile(real, 'utf8') };
      } catch (error) {
        if (ABSENT.has((error as NodeJS.ErrnoException).code ?? '')) return null;
        throw error;
      }
    },
  };
}

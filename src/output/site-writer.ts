// Writes site files under the output folder. The only module of output/ that
// touches the disk.
import fs from 'fs-extra';
import path from 'node:path';
import { resolveInside } from './paths.js';

export interface SiteWriter {
  /** Writes `content` at the site-relative `relative` path, creating folders. */
  write(relative: string, content: string): Promise<void>;
}

export function directoryWriter(root: string): SiteWriter {
  const made = new Set<string>();
  return {
    async write(relative, content) {
      const file = resolveInside(root, relative);
      const dir = path.dirname(file);
      if (!made.has(dir)) {
        await fs.mkdirp(dir);
        made.add(dir);
      }
      await fs.writeFile(file, content);
    },
  };
}

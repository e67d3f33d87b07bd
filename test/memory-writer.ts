import type { SiteWriter } from '../src/output/site-writer.js';

/** A SiteWriter that keeps files in memory, for pipeline tests. */
export function memoryWriter(): SiteWriter & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return {
    files,
    async write(relative, content) {
      files.set(relative, content);
    },
  };
}

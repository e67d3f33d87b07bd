import type { SiteWriter } from '../src/output/site-writer.js';

/** A SiteWriter that keeps files in memory, for pipeline tests. */
export function memoryWriter(): SiteWriter & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return {
    files,
    async write(batch) {
      for (const file of batch) files.set(file.path, file.content);
    },
    async close() {},
  };
}

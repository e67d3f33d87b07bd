import type { SiteWriter } from '../src/output/site-writer.js';

/** A SiteWriter in memory: `current` is the previous site, `files` the new one. */
export function memoryWriter(current: Map<string, string> = new Map()): SiteWriter & { files: Map<string, string>; current: Map<string, string> } {
  const files = new Map<string, string>();
  const stats = { written: 0, unchanged: 0, carried: 0 };
  /** Path -> how it was placed in `files`, so a file placed again counts once. */
  const placed = new Map<string, keyof typeof stats>();
  return {
    files,
    current,
    stats,
    write(batch) {
      for (const file of batch) {
        const content = typeof file.content === 'string' ? file.content : Buffer.from(file.content).toString('utf8');
        this.remove([file.path]);
        if (current.get(file.path) === content) stats.unchanged += 1;
        else stats.written += 1;
        files.set(file.path, content);
        placed.set(file.path, current.get(file.path) === content ? 'unchanged' : 'written');
      }
    },
    remove(paths) {
      for (const p of paths) {
        const how = placed.get(p);
        if (how === undefined) continue;
        stats[how] -= 1;
        placed.delete(p);
        files.delete(p);
      }
    },
    keep(paths) {
      const missing: string[] = [];
      for (const p of paths) {
        const content = current.get(p);
        if (content === undefined) missing.push(p);
        else {
          this.remove([p]);
          files.set(p, content);
          stats.carried += 1;
          placed.set(p, 'carried');
        }
      }
      return missing;
    },
    written: (p) => files.get(p) ?? null,
    previous: (p) => current.get(p) ?? null,
  };
}

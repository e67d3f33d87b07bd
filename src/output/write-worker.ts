// The writer thread: takes batches of files, writes them in order, answers
// each batch with its id (and the first error, naming the file).
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { resolveInside } from './paths.js';
import type { SiteFile, WriteResult } from './site-writer.js';

const root = (workerData as { root: string }).root;
const made = new Set<string>();

parentPort!.on('message', ({ id, files }: { id: number; files: SiteFile[] }) => {
  const result: WriteResult = { id };
  for (const file of files) {
    try {
      const full = resolveInside(root, file.path);
      const dir = path.dirname(full);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      fs.writeFileSync(full, file.content);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      result.error = `cannot write ${path.join(root, file.path)}: ${code ?? (error as Error).message}`;
      break;
    }
  }
  parentPort!.postMessage(result);
});

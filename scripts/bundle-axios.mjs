// Bundles axios's Node build into one file, dist/vendor/axios.cjs, without
// its form-data support (orar-cal only sends GETs). axios loads before a
// run's first request; as one file without form-data (whose dependencies
// read a 200 KB MIME database) it loads in ~95 ms instead of ~150 ms here.
// The bundle's inputs and their hashes are kept beside it; when none has
// changed (every build but the first after an install), it is not rebuilt.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const outfile = 'dist/vendor/axios.cjs';
const inputsFile = `${outfile}.inputs.json`;
const sha = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
/** input path -> its hash, for this script and every file the last bundle read; null when unknown. */
function recorded() {
  try {
    return JSON.parse(readFileSync(inputsFile, 'utf8'));
  } catch {
    return null;
  }
}
const upToDate = (inputs) => existsSync(outfile) && Object.entries(inputs).every(([file, hash]) => existsSync(file) && sha(file) === hash);

const before = recorded();
if (!before || !upToDate(before)) {
  const result = await build({
    entryPoints: ['node_modules/axios/dist/node/axios.cjs'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    alias: { 'form-data': './scripts/axios-without-form-data.cjs' },
    metafile: true,
    logLevel: 'warning',
  });
  const files = [...Object.keys(result.metafile.inputs), 'scripts/bundle-axios.mjs'];
  writeFileSync(inputsFile, `${JSON.stringify(Object.fromEntries(files.map((f) => [f, sha(f)])), null, 1)}\n`);
}

// Bundles axios's Node build into one file, dist/vendor/axios.cjs, without
// its form-data support (orar-cal only sends GETs). axios loads before a
// run's first request; as one file without form-data (whose dependencies
// read a 200 KB MIME database) it loads in ~95 ms instead of ~150 ms here.
//
// Two lines of axios touch Node's fetch globals at load (FormData, and a
// probe of the fetch adapter), which loads Node's bundled undici: ~25 ms of
// CPU before the first request, for an adapter orar-cal never uses (the
// client asks for the http one). The bundle reads neither; the build fails
// if axios's text changes so that they are not found.
//
// The bundle's inputs and their hashes are kept beside it; when none has
// changed (every build but the first after an install), it is not rebuilt.

import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import fs from 'node:fs';

const AT_LOAD = [
  // isFormData() then tells a FormData by its shape instead of instanceof.
  ["const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;", 'const FormDataCtor = undefined;'],
  // The fetch adapter's environment is probed when it is first asked for instead.
  ['\ngetFetch();\n', '\n'],
];

/** @type {import('esbuild').Plugin} */
const axiosWithoutFetchAtLoad = {
  name: 'axios-without-fetch-at-load',
  setup(b) {
    b.onLoad({ filter: /axios[\\/]dist[\\/]node[\\/]axios\.cjs$/ }, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      for (const [from, to] of AT_LOAD) {
        if (text.split(from).length !== 2) throw new Error(`scripts/bundle-axios.mjs: axios changed; expected once in ${args.path}: ${JSON.stringify(from)}`);
        text = text.replace(from, to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

const outfile = 'dist/vendor/axios.cjs';
const inputsFile = `${outfile}.inputs.json`;
const sha = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
/** input path -> its hash, for this script and every file the last bundle read; null when unknown. */
function recorded() {
  try {
    return JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
  } catch {
    return null;
  }
}
const upToDate = (inputs) => fs.existsSync(outfile) && Object.entries(inputs).every(([file, hash]) => fs.existsSync(file) && sha(file) === hash);

const before = recorded();
if (!before || !upToDate(before)) {
  const result = await build({
    entryPoints: ['node_modules/axios/dist/node/axios.cjs'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    alias: { 'form-data': './scripts/axios-without-form-data.cjs', http2: './scripts/axios-http2-on-demand.cjs' },
    plugins: [axiosWithoutFetchAtLoad],
    metafile: true,
    logLevel: 'warning',
  });
  const files = [...Object.keys(result.metafile.inputs), 'scripts/bundle-axios.mjs'];
  fs.writeFileSync(inputsFile, `${JSON.stringify(Object.fromEntries(files.map((f) => [f, sha(f)])), null, 1)}\n`);
}

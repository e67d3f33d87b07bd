// Bundles the generator command (dist/commands/generate.js) and what it
// imports into dist/bundle/: its entry, generate.js, with what a run needs
// before its first request (flags, the output folder, the first requests,
// the cache), and chunks it loads later: the generator itself (rxjs,
// cheerio, ical-generator and our modules: ~800 files, ~420 ms to load
// here, ~105 ms as one file), the sample faculty's server. dist/main.js
// loads the bundle when it is there.
//
// dist/bundle/ is as deep as dist/commands/, which the command finds the
// page's built files from (../web/).
//
// The modules other code also loads as themselves stay outside the bundle:
// their classes are tested with instanceof on both sides (FatalError,
// RunUsageError in report.js, which main.js imports; FetchError in
// net/client.js, which also loads axios from dist/vendor/), and version.js
// reads package.json from where it is.

import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const DIST = path.resolve('dist');
const OUT = path.join(DIST, 'bundle');
const SHARED = ['report.js', 'net/client.js', 'version.js'].map((file) => path.join(DIST, file));

/** @type {import('esbuild').Plugin} */
const sharedWithTheRest = {
  name: 'shared-with-the-rest',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const file = path.resolve(args.resolveDir, args.path);
      if (!SHARED.includes(file)) return undefined;
      // Imported from the bundle's folder (dist/bundle/), whatever the importer's.
      return { path: path.relative(OUT, file).split(path.sep).join('/'), external: true };
    });
  },
};

// Chunks are named by their content: an earlier build's would stay beside them.
fs.rmSync(OUT, { recursive: true, force: true });
fs.rmSync(path.join(DIST, 'pipeline.bundle.js'), { force: true }); // the generator's bundle before dist/bundle/

const result = await build({
  entryPoints: { generate: 'dist/commands/generate.js' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: OUT,
  chunkNames: '[name]-[hash]',
  plugins: [sharedWithTheRest],
  logLevel: 'warning',
  metafile: true,
});

// The shared modules must be outside: one of them bundled would be a second copy.
const inside = Object.keys(result.metafile.inputs).map((input) => path.resolve(input));
const copied = SHARED.filter((file) => inside.includes(file));
if (copied.length > 0) throw new Error(`bundle-generator: ${copied.join(', ')} ended up inside dist/bundle/`);

// Bundles the generator (dist/pipeline.js and what it imports: rxjs,
// cheerio, ical-generator and our own modules) into one file,
// dist/pipeline.bundle.js, which a run loads while its first requests
// travel. As ~800 files (rxjs alone is ~500) it takes ~420 ms to load here,
// longer than the index often takes to come back; as one file, ~105 ms.
//
// The modules the command itself also loads stay outside the bundle, as
// themselves: their classes are tested with instanceof on both sides
// (FatalError, RunUsageError in report.js; FetchError in net/client.js,
// which also loads axios), and version.js reads package.json at load.

import { build } from 'esbuild';
import path from 'node:path';

const DIST = path.resolve('dist');
const SHARED = ['report.js', 'net/client.js', 'version.js'].map((file) => path.join(DIST, file));

/** @type {import('esbuild').Plugin} */
const sharedWithTheCommand = {
  name: 'shared-with-the-command',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const file = path.resolve(args.resolveDir, args.path);
      if (!SHARED.includes(file)) return undefined;
      // Imported from the bundle's own folder (dist/), whatever the importer's.
      return { path: `./${path.relative(DIST, file).split(path.sep).join('/')}`, external: true };
    });
  },
};

const result = await build({
  entryPoints: ['dist/pipeline.js'],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/pipeline.bundle.js',
  plugins: [sharedWithTheCommand],
  logLevel: 'warning',
  metafile: true,
});

// The shared modules must be outside: one of them bundled would be a second copy.
const inside = Object.keys(result.metafile.inputs).map((input) => path.resolve(input));
const copied = SHARED.filter((file) => inside.includes(file));
if (copied.length > 0) throw new Error(`bundle-pipeline: ${copied.join(', ')} ended up inside dist/pipeline.bundle.js`);

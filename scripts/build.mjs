// `npm run build` in one Node process (each `node` start is ~0.15 CPU-s
// here): TypeScript's checks and emit, then the esbuild bundles: the page
// (build-web.mjs), axios (bundle-axios.mjs), the generator
// (bundle-generator.mjs) and the custom-feed Worker,
// dist/worker.js, for Cloudflare Workers. TypeScript's compiler is run
// directly: the `tsc` command is a Node script that starts it.
// With --typecheck (npm test's pretest), src and tests are then checked
// together too (tsconfig.test.json, as `npm run typecheck`).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiler the `tsc` command starts: the executable in the typescript package's package for this platform, found from typescript itself (as its `tsc` finds it). */
const fromTypescript = createRequire(fileURLToPath(import.meta.resolve('typescript/package.json')));
const compiler = path.join(
  path.dirname(fromTypescript.resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`)),
  'lib',
  process.platform === 'win32' ? 'tsc.exe' : 'tsc',
);

function tsc(...args) {
  const result = spawnSync(compiler, args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Incremental state without the output it describes (dist/ emptied by hand): tsc would emit nothing.
if (!fs.existsSync('dist/main.js')) fs.rmSync('dist/.tsbuildinfo', { recursive: true, force: true });
tsc('-p', 'tsconfig.json');
tsc('-p', 'tsconfig.web.json', '--noEmit');
tsc('-p', 'tsconfig.sw.json');
await Promise.all([
  import('./build-web.mjs'),
  import('./bundle-axios.mjs'),
  import('./bundle-generator.mjs'),
  build({
    entryPoints: ['src/edge/worker.ts'],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['node:*'],
    logLevel: 'warning',
    outfile: 'dist/worker.js',
  }),
]);
if (process.argv.includes('--typecheck')) tsc('-p', 'tsconfig.test.json');

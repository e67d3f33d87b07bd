// The build's esbuild steps in one Node process (each `node` start is
// ~0.15 CPU-s here): the page (build-web.mjs), axios (bundle-axios.mjs)
// and the custom-feed Worker, dist/worker.js, for Cloudflare Workers.
import { build } from 'esbuild';

await Promise.all([
  import('./build-web.mjs'),
  import('./bundle-axios.mjs'),
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

// Builds the page into dist/web: the script bundled with its QR library
// (no CDN), the style, the manifest and icons, and the service worker,
// whose cache version is a hash of everything it precaches (a new page
// build is a new worker, and old caches go on activation).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const out = 'dist/web';
mkdirSync(out, { recursive: true });
await build({ entryPoints: ['src/web/app.ts'], bundle: true, format: 'esm', target: 'es2022', minify: true, outfile: `${out}/app.js`, logLevel: 'warning' });
const copied = ['style.css', 'manifest.webmanifest', 'icon.svg', 'icon-192.png', 'icon-512.png'];
for (const name of copied) copyFileSync(`src/web/${name}`, `${out}/${name}`);
const hash = createHash('sha256');
for (const name of ['app.js', ...copied]) hash.update(readFileSync(`${out}/${name}`));
const version = hash.digest('hex').slice(0, 12);
// The page asks for its script and style with ?v=version (src/output/index-html.ts),
// so a page of a new build never takes an older build's files from a worker's cache.
writeFileSync(`${out}/assets-version.txt`, `${version}\n`);
await build({
  entryPoints: ['src/web/sw.ts'],
  bundle: true,
  format: 'iife',
  target: 'es2022',
  minify: true,
  outfile: `${out}/sw.js`,
  define: { __ASSETS_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
});

// `npm run build` in one Node process: TypeScript's checks and emit, then the
// esbuild bundles (bundle.mjs). TypeScript's compiler is run directly: the
// `tsc` command is a Node script that starts it (~0.2 CPU-s each here).
// With --typecheck (npm test's pretest), src and tests are then checked
// together too (tsconfig.test.json, as `npm run typecheck`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiler the typescript package starts: its platform package's executable, else the `tsc` command. */
function compiler() {
  try {
    const manifest = fileURLToPath(import.meta.resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`));
    return [path.join(path.dirname(manifest), 'lib', process.platform === 'win32' ? 'tsc.exe' : 'tsc')];
  } catch {
    return [process.execPath, fileURLToPath(import.meta.resolve('typescript/package.json')).replace(/package\.json$/, 'bin/tsc')];
  }
}

function tsc(...args) {
  const [command, ...first] = compiler();
  const result = spawnSync(command, [...first, ...args], { stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

tsc('-p', 'tsconfig.json');
tsc('-p', 'tsconfig.web.json', '--noEmit');
tsc('-p', 'tsconfig.sw.json');
await import('./bundle.mjs');
if (process.argv.includes('--typecheck')) tsc('-p', 'tsconfig.test.json');

// A build that `tsc` alone made, or changed after `npm run build`: the
// program runs the code it was compiled to, and says what to do when the
// build's other files are missing. Each case runs a copy of dist/ inside the
// repository (so node_modules is found), changed as the case needs.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from './cli-run.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** dist/ and package.json copied under test/artifacts/, for one case. */
function distCopy(): { dist: string; remove(): void } {
  fs.mkdirSync(path.join(ROOT, 'test/artifacts'), { recursive: true });
  const root = fs.mkdtempSync(path.join(ROOT, 'test/artifacts/dist-copy-'));
  fs.cpSync(path.join(ROOT, 'dist'), path.join(root, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  return { dist: path.join(root, 'dist'), remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

const run = (dist: string, args: string[]): Promise<CliResult> => runCli(args, {}, undefined, path.join(dist, 'main.js'));

describe('a partial build (tsc alone)', () => {
  it('uses the compiled modules, not a generator bundle older than the last compile', async () => {
    const copy = distCopy();
    try {
      // A bundle that cannot be the one used: it fails as it loads.
      const entry = path.join(copy.dist, 'bundle/generate.js');
      fs.writeFileSync(entry, `throw new Error('the old bundle ran');\n${fs.readFileSync(entry, 'utf8')}`);
      const record = path.join(copy.dist, '.tsbuildinfo/src');
      const bundled = fs.statSync(entry).mtime;
      fs.utimesSync(record, bundled, new Date(bundled.getTime() - 60_000)); // compiled before the bundle: the bundle is used
      const before = await run(copy.dist, ['--version']);
      expect(before.stderr).to.include('the old bundle ran');
      fs.utimesSync(record, bundled, new Date(bundled.getTime() + 60_000)); // compiled after it
      const after = await run(copy.dist, ['--version']);
      expect(after.code, after.stderr).to.equal(0);
      expect(after.stdout).to.match(/^\d+\.\d+\.\d+/);
    } finally {
      copy.remove();
    }
  });

  it('loads axios from its package when the build did not bundle it', async () => {
    const copy = distCopy();
    try {
      fs.rmSync(path.join(copy.dist, 'vendor'), { recursive: true });
      // restore loads the HTTP client first; nothing listens on port 9.
      const result = await run(copy.dist, ['restore', '--from', 'http://127.0.0.1:9/', '--out', path.join(copy.dist, '..', 'site')]);
      expect(result.stderr).to.not.match(/Cannot find module|\n\s+at /);
      expect(result.stderr).to.include('ECONNREFUSED');
    } finally {
      copy.remove();
    }
  });

  it("stops before any request when the page's files were not built, saying to run npm run build", async () => {
    const copy = distCopy();
    try {
      fs.rmSync(path.join(copy.dist, 'web/app.js'));
      const out = path.join(copy.dist, '..', 'site');
      const result = await run(copy.dist, ['--demo', '--out', out]);
      expect(result.code).to.equal(3);
      expect(result.stderr.trim()).to.equal(`orar-cal: the page's files are not built (${path.join(copy.dist, 'web/app.js')} is missing); run npm run build`);
      expect(fs.existsSync(out)).to.equal(false);
    } finally {
      copy.remove();
    }
  });
});

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
      // A flag the generator refuses: it is the generator that reads it (--version alone is answered before).
      const before = await run(copy.dist, ['--concurrency', '0']);
      expect(before.stderr).to.include('the old bundle ran');
      fs.utimesSync(record, bundled, new Date(bundled.getTime() + 60_000)); // compiled after it
      const after = await run(copy.dist, ['--concurrency', '0']);
      expect(after.code, after.stderr).to.equal(2);
      expect(after.stderr).to.match(/^orar-cal: --concurrency "0": expected a whole number from 1 to 32\n/);
    } finally {
      copy.remove();
    }
  });

  it('answers --version and --help alone without loading the generator', async () => {
    const copy = distCopy();
    try {
      // A generator that fails as it loads, bundled or not: neither answer needs it.
      for (const entry of ['bundle/generate.js', 'commands/generate.js']) {
        const file = path.join(copy.dist, entry);
        fs.writeFileSync(file, `throw new Error('the generator loaded');\n${fs.readFileSync(file, 'utf8')}`);
      }
      const version = await run(copy.dist, ['--version']);
      expect(version.code, version.stderr).to.equal(0);
      expect(version.stdout).to.match(/^\d+\.\d+\.\d+\n$/);
      const help = await run(copy.dist, ['-h']);
      expect(help.code, help.stderr).to.equal(0);
      expect(help.stdout).to.match(/^Usage: orar-cal \[options\]/);
      // With another flag the generator reads them all.
      expect((await run(copy.dist, ['--version', '--bogus'])).stderr).to.include('the generator loaded');
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

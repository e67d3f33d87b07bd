// What a command loads before it does anything: the static imports of the
// built program, followed file by file. `orar-cal --version`, `--help` and a
// bad flag must answer without loading the HTTP client or the generator's
// libraries, and a run loads those only once its first requests are out.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const HEAVY = ['rxjs', 'axios', 'cheerio', 'ical-generator'];

/** Every module reached from `entry` by static imports only (not `import()`): local files and package names. */
function staticClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const code = fs.readFileSync(file, 'utf8');
    for (const m of code.matchAll(/^\s*(?:import|export)\s[^'"();]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(path.join(DIST, entry));
  return { files, packages };
}

describe('start-up (built program)', () => {
  it('the entry point and the generate command load none of the heavy libraries before they are needed', () => {
    for (const entry of ['main.js', 'commands/generate.js', 'commands/serve.js']) {
      const { packages } = staticClosure(entry);
      expect([...packages].filter((p) => HEAVY.includes(p)), entry).to.deep.equal([]);
    }
  });

  it('the run itself still reaches them (the walk follows imports)', () => {
    const { packages, files } = staticClosure('pipeline.js');
    expect([...packages].sort()).to.include.members(['cheerio', 'ical-generator', 'rxjs']);
    expect(files.size).to.be.greaterThan(20);
  });
});

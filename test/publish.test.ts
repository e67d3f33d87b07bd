// Publishing: the workflow is valid and does what the README says, the
// command it runs builds a deployable site, and the job summary reads well.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { renderFatalSummary, renderJobSummary } from '../src/output/job-summary.js';
import { emptyReport, type Report, type SpecOutcome } from '../src/report.js';
import { startPageServer } from '../src/demo/server.js';
import { runInProcess } from './cli-run.js';
import { SEMESTER, facultyArgs, facultyPages } from './faculty.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const WORKFLOW = path.join(root, '.github/workflows/publish.yml');

function exec(command: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}

describe('the publish workflow', function () {
  this.timeout(120000);
  const workflow = parse(fs.readFileSync(WORKFLOW, 'utf8')) as {
    on: { schedule: { cron: string }[]; workflow_dispatch: { inputs: { semester: { required: boolean }; fresh: { type: string; default: boolean } } } };
    permissions: Record<string, string>;
    concurrency: { group: string; 'cancel-in-progress': boolean };
    jobs: {
      build: { permissions: Record<string, string>; steps: Step[] };
      deploy: { if: string; permissions: Record<string, string>; steps: Step[] };
      worker: { needs: string; if: string; permissions: Record<string, string>; steps: Step[] };
    };
  };
  const steps = workflow.jobs.build.steps;
  const generate = steps.find((s) => s.id === 'generate')!;

  it('validates against the GitHub Actions schema', async () => {
    const result = await exec(process.execPath, [path.join(root, 'node_modules/@action-validator/cli/cli.mjs'), WORKFLOW]);
    expect(result.code, result.out).to.equal(0);
  });

  it('runs daily early in the morning and by hand with an optional semester', () => {
    expect(workflow.on.schedule).to.deep.equal([{ cron: '17 4 * * *' }]);
    expect(workflow.on.workflow_dispatch.inputs.semester.required).to.equal(false);
    expect(workflow.on.workflow_dispatch.inputs.fresh).to.include({ type: 'boolean', default: false });
  });

  it('has least privilege and never overlaps', () => {
    expect(workflow.permissions).to.deep.equal({ contents: 'read' });
    expect(workflow.jobs.build.permissions).to.deep.equal({ contents: 'read', pages: 'read' });
    expect(workflow.jobs.deploy.permissions).to.deep.equal({ pages: 'write', 'id-token': 'write' });
    expect(workflow.concurrency).to.deep.equal({ group: 'publish-calendars', 'cancel-in-progress': false });
  });

  it('restores the site and cache, generates, and deploys only on exit 0 or 1', () => {
    const uses = steps.map((s) => s.uses?.split('@')[0] ?? s.id ?? s.run);
    expect(uses).to.deep.equal([
      'actions/checkout', 'actions/setup-node', 'npm ci', 'actions/cache/restore', 'actions/configure-pages', 'restore', 'generate',
      'actions/cache/save', 'actions/upload-pages-artifact',
    ]);
    expect(generate.run).to.contain('npm run generate --');
    expect(generate.run).to.match(/if \[ "\$code" -ne 0 \] && \[ "\$code" -ne 1 \]; then[\s\S]*exit "\$code"/);
    for (const step of steps.slice(-2)) expect(step.if).to.equal("steps.generate.outputs.code == '0' || steps.generate.outputs.code == '1'");
    expect(workflow.jobs.deploy.if).to.equal("needs.build.outputs.code == '0' || needs.build.outputs.code == '1'");
    expect(workflow.jobs.deploy.steps[0]!.uses).to.match(/^actions\/deploy-pages@/);
  });

  it('with no cached site, restores the previous one from the deployed site before generating, and stops if that fails', () => {
    const cache = steps.find((s) => s.uses?.startsWith('actions/cache/restore@'))!;
    const pages = steps.find((s) => s.uses?.startsWith('actions/configure-pages@'))!;
    const restore = steps.find((s) => s.id === 'restore')!;
    expect(cache.id).to.equal('cache');
    // cache-hit is never true with restore-keys and a new key per run: the matched key says whether anything came back.
    expect(restore.if).to.equal('${{ !steps.cache.outputs.cache-matched-key && !inputs.fresh }}');
    expect(pages.if).to.equal('${{ !steps.cache.outputs.cache-matched-key && !inputs.fresh && !vars.ORAR_CAL_SITE_URL }}');
    expect(restore.env).to.deep.equal({ SITE_URL: '${{ vars.ORAR_CAL_SITE_URL || steps.pages.outputs.base_url }}' });
    expect(restore.run).to.contain('npm run restore -- --from "$SITE_URL" --out site || {');
    expect(restore.run).to.match(/code=\$\?[\s\S]*exit "\$code"/);
  });

  it('deploys the custom-feed Worker with wrangler only when a CLOUDFLARE_API_TOKEN secret is set', () => {
    const worker = workflow.jobs.worker;
    expect(worker.needs).to.equal('build');
    expect(worker.if).to.equal("needs.build.outputs.code == '0' || needs.build.outputs.code == '1'");
    expect(worker.permissions).to.deep.equal({ contents: 'read', pages: 'read' });
    const [check, ...rest] = worker.steps;
    // Secrets cannot be tested in `if:`: the first step says whether the token is there, every other step asks it.
    expect(check!.id).to.equal('token');
    expect(check!.env).to.deep.equal({ CLOUDFLARE_API_TOKEN: '${{ secrets.CLOUDFLARE_API_TOKEN }}' });
    expect(check!.run).to.match(/if \[ -n "\$CLOUDFLARE_API_TOKEN" \]; then\s+echo "set=true"[\s\S]*else\s+echo "set=false"/);
    for (const step of rest) expect(step.if, step.name ?? step.uses).to.contain("steps.token.outputs.set == 'true'");
    const deploy = rest.find((s) => s.run?.includes('wrangler'))!;
    expect(deploy.env).to.include({ CLOUDFLARE_API_TOKEN: '${{ secrets.CLOUDFLARE_API_TOKEN }}', SITE_ORIGIN: '${{ vars.ORAR_CAL_SITE_URL || steps.pages.outputs.base_url }}' });
    expect(deploy.run).to.match(/npm run build\s+npx --yes wrangler@4 deploy --var "SITE_ORIGIN:\$SITE_ORIGIN"/);
    // wrangler comes through npx at deploy time, never as a dependency.
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: object; devDependencies: object };
    expect({ ...pkg.dependencies, ...pkg.devDependencies }).to.not.have.property('wrangler');
    const toml = fs.readFileSync(path.join(root, 'wrangler.toml'), 'utf8');
    expect(toml).to.match(/^main = "dist\/worker\.js"$/m);
    expect(toml).to.match(/^SITE_ORIGIN = "https:\/\//m);
    expect(fs.existsSync(path.join(root, 'dist/worker.js')), 'npm run build bundles the Worker').to.equal(true);
  });

  it('passes the custom-feed address to the generator when the repository names one', () => {
    expect(generate.env).to.deep.include({ FEED_BASE: '${{ vars.ORAR_CAL_FEED_BASE }}' });
    expect(generate.run).to.contain('${FEED_BASE:+--feed-base "$FEED_BASE"}');
  });

  it('refers only to steps that exist before the reference', () => {
    [...steps, ...workflow.jobs.worker.steps].forEach((step, i, all) => {
      const text = JSON.stringify([step.if, step.env, step.run]);
      for (const [, id] of text.matchAll(/steps\.([\w-]+)\.outputs/g)) {
        const before = i < steps.length ? steps.slice(0, i) : all.slice(steps.length, i);
        expect(before.map((s) => s.id), `${step.name ?? step.id}: steps.${id}`).to.include(id);
      }
    });
  });

  it('runs a command that builds a deployable site (against the small faculty on loopback)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orar-cal-publish-'));
    const pages = facultyPages();
    const upstream = await startPageServer((p) => pages.get(p));
    try {
      // The workflow's own command (`npm run generate`: build, then the program), with a
      // loopback faculty instead of the network; the build is the suite's, not done again here.
      const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
      expect(pkg.scripts.generate).to.equal('npm run build --silent && node dist/main.js');
      const summary = path.join(dir, 'summary.md');
      // The program's main() here (e2e.test.ts has its exit-0 process), with the variable a job gives it.
      const result = await runInProcess(facultyArgs(upstream.origin, path.join(dir, 'site'), path.join(dir, 'cache')), { GITHUB_STEP_SUMMARY: summary });
      expect(result.code, result.stderr).to.equal(0);
      const site = path.join(dir, 'site');
      expect(fs.existsSync(path.join(site, 'index.html'))).to.equal(true);
      expect(fs.existsSync(path.join(site, 'data/index.json'))).to.equal(true);
      expect(fs.existsSync(path.join(site, 'Fizica - linia de studiu romana/Year 1/101-all.ics'))).to.equal(true);
      expect(fs.readFileSync(summary, 'utf8')).to.match(new RegExp(`^## orar-cal ${SEMESTER}\n\n\\| ok \\| stale \\| failed`));
    } finally {
      await upstream.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the job summary', () => {
  const spec = (over: Partial<SpecOutcome>): SpecOutcome => ({
    code: 'IE2', name: 'Informatica', year: 2, url: 'http://x/IE2.html', status: 'ok', unchanged: false, groups: 7,
    files: 21, events: 4000, warnings: [], retries: [], fetchMs: 600, parseMs: 5, bytes: 40000, renderMs: 20, generateMs: 25, ...over,
  });

  it('tabulates the run and lists failed and stale specs with their URLs', () => {
    const report: Report = {
      ...emptyReport('2025-2', new Date('2026-03-01T18:00:00Z')),
      specs: [
        spec({}),
        spec({ code: 'HU1', name: 'Info | maghiara', status: 'stale', error: { code: 'HU1', url: 'http://x/HU1.html', message: 'http://x/HU1.html: HTTP 503 (after 3 attempts)' } }),
        spec({ code: 'DE2', status: 'failed', error: { code: 'DE2', url: 'http://x/DE2.html', message: 'no "Grupa" heading' } }),
      ],
      errors: [
        { code: 'HU1', url: 'http://x/HU1.html', message: 'http://x/HU1.html: HTTP 503 (after 3 attempts)' },
        { code: 'DE2', url: 'http://x/DE2.html', message: 'no "Grupa" heading' },
        { code: 'XX9', url: 'http://x/index.html', message: '--only XX9: no such code on the index page' },
      ],
      totals: { specsOk: 1, specsStale: 1, specsFailed: 1, specsKept: 0, files: 42, events: 8000, warnings: 0 },
      http: { responses: 3, notModified: 4, cacheHits: 4, retries: 2 },
      writes: { written: 10, unchanged: 11, carried: 3 },
      timings: { fetchMs: 4900, parseMs: 10, renderMs: 40, generateMs: 600, totalMs: 5400 },
    };
    expect(renderJobSummary(report)).to.equal(`## orar-cal 2025-2

| ok | stale | failed | calendar files | events | files written | unchanged | carried over | 200 | 304 | retries | fetch | generate | total |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| 1 | 1 | 1 | 42 | 8000 | 10 | 11 | 3 | 3 | 4 | 2 | 4.9 s | 0.6 s | 5.4 s |

### Errors

- **HU1** (Info \\| maghiara, year 2): stale, the previous calendars are still published. \`http://x/HU1.html\`: http://x/HU1.html: HTTP 503 (after 3 attempts)
- **DE2** (Informatica, year 2): failed, not published. \`http://x/DE2.html\`: no "Grupa" heading
- **XX9**: \`http://x/index.html\`: --only XX9: no such code on the index page
`);
  });

  it('says what happened when nothing could be generated', () => {
    expect(renderFatalSummary('cannot reach x: ENOTFOUND')).to.contain('nothing generated');
  });
});

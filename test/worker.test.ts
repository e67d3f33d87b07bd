// The custom-feed Worker (dist/worker.js, as `npm run build` bundles it for
// wrangler) under Miniflare, the workerd runtime, reading the published site
// from a loopback `orar-cal serve` as its configured origin.
import { expect } from 'chai';
import fs from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { startSiteServer } from '../src/commands/serve.js';
import { canonicalSelection } from '../src/custom/selection.js';
import { encodeToken } from '../src/custom/token.js';
import { fixtureSpecs, publishSite, veventBlocks, writeSite } from './custom-site.js';
import { parseIcs } from './ical.js';

const WORKER = fileURLToPath(new URL('../dist/worker.js', import.meta.url));
const TOML = fs.readFileSync(new URL('../wrangler.toml', import.meta.url), 'utf8');
/** The runtime settings wrangler deploys with. */
const COMPATIBILITY_DATE = /^compatibility_date = "([^"]+)"$/m.exec(TOML)![1]!;
const COMPATIBILITY_FLAGS = JSON.parse(/^compatibility_flags = (\[.*\])$/m.exec(TOML)![1]!) as string[];

describe('the custom-feed Worker (Miniflare)', function () {
  this.timeout(30000);
  const site = publishSite(fixtureSpecs(), new Date('2026-09-20T10:00:00Z'));
  const token = encodeToken(canonicalSelection({ sources: [{ code: 'IE2', group: '921', subgroup: '1' }, { code: 'IE2', group: '922', subgroup: 'all' }], skipTypes: ['Seminar'], skipSubjects: [], labSubgroups: { 'baze de date': '2' } }));
  let root: string;
  let origin: string;
  let server: Server;
  let mf: Miniflare;
  const worker = (name: string, SITE_ORIGIN?: string) => ({
    name,
    modules: true,
    scriptPath: WORKER,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    bindings: SITE_ORIGIN === undefined ? {} : { SITE_ORIGIN },
    // Each worker answers its own host name.
    routes: [`${name}.example.org/*`],
  });
  const ask = async (name: string, path: string, init?: RequestInit): Promise<Response> =>
    (await mf.dispatchFetch(`https://${name}.example.org${path}`, init as Parameters<Miniflare['dispatchFetch']>[1])) as unknown as Response;

  before(async () => {
    root = writeSite(site);
    server = await startSiteServer(root, 0);
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    mf = new Miniflare({ workers: [worker('feeds', origin), worker('unconfigured'), worker('origin-down', 'http://127.0.0.1:9/')] });
    await mf.ready;
  });
  after(async () => {
    await mf?.dispose();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers /custom/{token}.ics with the bytes orar-cal serve gives, as text/calendar with an ETag, and 304 on If-None-Match', async () => {
    const response = await ask('feeds', `/custom/${token}.ics`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('text/calendar; charset=utf-8');
    expect(response.headers.get('cache-control')).to.match(/max-age=/);
    const text = await response.text();
    expect(text).to.equal(await (await fetch(`${origin}custom/${token}.ics`)).text());
    expect(parseIcs(text).events.length).to.be.above(0);
    // Every event as a group calendar published it (921/2's for the lab choice).
    const published = new Set(['921-1', '921-2', '922-all'].flatMap((f) => veventBlocks(site.files.get(`Informatica - in limba engleza/Year 2/${f}.ics`)!)));
    for (const block of veventBlocks(text)) expect(published.has(block), block).to.equal(true);
    const etag = response.headers.get('etag')!;
    const again = await ask('feeds', `/custom/${token}.ics`, { headers: { 'if-none-match': etag } });
    expect([again.status, again.headers.get('etag')]).to.deep.equal([304, etag]);
    await again.arrayBuffer();
  });

  it('answers bad input as serve does: 400 with a reason, 414 over 4 KB, 404 when no source is left; nothing else of the site', async () => {
    const answers = await Promise.all(
      [`/custom/9.${token.slice(2)}.ics`, `/custom/1.${'A'.repeat(4100)}.ics`, `/custom/${encodeToken(canonicalSelection({ sources: [{ code: 'XX1', group: '1', subgroup: 'all' }], skipTypes: [], skipSubjects: [], labSubgroups: {} }))}.ics`, '/data/index.json'].map(async (path) => {
        const r = await ask('feeds', path);
        const line = (await r.text()).split('\n')[0]!;
        // Over 4 KB the address itself is refused before the token is read.
        return [r.status, r.status === 414 ? /longer than/.test(line) : line];
      }),
    );
    expect(answers).to.deep.equal([
      [400, 'bad token: unknown token version "9" (this server reads version 1)'],
      [414, true],
      [404, 'nothing left to put in the calendar: XX1 1 (no specialization XX1)'],
      [404, 'not found'],
    ]);
    const post = await ask('feeds', `/custom/${token}.ics`, { method: 'POST' });
    expect(post.status).to.equal(405);
    await post.arrayBuffer();
  });

  it('never answers 200 without its site: no SITE_ORIGIN is a 500 naming it, an unreachable origin a 502', async () => {
    const unconfigured = await ask('unconfigured', `/custom/${token}.ics`);
    expect([unconfigured.status, await unconfigured.text()]).to.deep.equal([500, "this Worker has no SITE_ORIGIN: set it to the published site's address (wrangler.toml [vars] or --var)\n"]);
    const down = await ask('origin-down', `/custom/${token}.ics`);
    expect(down.status).to.equal(502);
    expect(await down.text()).to.match(/^the published site could not be read/);
  });
});

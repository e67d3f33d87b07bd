// The restore plan: which files of a deployed site the next run needs.
import { expect } from 'chai';
import { RestorePlanError, siteRelative, specFiles, specsToRestore } from '../src/output/restore-plan.js';

const index = (years: unknown[], name = 'Informatica - in limba engleza') => ({ semester: '2030-2', generatedAt: '', specializations: [{ name, master: false, years }] });
const specJson = (paths: string[]) => ({ code: 'IE2', groups: [{ name: '921', calendars: paths.map((path) => ({ subgroup: null, label: '921', path, events: 1 })) }] });

describe('restore plan', () => {
  it('names each spec\'s data, state and feed as the run does (specPaths of the index)', () => {
    const specs = specsToRestore({
      semester: '2030-2',
      generatedAt: '',
      specializations: [
        { name: 'Informatica - in limba engleza', master: false, years: [{ year: 2, code: 'IE2', status: 'ok' }, { year: 3, code: 'IE3', status: 'failed' }] },
        // Codes that differ only in case get the run's ~hash suffix on both.
        { name: 'Other', master: true, years: [{ year: 1, code: 'ab', status: 'stale' }, { year: 2, code: 'AB', status: 'ok' }] },
      ],
    });
    expect(specs.map((s) => [s.code, s.status, s.paths.data, s.paths.state, s.paths.feed])).to.deep.equal([
      ['IE2', 'ok', 'data/IE2.json', 'data/state/IE2.json', 'feeds/IE2.atom'],
      ['IE3', 'failed', 'data/IE3.json', 'data/state/IE3.json', 'feeds/IE3.atom'],
      ['ab', 'stale', specs[2]!.paths.data, specs[2]!.paths.state, specs[2]!.paths.feed],
      ['AB', 'ok', specs[3]!.paths.data, specs[3]!.paths.state, specs[3]!.paths.feed],
    ]);
    expect(specs[2]!.paths.data).to.match(/^data\/ab~\w+\.json$/);
    expect(specs[3]!.paths.data).to.match(/^data\/AB~\w+\.json$/);
  });

  it('turns a hostile code into a plain file name, as the run does', () => {
    const [spec] = specsToRestore(index([{ year: 1, code: '../../x', status: 'ok' }]));
    expect(spec!.paths).to.include({ data: 'data/x.json', state: 'data/state/x.json', feed: 'feeds/x.atom' });
  });

  it('refuses an index that is not orar-cal\'s', () => {
    expect(() => specsToRestore({})).to.throw(RestorePlanError, 'data/index.json has no "specializations" list');
    expect(() => specsToRestore(null)).to.throw(RestorePlanError);
    expect(() => specsToRestore(index([{ year: 1, code: 'X1' }]))).to.throw(RestorePlanError, 'no code, year or status');
    expect(() => specsToRestore({ specializations: [{ years: [] }] })).to.throw(RestorePlanError, 'specializations[0] has no name or years');
  });

  it('a kept spec: its state is required, its calendars and (once it has changed) its feed optional', () => {
    const [spec] = specsToRestore(index([{ year: 2, code: 'IE2', status: 'stale' }]));
    const calendars = ['Informatica - in limba engleza/Year 2/921-1.ics', 'Informatica - in limba engleza/Year 2/921-all.ics'];
    expect(specFiles(spec!, { ...specJson(calendars), feed: 'feeds/IE2.atom' })).to.deep.equal({
      required: ['data/state/IE2.json'],
      optional: [...calendars, 'feeds/IE2.atom'],
    });
    // Never changed since its first publication: no feed to fetch.
    expect(specFiles(spec!, specJson(calendars))).to.deep.equal({ required: ['data/state/IE2.json'], optional: calendars });
  });

  it('a spec that failed last time left no files', () => {
    const [spec] = specsToRestore(index([{ year: 2, code: 'IE2', status: 'failed' }]));
    expect(specFiles(spec!, null)).to.deep.equal({ required: [], optional: [] });
  });

  it('refuses a spec JSON that lists a path outside the site', () => {
    const [spec] = specsToRestore(index([{ year: 2, code: 'IE2', status: 'ok' }]));
    for (const bad of ['../../x.ics', 'a/../../x.ics', '/etc/passwd', 'a\\..\\x.ics', 'a//b.ics', './a.ics', 'a\u0000.ics', '', 7]) {
      expect(() => specFiles(spec!, specJson([bad as string])), JSON.stringify(bad)).to.throw(RestorePlanError, 'unsafe path');
    }
    expect(() => specFiles(spec!, { groups: 'x' })).to.throw(RestorePlanError, 'data/IE2.json has no "groups" list');
  });

  it('accepts plain site-relative paths, spaces and diacritics included', () => {
    expect(siteRelative('Matematică/Year 1/101 (all).ics', 'x')).to.equal('Matematică/Year 1/101 (all).ics');
  });
});

import { expect } from 'chai';
import { escapeHtml } from '../src/output/html.js';
import { renderIndexHtml } from '../src/output/index-html.js';
import { fileNamer, hrefOf, resolveInside, safeSegment, specPaths } from '../src/output/paths.js';

describe('paths from hostile names', () => {
  it('makes every name a plain segment', () => {
    expect(safeSegment('..')).to.equal('_');
    expect(safeSegment('../../etc/passwd')).to.equal('etc-passwd');
    expect(safeSegment('a/b\\c')).to.equal('a-b-c');
    expect(safeSegment('nul\u0000byte\u0007bell\u001b[31m')).to.equal('nul-byte-bell-[31m');
    expect(safeSegment('CON')).to.equal('_CON');
    expect(safeSegment('lpt1.ics')).to.equal('_lpt1.ics');
    expect(safeSegment('  .hidden. ')).to.equal('hidden');
    expect([...safeSegment('x'.repeat(5000))]).to.have.length(100);
    expect(safeSegment('Informatică - în limba română')).to.equal('Informatică - în limba română');
  });

  it('never resolves outside the output folder', () => {
    expect(resolveInside('/site', 'a/b.ics')).to.equal('/site/a/b.ics');
    expect(() => resolveInside('/site', '../x')).to.throw(/outside the output folder/);
    expect(() => resolveInside('/site', '/etc/passwd')).to.throw(/outside the output folder/);
  });

  it('tells apart files whose names differ only in case, or not at all', () => {
    const name = fileNamer();
    expect([name('A1-1', '.ics'), name('a1-1', '.ics'), name('A1/1', '.ics'), name('A1-1', '.ics')]).to.deep.equal([
      'A1-1.ics', 'a1-1~2.ics', 'A1-1~3.ics', 'A1-1~4.ics',
    ]);
  });

  it('gives specs that would share a folder or data file their own', () => {
    const paths = specPaths([
      { code: 'IE2', name: 'Informatica', year: 2 },
      { code: 'ie2', name: 'informatica', year: 2 },
      { code: 'IE3', name: 'Informatica', year: 3 },
      { code: 'IE2', name: 'Listed twice', year: 2 },
      { code: '../../x', name: '../..', year: 1 },
    ]);
    expect(paths.get('IE2')!.folder).to.equal('Informatica (IE2)/Year 2');
    expect(paths.get('ie2')!.folder).to.equal('informatica (ie2)/Year 2');
    expect(paths.get('IE2')!.data).to.match(/^data\/IE2~\w+\.json$/);
    expect(paths.get('ie2')!.data).to.match(/^data\/ie2~\w+\.json$/);
    expect(paths.get('IE2')!.data).not.to.equal(paths.get('ie2')!.data);
    expect(paths.get('IE3')).to.deep.equal({ folder: 'Informatica/Year 3', data: 'data/IE3.json', state: 'data/state/IE3.json', feed: 'feeds/IE3.atom' });
    expect(paths.get('../../x')).to.include({ folder: '_/Year 1', data: 'data/x.json' });
  });

  it('percent-encodes links', () => {
    expect(hrefOf('Name with space/Year 1/a#b?.ics')).to.equal('Name%20with%20space/Year%201/a%23b%3F.ics');
  });
});

describe('escaping what reaches the page', () => {
  it('shows markup from a page as text', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)>')).to.equal('&lt;img src=x onerror=alert(1)&gt;');
    const html = renderIndexHtml('2030-2', '2031-01-01T00:00:00.000Z', [
      {
        code: '"><script>alert(1)</script>',
        name: '<img src=x onerror=alert(1)>',
        year: 1,
        master: false,
        status: 'stale',
        error: '<b>boom</b>',
        groups: [{ name: '<i>921</i>', calendars: [{ label: '921/1"onmouseover="x', path: 'a"b/<c>.ics', events: 1 }] }],
      },
    ]);
    expect(html).not.to.match(/<img src|<script>alert|<b>boom|<i>921|"onmouseover/);
    expect(html).to.contain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).to.contain('href="a%22b/%3Cc%3E.ics"');
  });
});

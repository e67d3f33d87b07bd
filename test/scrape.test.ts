import { expect } from 'chai';
import { parseAcademicYear } from '../src/scrape/academic-year.js';
import { parseIndex } from '../src/scrape/index-page.js';
import { parseRooms } from '../src/scrape/rooms.js';
import { NotATimetableError, parseRow, parseTimetable } from '../src/scrape/timetable.js';
import { decodeIso88592 } from '../src/scrape/text.js';
import { decodeDeclared } from '../src/net/decode.js';
import { fixtureBytes, fixtureText } from './helpers.js';

describe('ISO-8859-2 decoding', () => {
  it('turns the bytes for Â, á, ă, ş into the right letters', () => {
    // 0xC2 Â, 0xE1 á, 0xE3 ă, 0xBA ş in ISO-8859-2 (ă and ş differ from Latin-1)
    expect(decodeIso88592(Buffer.from([0x50, 0xc2, 0x52, 0x20, 0x54, 0x61, 0x6d, 0xe1, 0x73, 0x20, 0xe3, 0xba]))).to.equal('PÂR Tamás ăş');
  });

  it('decodes a timetable page so that names come out right', () => {
    const page = parseTimetable(decodeIso88592(fixtureBytes('timetable.html')), 'AS1');
    const professors = page.groups.flatMap((g) => g.entries.map((e) => e.professor));
    expect(professors).to.include('Prof. PÂRVULESCU Ana');
    expect(professors).to.include('Asist. KOVÁCS Tamás');
  });

  it('reads the charset a university page declares, defaulting to UTF-8', () => {
    const utf8 = Buffer.from('<p>Română</p>', 'utf8');
    expect(decodeDeclared(utf8, 'text/html; charset=utf-8')).to.equal('<p>Română</p>');
    expect(decodeDeclared(utf8, undefined)).to.equal('<p>Română</p>');
    const latin2 = Buffer.concat([Buffer.from('<meta charset="iso-8859-2"><p>'), Buffer.from([0xe3]), Buffer.from('</p>')]);
    expect(decodeDeclared(latin2, 'text/html')).to.contain('<p>ă</p>');
  });
});

describe('parseIndex', () => {
  const index = parseIndex(decodeIso88592(fixtureBytes('index.html')));

  it('reads every "Anul N" link of every table, in page order', () => {
    expect(index.specs.map((s) => s.code)).to.deep.equal(['AS1', 'AS3', 'ASM1', 'ASM2', 'AS1', 'MaCos1', 'MaCos2']);
    expect(index.specs[1]).to.deep.equal({ code: 'AS3', name: 'Astronomie - linia de studiu romana', year: 3, master: false });
  });

  it('marks the "Studii Master" table as master programmes', () => {
    expect(index.specs.filter((s) => s.master).map((s) => s.code)).to.deep.equal(['MaCos1', 'MaCos2']);
  });

  it('keeps diacritics in names', () => {
    expect(index.specs[2]!.name).to.equal('Astronomie - linia de studiu maghiară');
  });

  it('reads links however deep in a cell, in any case of tag; skips <a> with no href, and warns of one with an empty href', () => {
    const page = parseIndex(
      '<TABLE><TR><TH>Studii Licenta</TH></TR>' +
        '<TR><TD><b>Informatica</b> romana</TD><TD><div><span><A HREF="I1.html">Anul 1</A></span></div></TD><td><a name="x">Anul 2</a></td><td><a href="">Anul 3</a></td></TR></TABLE>' +
        '<table><tr><td>Fara antet</td><td><a href="x/MI2.htm">anul  2</a></td></tr></table>',
    );
    expect(page.specs).to.deep.equal([
      { code: 'I1', name: 'Informatica romana', year: 1, master: false },
      { code: 'MI2', name: 'Fara antet', year: 2, master: false },
    ]);
    expect(page.warnings).to.deep.equal(['index: skipped link "Anul 3" -> "" in row "Informatica romana"']);
  });

  it('reads a link in the row\'s first cell too, and a table with no header as bachelor\'s', () => {
    const page = parseIndex('<table><tr><td><a href="M1.html">Anul 1</a> Matematica</td></tr></table>');
    expect(page.specs).to.deep.equal([{ code: 'M1', name: 'Anul 1 Matematica', year: 1, master: false }]);
  });
});

describe('parseTimetable', () => {
  const page = parseTimetable(decodeIso88592(fixtureBytes('timetable.html')), 'AS1');
  const [g1, g2] = page.groups;

  it('finds each group heading with its own table', () => {
    expect(page.groups.map((g) => g.group)).to.deep.equal(['4011', '4012']);
    expect(g2!.entries).to.have.length(1);
  });

  it('reads days, 1-, 2- and 3-hour slots, frequencies, rooms and formations', () => {
    expect(g1!.entries[0]).to.deep.equal({
      day: 'Luni', startHour: 8, endHour: 10, frequency: 'every', room: '2/I', formation: 'AS1',
      type: 'Curs', subject: 'Mecanica cereasca', professor: 'Prof. PÂRVULESCU Ana',
    });
    expect(g1!.entries[1]).to.include({ day: 'Marti', startHour: 16, endHour: 19, frequency: 'odd', room: 'pi', formation: '4011/1', type: 'Laborator' });
    expect(g1!.entries[2]).to.include({ frequency: 'even', formation: '4011/2' });
    expect(g1!.entries[3]).to.include({ startHour: 12, endHour: 13, room: 'neprecizat', professor: '- Necunoscut' });
    expect(g1!.entries[4]).to.include({ day: 'Sambata', startHour: 9, endHour: 11, frequency: 'even', room: 'MOS-S16' });
  });

  it('skips unreadable rows with a warning naming the page and the row', () => {
    expect(g1!.entries.map((e) => e.subject)).not.to.include('Rand cu ore necitibile');
    expect(g1!.entries.map((e) => e.subject)).not.to.include('Rand cu tip necunoscut');
    const skipped = page.warnings.filter((w) => w.includes('skipped'));
    expect(skipped).to.have.length(2);
    expect(skipped[0]).to.match(/^AS1: group 4011: skipped row \(bad hours "dupa-amiaza"\): Joi \| dupa-amiaza/);
    expect(skipped[1]).to.contain('unknown type "Practica"');
  });

  it('lists a row repeated word for word once, and says so', () => {
    expect(g1!.entries.filter((e) => e.subject === 'Astrofotografie')).to.have.length(1);
    expect(page.warnings.filter((w) => w.includes('duplicate row'))).to.have.length(1);
  });

  it('refuses a page with no group (an error page, a truncated body)', () => {
    expect(() => parseTimetable('<html><body><h1>Service Unavailable</h1></body></html>', 'X1')).to.throw(NotATimetableError);
    expect(() => parseTimetable('', 'X1')).to.throw(NotATimetableError);
  });

  it('reads the faculty\'s title-only page (timetable not published yet) as no groups, with a warning', () => {
    const titleOnly = "<html><head><title>Anul 1 Fizica</title></head><body><center>\n<h1>Orar Anul 1 Fizica - linia de studiu romana</h1>\n</center></body></html>";
    const result = parseTimetable(titleOnly, 'FR1');
    expect(result.groups).to.deep.equal([]);
    expect(result.warnings).to.deep.equal(['FR1: the page has no group table yet (timetable not published)']);
    // A title followed by anything else is not that page.
    expect(() => parseTimetable(titleOnly.replace('</h1>', '</h1><p>Eroare 500</p>'), 'FR1')).to.throw(NotATimetableError);
    expect(() => parseTimetable('<h1>Orar indisponibil</h1><table><tr><td>x</td></tr></table>', 'FR1')).to.throw(NotATimetableError);
  });

  it('does not give a group without a table the next group\'s rows', () => {
    const html = '<h1>Grupa 1</h1><h1>Grupa 2</h1><table><tr><td>Luni</td><td>8-10</td><td></td><td>A</td><td>2</td><td>Curs</td><td>S</td><td>P</td></tr></table>';
    const result = parseTimetable(html, 'X');
    expect(result.groups.map((g) => [g.group, g.entries.length])).to.deep.equal([['2', 1]]);
    expect(result.warnings[0]).to.contain('group 1 has no table');
  });

  it('rejects rows with bad cells', () => {
    const row = ['Luni', '8-10', '', 'A', '1', 'Curs', 'S', 'P'];
    expect(parseRow(row)).to.be.an('object');
    expect(parseRow([...row.slice(0, 7)])).to.equal('expected 8 cells, found 7');
    expect(parseRow(['Duminica', ...row.slice(1)])).to.match(/unknown day/);
    expect(parseRow(['Luni', '10-8', ...row.slice(2)])).to.match(/bad hours/);
    expect(parseRow(['Luni', '8-10', 'sapt. 3', ...row.slice(3)])).to.match(/unknown frequency/);
  });
});

describe('parseRooms', () => {
  it('maps room codes to locations', () => {
    expect(parseRooms(decodeIso88592(fixtureBytes('legend.html')))).to.deep.equal({
      '2/I': 'Cladirea Centrala, Etaj 1 (str. Exemplului nr. 1)',
      pi: 'Corpul Observatorului, parter',
    });
  });
});

describe('parseAcademicYear', () => {
  const year = parseAcademicYear(fixtureText('academic-year.html'));

  it('finds one section per study-line heading, ignoring menu headings', () => {
    expect(year.startYear).to.equal(2030);
    expect(year.sections.map((s) => s.lines)).to.deep.equal([['romanian'], ['hungarian', 'german']]);
    expect(Object.keys(year.sections[0]!.tables)).to.deep.equal(['I', 'II', 'II-final']);
  });

  it('reads teaching periods and the holidays in their notes', () => {
    const rows = year.sections[0]!.tables.I!;
    const teaching = rows.filter((r) => r.teaching);
    expect(teaching.map((r) => [r.start, r.end])).to.deep.equal([
      ['2030-09-30', '2030-12-22'],
      ['2031-01-06', '2031-01-19'],
    ]);
    expect(teaching.map((r) => r.holidays)).to.deep.equal([['2030-12-02'], ['2031-01-06', '2031-01-07']]);
  });

  it('does not take dates from the notes of other activities as holidays', () => {
    const exams = year.sections[0]!.tables.I!.find((r) => r.activity.startsWith('sesiune'));
    expect(exams).to.include({ teaching: false });
    expect(exams!.holidays).to.deep.equal([]);
  });

  it('keeps the final-year table of semester II apart', () => {
    const final = year.sections[0]!.tables['II-final']!.filter((r) => r.teaching);
    expect(final.map((r) => r.end)).to.deep.equal(['2031-04-13', '2031-05-25']);
  });
});

describe('pages that are not what they seem', () => {
  it('refuses a page in another encoding', async () => {
    const { decodeSchedulePage } = await import('../src/net/decode.js');
    expect(() => decodeSchedulePage(Buffer.from('\ufeff<html>', 'utf8'))).to.throw(/UTF-8 \(byte-order mark\)/);
    expect(() => decodeSchedulePage(Buffer.from('<html>', 'utf16le'))).to.throw(/NUL bytes/);
    expect(() => decodeSchedulePage(Buffer.from('<meta charset="utf-8"><h1>Grupa 1</h1>'))).to.throw(/declares charset utf-8/);
    expect(decodeSchedulePage(fixtureBytes('timetable.html'))).to.contain('PÂRVULESCU');
  });

  it('refuses a page cut short in the middle of a table', () => {
    const html = decodeIso88592(fixtureBytes('timetable.html'));
    const cut = html.slice(0, html.indexOf('Grupa 4012') + 200);
    expect(() => parseTimetable(cut, 'AS1')).to.throw(NotATimetableError, /cut short: 1 table\(s\) not closed/);
  });
});

// Renders pages in the exact HTML the faculty and the university publish,
// from plain data. The sample faculty and the tests serve these; the parsers
// in src/scrape read them like the real ones.

/** The 8 cells of a timetable row, as text (frequency '' for every week). */
export interface RawRow {
  day: string;
  hours: string;
  frequency: string;
  room: string;
  formation: string;
  type: string;
  subject: string;
  professor: string;
}

export interface IndexRow {
  name: string;
  /** One code per year column; null for an empty cell. */
  codes: (string | null)[];
}

const HEAD = (title: string): string => `<html><head>
<title>${title}</title>
<link href='../style.css' rel='stylesheet' type='text/css'>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=ISO-8859-2">
</head><body><center>
`;

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function table(header: string, columns: number, rows: IndexRow[]): string {
  const ths = [`<th>${header}</th>`, ...Array.from({ length: columns }, () => '<th>Anul</th>')].join('\n');
  const trs = rows.map((row) => {
    const cells = Array.from({ length: columns }, (_, i) => {
      const code = row.codes[i];
      return code ? `<td><a href="${esc(code)}.html" >Anul ${i + 1}</a></td>` : '<td>&nbsp;</td>';
    });
    return `<tr align=center>\n<td>${esc(row.name)}</td>\n${cells.join('\n')}\n</tr>`;
  });
  return `<table border=1 cellspacing=0 cellpadding=0>\n<tr align=center>\n${ths}\n</tr>\n${trs.join('\n')}\n</table>\n`;
}

export function renderIndexPage(bachelor: IndexRow[], master: IndexRow[]): string {
  return `${HEAD('Orar studenti (format tabelar)')}<h1>Orar studenti (format tabelar)</h1>
${table('Studii Licenta', 4, bachelor)}<br>
${master.length > 0 ? table('Studii Master', 2, master) : ''}</center></body></html>
`;
}

function roomFile(room: string): string {
  return room.replace(/\//g, '-');
}

export function renderTimetablePage(title: string, groups: { group: string; rows: RawRow[] }[]): string {
  const sections = groups.map(({ group, rows }) => {
    const trs = rows.map(
      (r) => `<tr align=center>
<td>${esc(r.day)}</td>
<td class="bloc">${esc(r.hours)}</td>
<td>${r.frequency ? esc(r.frequency) : '&nbsp;'}</td>
<td><a href="../sali/${esc(roomFile(r.room))}.html" >${esc(r.room)}</a></td>
<td>${esc(r.formation)}</td>
<td>${esc(r.type)}</td>
<td><a href="../disc/${subjectFile(r.subject)}.html" >${esc(r.subject)}</a></td>
<td><a href="../cadre/${subjectFile(r.professor)}.html" >${esc(r.professor)}</a></td>
</tr>`,
    );
    return `<h1>Grupa ${esc(group)}</h1>
<table border=1 cellspacing=0 cellpadding=0>
<tr align=center>
<th>Ziua</th>
<th>Orele</th>
<th>Frecventa</th>
<th>Sala</th>
<th>Formatia</th>
<th>Tipul</th>
<th>Disciplina</th>
<th>Cadrul didactic</th>
</tr>
${trs.join('\n')}
</table>`;
  });
  return `${HEAD(esc(title))}<h1>Orar ${esc(title)}</h1>
${sections.join('\n')}
</center></body></html>
`;
}

function subjectFile(text: string): string {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `D${h.toString(16).toUpperCase().padStart(6, '0').slice(0, 6)}`;
}

export function renderLegendPage(rooms: Record<string, string>): string {
  const rows = Object.entries(rooms).map(
    ([room, where]) => `<tr>
<td align=center><a href="${esc(roomFile(room))}.html" >${esc(room)}</a></td>
<td align=left>${esc(where)}</td>
</tr>`,
  );
  return `<html><head>
<title>Legenda salilor</title>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=ISO-8859-2">
</head><body><center>
<h1>Legenda salilor</h1>
<table border=1 cellspacing=0 cellpadding=0>
<tr align=center>
<th>Sala</th>
<th>Localizarea</th>
</tr>
${rows.join('\n')}
</table>
</center></body></html>
`;
}

/** A row of the academic-year table: dates as DD.MM.YYYY. */
export interface AcademicRow {
  from: string;
  to: string;
  activity: string;
  notes: string;
}

export interface AcademicSection {
  heading: string;
  tables: { label: 'SEMESTRUL I' | 'SEMESTRUL II' | 'SEMESTRUL II - Anii terminali'; rows: AcademicRow[] }[];
}

export function renderAcademicPage(title: string, sections: AcademicSection[]): string {
  const body = sections.map((section) => {
    const tables = section.tables.map(({ label, rows }) => {
      const trs = rows.map(
        (r) => `  <tr>
    <td valign="top"><p><strong>${r.from}   - ${r.to} </strong></p></td>
    <td valign="top"><p>${esc(r.activity)} <strong> </strong></p></td>
    <td valign="top"><p>${esc(r.notes)}<strong> </strong></p></td>
  </tr>`,
      );
      return `<p align="center"><strong>${label}</strong></p>
<table border="0" cellspacing="0" cellpadding="0" width="100%">
${trs.join('\n')}
</table>`;
    });
    return `<h2>${esc(section.heading)}</h2>
<p><a href="../files/structura.pdf" target="_blank">- Avizată de Senat -</a></p>
${tables.join('\n')}`;
  });
  return `<!DOCTYPE html>
<html lang="ro">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
</head>
<body>
<div id="menu"><h2><a href="/ro/despre">despre</a></h2></div>
<div id="section_content"><div class="container">
<div class="title"><h1>${esc(title)}</h1></div>
${body.join('\n')}
</div></div>
</body>
</html>
`;
}

const ENCODE = (() => {
  const decoder = new TextDecoder('iso-8859-2');
  const map = new Map<string, number>();
  for (let b = 0; b < 256; b++) map.set(decoder.decode(Uint8Array.of(b)), b);
  return map;
})();

/** Text -> ISO-8859-2 bytes, as the faculty's server sends them ("?" where impossible). */
export function encodeIso88592(text: string): Buffer {
  const out = Buffer.alloc(text.length);
  let i = 0;
  for (const ch of text) out[i++] = ENCODE.get(ch) ?? 0x3f;
  return out.subarray(0, i);
}

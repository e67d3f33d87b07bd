// index.html: for now a plain page listing every calendar, by specialization
// and year, with download links. Works without JavaScript.
import { escapeHtml } from './html.js';
import { hrefOf } from './paths.js';

export interface SpecListing {
  code: string;
  name: string;
  year: number;
  master: boolean;
  status: 'ok' | 'failed' | 'stale';
  error?: string;
  /** When its files were last generated. */
  updatedAt?: string;
  /** When its events last changed, and the feed that says how. */
  changedAt?: string;
  feed?: string;
  groups: { name: string; calendars: { label: string; path: string; events: number; bytes?: number }[] }[];
}

export function renderIndexHtml(
  semester: string,
  generatedAt: string,
  specs: readonly SpecListing[],
  weeks: readonly { label: string; path: string }[] = [],
): string {
  const byName = new Map<string, SpecListing[]>();
  for (const spec of specs) byName.set(spec.name, [...(byName.get(spec.name) ?? []), spec]);
  const sections = [...byName.entries()].map(([name, years]) => {
    const items = years
      .sort((a, b) => a.year - b.year)
      .map((spec) => {
        const changed = spec.changedAt ? ` <small>changed on ${escapeHtml(spec.changedAt.slice(0, 10))}${spec.feed ? ` · <a href="${escapeHtml(hrefOf(spec.feed))}">changes (Atom)</a>` : ''}</small>` : '';
        const head = `<h3>Year ${spec.year} <small>(${escapeHtml(spec.code)})</small>${changed}</h3>`;
        if (spec.status === 'failed') {
          return `${head}\n<p class="error">Not available in this build: ${escapeHtml(spec.error ?? 'unknown error')}</p>`;
        }
        const stale =
          spec.status === 'stale'
            ? `\n<p class="error">Stale: these calendars are from ${escapeHtml(spec.updatedAt ?? 'an earlier build')}; this build could not read the timetable (${escapeHtml(spec.error ?? 'unknown error')}).</p>`
            : '';
        const groups = spec.groups
          .map((g) => {
            const links = g.calendars
              .map((c) => `<a href="${escapeHtml(hrefOf(c.path))}" download>${escapeHtml(c.label)}</a> <small>(${c.events} events)</small>`)
              .join(' · ');
            return `<li>Group ${escapeHtml(g.name)}: ${links}</li>`;
          })
          .join('\n');
        return `${head}${stale}\n<ul>\n${groups}\n</ul>`;
      })
      .join('\n');
    return `<section>\n<h2>${escapeHtml(name)}</h2>\n${items}\n</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'">
<title>Timetable calendars ${escapeHtml(semester)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;line-height:1.5}h3{margin-bottom:.2rem}.error{color:#a00}</style>
</head>
<body>
<h1>Timetable calendars, semester ${escapeHtml(semester)}</h1>
<p>One calendar per group and subgroup: download the <code>.ics</code> file and import it, or subscribe to its address. Data generated ${escapeHtml(generatedAt)}.</p>
${weeks.length > 0 ? `<section>\n<h2>Teaching weeks</h2>\n<p>Overlay one of these to see each week's number and parity, vacations and public holidays.</p>\n<ul>\n${weeks.map((w) => `<li><a href="${escapeHtml(hrefOf(w.path))}" download>${escapeHtml(w.label)}</a></li>`).join('\n')}\n</ul>\n</section>\n` : ''}${sections.join('\n')}
</body>
</html>
`;
}

// index.html: for now a plain page listing every calendar, by specialization
// and year, with download links. Works without JavaScript.
import { escapeHtml } from './html.js';
import { hrefOf } from './paths.js';
import type { SpecStatus } from '../report.js';
import type { Spec } from '../model.js';

export interface SpecListing extends Spec {
  status: SpecStatus;
  error?: string;
  /** When its files were last generated. */
  updatedAt?: string;
  /** When its calendars were first published. */
  firstPublishedAt?: string;
  /** When its events last changed after that, and the feed that says how. */
  changedAt?: string;
  feed?: string;
  groups: { name: string; calendars: { label: string; path: string; events: number; bytes?: number }[] }[];
}

export function renderIndexHtml(
  semester: string,
  generatedAt: string,
  specs: readonly SpecListing[],
  weeks: readonly { label: string; path: string }[] = [],
  /** The page build's version (dist/web/assets-version.txt): asked for with the script and style. */
  assetsVersion: string | null = null,
): string {
  const versioned = (path: string): string => (assetsVersion ? `${path}?v=${encodeURIComponent(assetsVersion)}` : path);
  const byName = new Map<string, SpecListing[]>();
  for (const spec of specs) byName.set(spec.name, [...(byName.get(spec.name) ?? []), spec]);
  const sections = [...byName.entries()].map(([name, years]) => {
    const items = years
      .sort((a, b) => a.year - b.year)
      .map((spec) => {
        const changed = spec.changedAt
          ? ` <small>changed on ${escapeHtml(spec.changedAt.slice(0, 10))}${spec.feed ? ` · <a href="${escapeHtml(hrefOf(spec.feed))}">changes (Atom)</a>` : ''}</small>`
          : spec.firstPublishedAt
            ? ` <small>first published on ${escapeHtml(spec.firstPublishedAt.slice(0, 10))}</small>`
            : '';
        const head = `<h4>Year ${spec.year} <small>(${escapeHtml(spec.code)})</small>${changed}</h4>`;
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
    return `<section>\n<h3>${escapeHtml(name)}</h3>\n${items}\n</section>`;
  });
  const weeksList =
    weeks.length > 0
      ? `<h3>Teaching weeks</h3>\n<p>Overlay one of these to see each week's number and parity, vacations and public holidays.</p>\n<ul>\n${weeks.map((w) => `<li><a href="${escapeHtml(hrefOf(w.path))}" download>${escapeHtml(w.label)}</a></li>`).join('\n')}\n</ul>\n`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'">
<title>Timetable calendars ${escapeHtml(semester)}</title>
<meta name="theme-color" media="(prefers-color-scheme: light)" content="#fbfbfd">
<meta name="theme-color" media="(prefers-color-scheme: dark)" content="#14161b">
<link rel="manifest" href="manifest.webmanifest">
<link rel="icon" href="assets/icon.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="assets/icon-192.png">
<link rel="stylesheet" href="${escapeHtml(versioned('assets/style.css'))}">
<script type="module" src="${escapeHtml(versioned('assets/app.js'))}"></script>
</head>
<body>
<header class="top">
<h1>Timetable calendars · semester ${escapeHtml(semester)}</h1>
<button type="button" id="theme-toggle" aria-pressed="false" hidden>Dark theme</button>
</header>
<main>
<p id="no-app" class="panel note"><noscript><strong>JavaScript is off in this browser.</strong> </noscript>The interactive view (search, your week, subscribe) needs JavaScript and the site served over HTTP; opened from disk (a <code>file:</code> address) it does not start. The quick downloads below work everywhere.</p>
<p id="offline" class="panel note" hidden>The interactive view needs the site served over HTTP (for a local preview: <code>npm run serve</code>). The quick downloads below work everywhere.</p>
<div id="app" hidden>
<section class="panel" aria-labelledby="find-title">
<h2 id="find-title">Find your group</h2>
<label for="search">Specialization, code, teacher or room</label>
<input type="search" id="search" autocomplete="off" placeholder="e.g. ie2, engleza 2, informatica maghiara, popescu ion, 2/I" aria-describedby="search-help" role="combobox" aria-autocomplete="list" aria-controls="results" aria-expanded="false">
<p id="search-help" class="muted">Type a code (IE2), words from the name, a teacher's name (in any order) or a room; typos and missing diacritics are fine. Arrow keys move through the results, Enter picks one.</p>
<ul id="results" class="results" role="listbox" aria-label="Matching specializations, teachers and rooms" hidden></ul>
<p id="results-status" class="visually-hidden" aria-live="polite"></p>
<div id="selection" hidden>
<p><strong id="picked"></strong></p>
<div class="controls">
<div><label for="year">Year</label><br><select id="year"></select></div>
<div><label for="group">Group</label><br><select id="group"></select></div>
<fieldset><legend>Subgroup</legend>
<label><input type="radio" name="sub" id="sub-1" value="1"> 1</label>
<label><input type="radio" name="sub" id="sub-2" value="2"> 2</label>
<label><input type="radio" name="sub" id="sub-both" value="both"> both</label>
</fieldset>
</div>
<p id="changed"></p>
</div>
</section>
<section class="panel" aria-labelledby="week-title">
<h2 id="week-title" tabindex="-1">Your week<span id="week-of"></span></h2>
<p id="net-status" class="note" role="status" hidden></p>
<p id="week-status" aria-live="polite"></p>
<p id="day-note" class="day-note"></p>
<fieldset><legend>Show</legend>
<label><input type="radio" name="week" id="week-odd" value="odd"> week 1 (odd)</label>
<label><input type="radio" name="week" id="week-even" value="even"> week 2 (even)</label>
<label><input type="radio" name="week" id="week-all" value="all"> all</label>
</fieldset>
<p class="legend"><span class="type-curs">Course</span><span class="type-seminar">Seminar</span><span class="type-laborator">Lab</span> <small>Tap a class for its details.</small></p>
<div id="day-tabs" class="day-tabs" role="group" aria-label="Day"></div>
<div id="grid" class="grid"></div>
</section>
<section class="panel get" aria-labelledby="get-title">
<h2 id="get-title">Get the calendar</h2>
<p id="get-hint" class="muted">Find your group above first: these need one.</p>
<p><a id="download" class="button" aria-disabled="true" download>Download (.ics)</a></p>
<h3 class="subscribe-title">Subscribe (follows every timetable change)</h3>
<div id="subscribe" class="subscribe"></div>
<details><summary>Google Calendar</summary><p>Tap "Google Calendar", or on a computer: Other calendars, +, From URL, paste the link. Google refreshes subscribed calendars every few hours.</p></details>
<details><summary>Apple Calendar (iPhone, Mac)</summary><p>Tap "Apple"; or Settings, Calendar, Accounts, Add Account, Other, Add Subscribed Calendar, paste the link.</p></details>
<details><summary>Outlook</summary><p>"Outlook.com" opens Outlook on the web's Subscribe from web; "Outlook (desktop)" opens the installed Outlook. Downloading the .ics imports a one-time copy that will not update.</p></details>
</section>
<section class="panel" aria-labelledby="custom-title">
<h2 id="custom-title">Custom calendar</h2>
<p class="muted">What you choose here is what the grid above shows, and what you subscribe to.</p>
<fieldset class="custom-sources"><legend>Groups</legend>
<ul id="source-list" class="sources"></ul>
<div class="controls add-source">
<div><label for="add-spec">Add another group</label><br><select id="add-spec"></select></div>
<div><label for="add-group">Group</label><br><select id="add-group"></select></div>
<div><label for="add-sub">Subgroup</label><br><select id="add-sub"><option value="all">both</option><option value="1">1</option><option value="2">2</option></select></div>
<div><br><button type="button" id="add-source" disabled>Add</button></div>
</div>
</fieldset>
<fieldset><legend>Types</legend>
<label><input type="checkbox" id="type-Curs" checked> courses</label>
<label><input type="checkbox" id="type-Seminar" checked> seminars</label>
<label><input type="checkbox" id="type-Laborator" checked> labs</label>
</fieldset>
<ul id="subjects" class="subjects"></ul>
<h3 class="subscribe-title">Subscribe to this selection</h3>
<p id="custom-feed-note" class="muted" aria-live="polite"></p>
<div id="custom-subscribe" class="subscribe" hidden></div>
<p><button type="button" id="custom-download" disabled>Download custom calendar (.ics)</button> <span id="custom-status" aria-live="polite"></span></p>
</section>
<section class="panel" aria-labelledby="free-title">
<h2 id="free-title">Free rooms</h2>
<div class="controls">
<div><label for="free-date">Date</label><br><input type="date" id="free-date"></div>
<div><label for="free-hour">Hour</label><br><select id="free-hour"></select></div>
</div>
<p id="free-status" aria-live="polite"></p>
<div id="free-list" class="free-list"></div>
</section>
<section class="panel" id="clashes" aria-labelledby="clashes-title" hidden>
<h2 id="clashes-title">Clashes</h2>
<p class="muted">Two classes in one room at the same time with different teachers, or one teacher in two rooms at the same time.</p>
<p id="clashes-count"></p>
<details id="clashes-details"><summary>Show the clashes</summary><ul id="clashes-list" class="clashes"></ul></details>
</section>
<p id="generated" class="muted"></p>
</div>
</main>
<section class="quick" id="quick" aria-labelledby="quick-title">
<h2 id="quick-title">Quick download</h2>
<p>Every calendar as a plain link, by specialization and year. Data generated ${escapeHtml(generatedAt)}.</p>
${weeksList}${sections.join('\n')}
</section>
<dialog id="details" class="details" aria-labelledby="details-title">
<div class="sheet">
<h2 id="details-title"></h2>
<dl id="details-list"></dl>
<p id="details-links" class="details-links" hidden></p>
<p><button type="button" id="details-close">Close</button></p>
</div>
</dialog>
<div id="update" class="toast" hidden><span id="update-text" role="status"></span> <button type="button" id="update-reload">Reload</button></div>
</body>
</html>
`;
}

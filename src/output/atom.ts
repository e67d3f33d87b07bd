// One Atom feed per specialization-year: an entry per run that changed it.
import type { ClassChange } from '../calendar/changes.js';

export interface FeedEntry {
  /** When the run published the changes (ISO UTC). */
  at: string;
  changes: { group: string; text: string }[];
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export function feedEntry(at: string, changes: readonly ClassChange[]): FeedEntry {
  return { at, changes: changes.map((c) => ({ group: c.group, text: c.text })) };
}

/** The feed, newest entry first. `selfHref` and `siteHref` are relative to the feed. */
export function renderAtom(options: { id: string; title: string; updated: string; siteHref: string; entries: readonly FeedEntry[] }): string {
  const entries = options.entries.map((entry) => {
    const groups = [...new Set(entry.changes.map((c) => c.group))];
    const lines = groups.flatMap((g) => [`Group ${g}:`, ...entry.changes.filter((c) => c.group === g).map((c) => `- ${c.text}`)]);
    const count = entry.changes.length;
    return `  <entry>
    <id>${xml(`${options.id}:${entry.at}`)}</id>
    <title>${xml(`${count} change${count === 1 ? '' : 's'} (${entry.at.slice(0, 10)})`)}</title>
    <updated>${xml(entry.at)}</updated>
    <content type="text">${xml(lines.join('\n'))}</content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(options.id)}</id>
  <title>${xml(options.title)}</title>
  <updated>${xml(options.updated)}</updated>
  <author><name>orar-cal</name></author>
  <link rel="alternate" href="${xml(options.siteHref)}"/>
${entries.join('\n')}
</feed>
`;
}

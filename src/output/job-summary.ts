// The Markdown a CI job shows for a run (GitHub's job summary).
import type { Report } from '../report.js';

/** Text inside a table cell or a list item: no pipes, no line breaks. */
function md(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/([\\|*_[\]<>])/g, '\\$1');
}

function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text.replace(/[\r\n]+/g, ' ')}${ticks}`;
}

const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function renderJobSummary(report: Report): string {
  const t = report.totals;
  const h = report.http;
  const lines = [
    `## orar-cal ${md(report.semester)}`,
    '',
    '| ok | stale | failed | calendar files | events | files written | unchanged | carried over | 200 | 304 | retries | fetch | generate | total |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${t.specsOk} | ${t.specsStale} | ${t.specsFailed} | ${t.files} | ${t.events} | ${report.writes.written} | ${report.writes.unchanged} | ${report.writes.carried} | ${h.responses} | ${h.notModified} | ${h.retries} | ${sec(report.timings.fetchMs)} | ${sec(report.timings.generateMs)} | ${sec(report.timings.totalMs)} |`,
  ];
  const problems = report.specs.filter((s) => s.status !== 'ok');
  const others = report.errors.filter((e) => !problems.some((s) => s.code === e.code));
  if (problems.length > 0 || others.length > 0) {
    lines.push('', '### Errors', '');
    for (const s of problems) {
      const what = s.status === 'stale' ? 'stale, the previous calendars are still published' : 'failed, not published';
      lines.push(`- **${md(s.code)}** (${md(s.name)}, year ${s.year}): ${what}. ${code(s.error?.url ?? s.url)}: ${md(s.error?.message ?? 'unknown error')}`);
    }
    for (const e of others) lines.push(`- **${md(e.code)}**: ${code(e.url)}: ${md(e.message)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A run that ended before any spec (exit 3). */
export function renderFatalSummary(message: string): string {
  return `## orar-cal: nothing generated\n\nThe published site stays as it was.\n\n${md(message)}\n`;
}

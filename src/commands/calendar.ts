// orar-cal calendar: one student's custom calendar from a published site (a
// folder or a URL), made by the custom engine (src/custom/) exactly as the
// /custom/{token}.ics feed is, and the address to subscribe to it.
import fs from 'node:fs';
import { EXIT } from '../report.js';
import { customFeed, INDEX_PATH, lookUpSources, NothingLeftError, readIndex, SiteDataError } from '../custom/feed.js';
import { OriginError, httpSiteReader } from '../custom/http-reader.js';
import { canonicalSelection, parseSource, SelectionError, sourceFlag, sourceLabel, type Selection } from '../custom/selection.js';
import { ParsedFiles, type SiteReader } from '../custom/site-reader.js';
import { subjectKey } from '../custom/subjects.js';
import { encodeToken, feedAddress } from '../custom/token.js';
import type { EventType } from '../site-data.js';
import { nodeSiteReader } from '../server/node-site-reader.js';
import { UsageError, httpUrlFlag, parseFlags, pathFlag } from './flags.js';

const USAGE = `Usage: orar-cal calendar [--site DIR|URL] --add CODE:GROUP[:SUB] [--add ...] [options]

Writes one custom calendar made of published group calendars (up to 8),
filtered; its events are the published ones byte for byte, so a subscribed
custom feed updates in place like a group calendar. With no --add on a
terminal, it asks (and remembers the answers for next time).

Options:
  --site DIR|URL        the generated site: a folder or its address (default: site)
  --add CODE:GROUP[:SUB]  a group calendar: e.g. IE2:921:1, MIE3:831:all, MaDS1:2611/1
                        (SUB 1, 2 or all, default all; a group named like 2611/1 has none)
  --skip-type TYPE      leave out a type: course, seminar or lab (repeatable)
  --skip SUBJECT        leave out a subject, all its types (repeatable; case and
                        diacritics do not matter)
  --lab SUBJECT=N       take SUBJECT's subgroup rows from subgroup N (1 or 2) (repeatable)
  -o, --out FILE        write the calendar to FILE (default: standard output)
  --url BASE            print the subscription address under BASE, where the site
                        is served by orar-cal serve or the Worker
                        (BASE/custom/{token}.ics)
  --help                show this help

Exit codes: 0 written; 2 bad usage (a flag, an unknown code, group, subgroup or
subject: the message lists what exists); 3 the site cannot be read.`;

const TYPE_NAMES: Record<string, EventType> = { course: 'Curs', curs: 'Curs', seminar: 'Seminar', lab: 'Laborator', laborator: 'Laborator' };

interface CalendarOptions {
  site: string;
  selection: Selection | null;
  out: string | undefined;
  url: string | undefined;
}

export async function main(argv: string[]): Promise<number> {
  let options: CalendarOptions | 'help';
  try {
    options = parseCalendarArgs(argv);
  } catch (error) {
    return usageFailure(error);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  try {
    const files = new ParsedFiles(siteReader(options.site));
    let selection = options.selection;
    let out = options.out;
    if (!selection) {
      if (!process.stdin.isTTY || !process.stdout.isTTY) throw new NothingSelected('no --add given, and not on a terminal to ask for one');
      const { askSelection } = await import('./calendar-prompt.js');
      const answers = await askSelection(files, options.site, out);
      selection = answers.selection;
      out = answers.out;
    }
    await checkSelection(files, selection);
    const feed = await customFeed(files, selection);
    for (const missing of feed.missing) process.stderr.write(`orar-cal calendar: left out ${missing}\n`);
    const address = options.url === undefined ? undefined : feedAddress(options.url, encodeToken(selection));
    if (out === undefined) {
      process.stdout.write(feed.text);
      if (address) process.stderr.write(`subscribe: ${address}\n`);
    } else {
      writeCalendar(out, feed.text);
      process.stderr.write(`wrote ${out}\n`);
      if (address) process.stdout.write(`${address}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof SiteDataError || error instanceof OriginError || error instanceof NothingLeftError) {
      process.stderr.write(`orar-cal calendar: ${error.message}\n`);
      return EXIT.fatal;
    }
    return usageFailure(error);
  }
}

/** No selection given where none can be asked for: the whole usage is the answer. */
class NothingSelected extends UsageError {}

function usageFailure(error: unknown): number {
  if (!(error instanceof UsageError || error instanceof SelectionError)) throw error;
  const help = error instanceof NothingSelected ? `\n\n${USAGE}` : '; see orar-cal calendar --help';
  process.stderr.write(`orar-cal calendar: ${error.message}${help}\n`);
  return EXIT.usage;
}

export function parseCalendarArgs(argv: string[]): CalendarOptions | 'help' {
  const values = parseFlags(argv, {
    site: { type: 'string' },
    add: { type: 'string', multiple: true },
    'skip-type': { type: 'string', multiple: true },
    skip: { type: 'string', multiple: true },
    lab: { type: 'string', multiple: true },
    out: { type: 'string', short: 'o' },
    url: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const site = values.site ?? 'site';
  if (/^https?:/i.test(site)) httpUrlFlag('--site', site);
  else pathFlag('--site', site);
  const out = values.out === undefined ? undefined : pathFlag('--out', values.out);
  const url = values.url === undefined ? undefined : httpUrlFlag('--url', values.url);
  const adds = values.add ?? [];
  const filters = (values['skip-type']?.length ?? 0) + (values.skip?.length ?? 0) + (values.lab?.length ?? 0);
  if (adds.length === 0) {
    if (filters > 0) throw new UsageError('--skip-type, --skip and --lab need at least one --add');
    return { site, selection: null, out, url };
  }
  const skipTypes = (values['skip-type'] ?? []).map((name) => {
    const type = TYPE_NAMES[name.trim().toLowerCase()];
    if (!type) throw new UsageError(`--skip-type "${name}": expected course, seminar or lab`);
    return type;
  });
  const labSubgroups: Record<string, '1' | '2'> = {};
  for (const text of values.lab ?? []) {
    const at = text.lastIndexOf('=');
    const subject = text.slice(0, at).trim();
    const n = text.slice(at + 1).trim();
    if (at < 0 || !subject || (n !== '1' && n !== '2')) throw new UsageError(`--lab "${text}": expected SUBJECT=1 or SUBJECT=2`);
    labSubgroups[subject] = n;
  }
  const sources = adds.map((text) => {
    try {
      return parseSource(text);
    } catch (error) {
      if (error instanceof SelectionError) throw new UsageError(`--add ${error.message}`);
      throw error;
    }
  });
  return { site, selection: canonicalSelection({ sources, skipTypes, skipSubjects: values.skip ?? [], labSubgroups }), out, url };
}

function siteReader(site: string): SiteReader {
  if (/^https?:/i.test(site)) return httpSiteReader(site);
  if (!fs.existsSync(`${site}/${INDEX_PATH}`)) throw new UsageError(`--site "${site}": no ${INDEX_PATH} there, so it is not a generated site; run "npm run demo" or "npm run generate" first, or give the site's folder or address`);
  return nodeSiteReader(site);
}

/**
 * Every code, group, subgroup and subject of the selection exists on the
 * site; otherwise a UsageError naming the first one that does not and what
 * exists instead. (A feed quietly leaves a vanished source out; a person
 * typing one wants to hear about the typo.)
 */
async function checkSelection(files: ParsedFiles, selection: Selection): Promise<void> {
  const inputs = new Map<string, string>();
  const lookups = await lookUpSources(files, await readIndex(files, inputs), selection, inputs);
  for (const lookup of lookups) {
    if (!lookup.ok) throw new UsageError(`--add ${sourceFlag(lookup.source)}: ${lookup.reason}; there ${lookup.exists.length === 1 ? 'is' : 'are'}: ${lookup.exists.join(', ') || 'none'}`);
  }
  const subjects = new Map<string, string>();
  for (const lookup of lookups) if (lookup.ok) for (const entry of lookup.resolved.group.entries) subjects.set(subjectKey(entry.subject), entry.subject);
  const wanted = [...selection.skipSubjects.map((s) => ['--skip', s] as const), ...Object.keys(selection.labSubgroups).map((s) => ['--lab', s] as const)];
  for (const [flag, key] of wanted) {
    if (!subjects.has(key)) throw new UsageError(`${flag} "${key}": no such subject in ${selection.sources.map(sourceLabel).join(', ')}; the subjects are: ${[...subjects.values()].sort().join('; ')}`);
  }
}

/** BASE/custom/{token}.ics */
/** Writes the calendar, but never over a file that is not a calendar orar-cal wrote. */
function writeCalendar(out: string, text: string): void {
  let existing: string | undefined;
  try {
    existing = fs.readFileSync(out, 'utf8').slice(0, 1000);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new UsageError(`--out "${out}": is a folder; give a file name`);
    if (code !== 'ENOENT') throw new UsageError(`--out "${out}": ${(error as Error).message}`);
  }
  // Only a custom calendar this command wrote is replaced: never a user's
  // file, nor a group calendar a site publishes (its subscribers would lose it).
  if (existing !== undefined && !(existing.startsWith('BEGIN:VCALENDAR') && existing.includes('PRODID:-//orar-cal//') && /\r\nX-WR-CALNAME:[^\r]* · custom · /.test(existing))) {
    throw new UsageError(`--out "${out}": the file exists and is not a custom calendar orar-cal wrote (another file, or a calendar a site publishes); give another name`);
  }
  try {
    fs.writeFileSync(out, text);
  } catch (error) {
    throw new UsageError(`--out "${out}": cannot write: ${(error as Error).message}`);
  }
}

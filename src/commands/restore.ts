// `orar-cal restore --from URL [--out site]`: puts back what the next run
// needs from a deployed site (publication state, spec JSON, change log,
// calendars, feeds), for when the local copy (the CI cache) is gone. Without
// it the next run would start every calendar over at SEQUENCE 0 and
// subscribers' apps could ignore the updates.
//
// Never overwrites: --out must be missing or an empty folder. Files go into
// a temp folder next to it, renamed into place only when every required
// file is in, so a failed restore leaves nothing behind.
import fse from 'fs-extra';
import path from 'node:path';
import { from, lastValueFrom, mergeMap, toArray } from 'rxjs';
import { FetchError, createHttpClient, retryLine, type HttpClient } from '../net/client.js';
import { outFolderProblem } from '../output/out-folder.js';
import { hrefOf, resolveInside } from '../output/paths.js';
import { LEGEND_FILE, PEOPLE_FILES, peopleStateFiles, RestorePlanError, SITE_FILES, specFiles, specsToRestore } from '../output/restore-plan.js';
import { EXIT } from '../report.js';
import { UsageError, httpUrlFlag, parseFlags } from './flags.js';
import { USER_AGENT } from '../version.js';

const USAGE = `Usage: orar-cal restore --from URL [--out DIR]

Downloads from a deployed orar-cal site what the next run reads from the
previous site: data/index.json, data/changes.json, data/calendar.json,
data/build.json, every specialization's data/{CODE}.json and
data/state/{CODE}.json (what its calendars published: SEQUENCE, DTSTAMP,
cancelled events), its calendars and its Atom feed. For when the local copy
is lost (an evicted CI cache).

Options:
  --from URL   the deployed site's address, e.g. https://you.github.io/orar-cal/
  --out DIR    where to put it (default: site); must not exist or be an empty folder
  --help       show this help

Exit codes: 0 restored, or nothing deployed there yet (no folder created);
2 bad usage or an --out that is not empty; 3 the site could not be read
(nothing written).`;

const CONCURRENCY = 6;
const TIMEOUT_MS = 30_000;
/** State files grow with the semester; far above any real one, still a cap. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

class RestoreError extends Error {}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseFlags(argv, { from: { type: 'string' }, out: { type: 'string', default: 'site' }, help: { type: 'boolean', short: 'h' } });
    if (values.from !== undefined) httpUrlFlag('--from', values.from);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usage(error.message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (!values.from) return usage('--from URL is required (the deployed site, e.g. https://you.github.io/orar-cal/)');
  const base = siteBase(values.from);
  const out = values.out!;
  const refusal = outFolderProblem(out, { acceptSite: false });
  if (refusal) {
    process.stderr.write(`orar-cal restore: ${refusal}; restore never overwrites anything\n`);
    return EXIT.usage;
  }

  const http = createHttpClient({
    userAgent: USER_AGENT,
    timeoutMs: TIMEOUT_MS,
    maxBytes: MAX_FILE_BYTES,
    onRetry: (r) => process.stderr.write(`${retryLine(r)}\n`),
  });
  const temp = `${path.resolve(out)}.restore-${process.pid}`;
  // Aborted before the temp folder goes, so no request still in flight writes into it again.
  const abort = new AbortController();
  const dropTemp = (): void => {
    abort.abort();
    fse.removeSync(temp);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    dropTemp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const restored = await restore(http, base, temp, abort.signal);
    if (restored === null) {
      process.stdout.write(`orar-cal restore: nothing deployed yet at ${base.href}, the run starts fresh\n`);
      return EXIT.ok;
    }
    // Replaces an empty folder (rename(2) does; a folder that meanwhile got files makes it fail).
    fse.renameSync(temp, out);
    for (const warning of restored.warnings) process.stderr.write(`orar-cal restore: ${warning}\n`);
    process.stdout.write(`orar-cal restore: ${restored.files} files of ${restored.specs} specializations restored from ${base.href} into ${out}\n`);
    return EXIT.ok;
  } catch (error) {
    dropTemp();
    // Every failure (the network, the site's JSON, the disk) ends the same way: nothing written, the reason.
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`orar-cal restore: nothing restored into ${out}: ${reason}\n`);
    return EXIT.fatal;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Fetches the plan's files into `temp`. Null when nothing is deployed at
 * `base` (no index and no page: a first run); `temp` is created only once
 * the index is in.
 */
async function restore(http: HttpClient, base: URL, temp: string, signal: AbortSignal): Promise<{ files: number; specs: number; warnings: string[] } | null> {
  const urlOf = (file: string): string => new URL(hrefOf(file), base).href;
  const get = async (file: string): Promise<Buffer | null> => {
    try {
      return (await http.get(urlOf(file), { signal })).body;
    } catch (error) {
      if (error instanceof FetchError && error.status === 404) return null;
      throw error;
    }
  };
  const index = await get(SITE_FILES[0]);
  if (index === null) {
    if ((await get('index.html')) === null) return null;
    throw new RestoreError(`${urlOf(SITE_FILES[0])}: HTTP 404, but ${base.href} has a page: is --from the orar-cal site?`);
  }
  const specs = specsToRestore(parseJson(index, SITE_FILES[0]));

  fse.ensureDirSync(temp);
  let files = 0;
  const save = (file: string, body: Buffer): void => {
    if (signal.aborted) return;
    fse.outputFileSync(resolveInside(temp, file), body);
    files += 1;
  };
  const missing: string[] = [];
  /** Fetches and saves each file, CONCURRENCY at a time; a missing required file ends the restore. */
  const fetchAll = async (list: readonly string[], required: boolean): Promise<void> => {
    await lastValueFrom(
      from(list).pipe(
        mergeMap(async (file) => {
          const body = await get(file);
          if (body === null) {
            if (required) throw new RestoreError(`${urlOf(file)}: HTTP 404; the deployed site is incomplete`);
            missing.push(file);
            return;
          }
          save(file, body);
        }, CONCURRENCY),
        toArray(),
      ),
    );
  };

  save(SITE_FILES[0], index);
  const kept = specs.filter((s) => s.status !== 'failed');
  await fetchAll([...SITE_FILES.slice(1), ...kept.map((s) => s.paths.data)], true);
  const plans = kept.map((s) => specFiles(s, parseJson(fse.readFileSync(resolveInside(temp, s.paths.data)), s.paths.data)));
  await fetchAll(plans.flatMap((p) => p.required), true);
  await fetchAll(plans.flatMap((p) => p.optional), false);
  // Not a warning when missing: a site deployed before teachers' and rooms' calendars has no state for them (and a site may have no legend).
  const people = missing.length;
  await fetchAll([LEGEND_FILE, ...PEOPLE_FILES.map(([, file]) => file)], false);
  missing.splice(people);
  for (const [view, file] of PEOPLE_FILES) {
    const saved = resolveInside(temp, file);
    if (fse.existsSync(saved)) await fetchAll(peopleStateFiles(view, parseJson(fse.readFileSync(saved), file)), false);
  }
  const warnings = missing.length > 0 ? [`${missing.length} files listed in the spec JSON are not on the deployed site either, skipped: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`] : [];
  return { files, specs: kept.length, warnings };
}

/** The site's address as a folder URL: no query or fragment, a trailing slash (GitHub Pages' base_url has none). */
function siteBase(value: string): URL {
  const url = new URL(value);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function parseJson(bytes: Buffer, file: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RestorePlanError(`${file} is not JSON`);
  }
}

function usage(message: string): number {
  process.stderr.write(`orar-cal restore: ${message}\n\n${USAGE}\n`);
  return EXIT.usage;
}

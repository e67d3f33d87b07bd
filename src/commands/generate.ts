// `orar-cal [options]`: flags -> run -> summary -> exit code.
import v8 from 'node:v8';
import { performance } from 'node:perf_hooks';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CACHE_DIR, USAGE, UsageError, formatSummary, parseCli, shellWord, type CliOptions } from '../cli.js';
import { outFolderProblem } from '../output/out-folder.js';
import { renderFatalSummary, renderJobSummary } from '../output/job-summary.js';
import type { SiteFile } from '../output/site-writer.js';
import { SiteLockedError, openStagedSite, type StagedSite } from '../output/staged-site.js';
import { progressPrinter } from '../progress.js';
import { EXIT, FatalError, RunUsageError, exitCodeOf } from '../report.js';
import { scheduleUrls } from '../sources.js';
import { USER_AGENT, VERSION } from '../version.js';
import { cachedValidators, cachingClient, type CachingClient } from '../net/cache.js';
import { sendFirstRequests, type FirstRequests } from '../net/first-requests.js';
import type { DemoServer } from '../demo/demo-server.js';

// Only what the flags, the output folder and the first requests need is
// imported above: --help and --version answer without loading the HTTP
// client, rxjs, cheerio or ical-generator, and a run loads those while its
// first requests are out. The build bundles this module with what it
// imports (scripts/bundle-generator.mjs): as the bundle's entry and three
// small chunks, a run's first request leaves ~15 ms earlier than from ~20
// modules. dist/bundle/ is as deep as dist/commands/: the page's files are
// ../web/ from either.

// The live heap of a run stays small (~20 MB: pages stream through) but its
// garbage comes in bursts, and V8's default growth lets the old generation
// reach several times that before collecting. Growing it by 30% at a time
// keeps the peak RSS of a 400-page run under 150 MB (~145 measured on the
// sample faculty at --scale 10, ~175-200 MB without), for some 5-10% of
// rendering speed.
v8.setFlagsFromString('--heap-growing-percent=30');

/**
 * The young generation: V8 doubles it, up to 32 MB, while much of what is
 * allocated survives a while (a 10x faculty's teacher and room calendars,
 * made while its pages arrive): a fifth of the 150 MB budget. Stopped at
 * 8 MB, a 10x run peaks at ~140 MB instead of ~165-185. V8 takes
 * --max-semi-space-size only at start-up, so the growth is stopped at run
 * time, once it gets there (as Node 20.20 does; a V8 that ignored the flag
 * at run time would only let it grow as before).
 */
function capYoungGeneration(bytes: number): () => void {
  const newSpace = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  const watch = setInterval(() => {
    if (newSpace() < bytes) return;
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    clearInterval(watch);
  }, 10);
  watch.unref();
  return () => clearInterval(watch);
}

const MAX_PAGE_BYTES = 5 * 1024 * 1024;

/**
 * The page's files, built next to this file (dist/web/): its script, style
 * and icons under assets/; the manifest and the service worker at the site
 * root, the worker's scope being the folder it is served from.
 */
const WEB_DIR = new URL('../web/', import.meta.url);

function webAssets(): SiteFile[] {
  const dir = WEB_DIR;
  const text = (name: string, path: string): SiteFile => ({ path, content: readFileSync(new URL(name, dir), 'utf8') });
  const bytes = (name: string, path: string): SiteFile => ({ path, content: readFileSync(new URL(name, dir)) });
  return [
    text('app.js', 'assets/app.js'),
    text('style.css', 'assets/style.css'),
    text('icon.svg', 'assets/icon.svg'),
    bytes('icon-192.png', 'assets/icon-192.png'),
    bytes('icon-512.png', 'assets/icon-512.png'),
    text('manifest.webmanifest', 'manifest.webmanifest'),
    text('sw.js', 'sw.js'),
  ];
}

export async function main(argv: string[]): Promise<number> {
  let command;
  try {
    command = parseCli(argv, new Date());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`orar-cal: ${error.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const options = command.options;
  const stopWatchingHeap = capYoungGeneration(8 * 1024 * 1024);
  try {
    return await generate(options);
  } finally {
    stopWatchingHeap();
  }
}

/** A run of the generator with valid flags: the output folder, the lock, the pages, the site. */
async function generate(cliOptions: CliOptions): Promise<number> {
  let options = cliOptions;
  // The page's files come from the build (`tsc` alone does not make them): without them no site can be written.
  const unbuilt = ['app.js', 'assets-version.txt'].find((name) => !existsSync(new URL(name, WEB_DIR)));
  if (unbuilt) {
    process.stderr.write(`orar-cal: the page's files are not built (${fileURLToPath(new URL(unbuilt, WEB_DIR))} is missing); run npm run build\n`);
    return EXIT.fatal;
  }
  const outProblem = outFolderProblem(options.out);
  if (outProblem) {
    process.stderr.write(`orar-cal: ${outProblem}\n`);
    return EXIT.usage;
  }
  // A cache that cannot be written is only a slower next run, so the cache never fails one: a file in its place would go unnoticed.
  if (options.cacheDir !== null && statSync(options.cacheDir, { throwIfNoEntry: false })?.isDirectory() === false) {
    process.stderr.write(`orar-cal: --cache-dir ${options.cacheDir} is a file, not a folder; choose a folder (a missing one is created)\n`);
    return EXIT.usage;
  }
  // A saved academic page is read and checked before anything else is
  // touched: a file that is not there, or not that page, is a usage error.
  let calendarFile: { path: string; text: string } | undefined;
  if (options.calendarFile !== null) {
    const saved = await savedAcademicPage(options.calendarFile, options);
    if (typeof saved === 'string') {
      process.stderr.write(`orar-cal: ${saved}\n`);
      return EXIT.usage;
    }
    calendarFile = saved;
  }
  // A symlinked --out (a web root reached through a link) is written through:
  // the folder it points to is the one replaced, and the link stays.
  const siteFolder = realFolder(options.out);
  const hadSite = existsSync(siteFolder);
  const untouched = hadSite ? 'the previous site is unchanged' : 'no site was written';
  // Ctrl-C or a TERM mid-run: the staging folder and the lock go now, not at
  // the next run; the current site is untouched (the swap is synchronous, so
  // a signal never lands between its two renames). Listening before the lock
  // is taken: without a listener the signal would end the process at once.
  let site: StagedSite | undefined;
  let tempCache: string | null = null;
  const stopOn = (signal: NodeJS.Signals, code: number) => () => {
    process.stderr.write(`\norar-cal: stopped by ${signal}; ${untouched}\n`);
    site?.discard();
    if (tempCache) rmSync(tempCache, { recursive: true, force: true });
    process.exit(code);
  };
  const onInt = stopOn('SIGINT', 130);
  const onTerm = stopOn('SIGTERM', 143);
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  try {
    site = openStagedSite(siteFolder, { onNotice: (m) => process.stderr.write(`orar-cal: ${m}\n`) });
  } catch (error) {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    if (error instanceof SiteLockedError) {
      process.stderr.write(`orar-cal: nothing generated: ${error.message}\n`);
      return EXIT.fatal;
    }
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    process.stderr.write(`orar-cal: --out ${options.out}: cannot write there (${code}); choose a folder you can write to\n`);
    return EXIT.usage;
  }
  let demo: DemoServer | null = null;
  let cache: CachingClient | null = null;
  let firstRequests: FirstRequests | null = null;
  // The demo's pages live on a random port: a cache of them is never reused,
  // so it goes to a temporary folder unless one is asked for.
  tempCache = options.demo && options.cacheDir === null ? mkdtempSync(path.join(os.tmpdir(), 'orar-cal-demo-cache-')) : null;
  const cacheDir = tempCache ?? options.cacheDir ?? DEFAULT_CACHE_DIR;
  try {
    if (options.demo) {
      const { startDemoServer } = await import('../demo/demo-server.js');
      demo = await startDemoServer(options.semester, { scale: options.scale });
      options = { ...options, scheduleRoot: demo.scheduleRoot, calendarUrl: demo.calendarUrl };
      process.stderr.write(`sample faculty: ${demo.specCount} specializations served at ${demo.server.origin}\n`);
    }
    // The index and the academic page go out now, over Node's own http: the
    // HTTP client and the generator's modules load while they travel, and
    // the client takes their answers as its first attempts. The legend,
    // needed only once pages are in, goes through the client when the run
    // starts: that first request of the client's, made while the index
    // travels, readies its code for the pages' (~7 ms sooner after the index).
    const urls = scheduleUrls(options.scheduleRoot, options.semester);
    const timeoutMs = options.timeoutSec * 1000;
    firstRequests = sendFirstRequests([urls.index, ...(calendarFile ? [] : [options.calendarUrl])], {
      userAgent: USER_AGENT,
      timeoutMs,
      maxBytes: MAX_PAGE_BYTES,
      validators: (url) => cachedValidators(cacheDir, url),
    });
    const { createHttpClient, retryLine } = await import('../net/client.js');
    const client = createHttpClient({
      userAgent: USER_AGENT,
      timeoutMs,
      maxBytes: MAX_PAGE_BYTES,
      retry: { attempts: options.retries + 1 },
      onRetry: (r) => process.stderr.write(`${retryLine(r)}\n`),
      firstRequests,
    });
    cache = cachingClient(client, cacheDir);
    const { run } = await import('../pipeline.js'); // the build's bundle loads it as one file (~105 ms here; its ~800 modules ~420 ms)
    const report = await run({ ...options, calendarFile }, {
      http: cache,
      writer: site,
      now: () => new Date(),
      clock: () => performance.now(),
      onProgress: progressPrinter(process.stderr),
      assets: webAssets(),
      assetsVersion: readFileSync(new URL('assets-version.txt', WEB_DIR), 'utf8').trim(),
    });
    await site.commit();
    // The new site is live: a stop from here on changes nothing.
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.stdout.write(`${formatSummary(report, options.out)}\n`);
    writeJobSummary(renderJobSummary(report));
    if (demo) {
      process.stdout.write(`\nLook at it: npm run serve${options.out === 'site' ? '' : ` -- --dir ${shellWord(options.out)}`}, then open http://127.0.0.1:8080/ (or open ${options.out}/index.html for the plain download links).\n`);
    }
    return exitCodeOf(report);
  } catch (error) {
    await site.abort();
    if (error instanceof RunUsageError) {
      process.stderr.write(`orar-cal: nothing generated, ${untouched}: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof FatalError) {
      process.stderr.write(`orar-cal: nothing generated, ${untouched}: ${error.message}\n`);
      writeJobSummary(renderFatalSummary(error.message));
      return EXIT.fatal;
    }
    throw error;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    firstRequests?.abandon(); // a run that ended before asking for one of them
    await cache?.settled(); // the pages' bodies, stored while the run went on
    await demo?.server.close();
    if (tempCache) rmSync(tempCache, { recursive: true, force: true });
  }
}

/**
 * A saved academic-year page (--calendar-file) as the run will use it, or
 * why it cannot be: not readable, or not a page that serves the semester
 * (as `orar-cal academic-year --calendar-file` would say).
 */
async function savedAcademicPage(file: string, options: CliOptions): Promise<string | { path: string; text: string }> {
  const [{ AcademicPageUnavailable, readAcademicFile }, { parseAcademicYear }, { academicYearProblem }] = await Promise.all([
    import('../net/academic-page.js'),
    import('../scrape/academic-year.js'),
    import('../calendar/academic-calendar.js'),
  ]);
  let text: string;
  try {
    text = await readAcademicFile(file);
  } catch (error) {
    if (!(error instanceof AcademicPageUnavailable)) throw error;
    return error.message;
  }
  const problem = academicYearProblem(parseAcademicYear(text), options.semester);
  return problem ? `--calendar-file ${file}: ${problem}` : { path: file, text };
}

/** The folder a run replaces: --out itself, or where a symlinked --out points. */
function realFolder(out: string): string {
  try {
    return realpathSync(out);
  } catch {
    return path.resolve(out); // not there yet
  }
}

/** In a GitHub Actions job, the run's table goes to the job summary too. */
function writeJobSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    appendFileSync(file, markdown);
  } catch (error) {
    process.stderr.write(`orar-cal: could not write the job summary ${file}: ${String(error)}\n`);
  }
}

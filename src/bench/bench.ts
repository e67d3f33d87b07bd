// npm run bench: how close a run comes to the network floor of a slow
// university server, and how it scales. Prints a table and writes the same
// figures as JSON under bench/results/. A script that prints figures, not a
// test: nothing here passes or fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_SCHEDULE_PATH, demoFaculty } from '../demo/faculty.js';
import { startPageServer, type PageServerOptions } from '../demo/server.js';
import type { Report } from '../report.js';
import { BenchUsageError, parseCases, parseCount, type BenchCase } from './cases.js';
import { customFeedLoad } from './custom-feed.js';
import { requestPath, startFirstRequestFront } from './first-request.js';
import { MIRROR_SEMESTER, readMirror, type BenchSite } from './mirror.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.join(here, '..', 'main.js');
const FLOOR = path.join(here, 'floor.js');
// The mirror's semester: the sample faculty is built for the same one.
const SEMESTER = { year: 2025, half: 2 } as const;
const REALISTIC: PageServerOptions = { latencyMs: 600, jitterMs: 300, slots: 8, seed: 7 };
const FAST: PageServerOptions = { latencyMs: 0, jitterMs: 0, slots: Infinity, seed: 7 };

const USAGE = 'usage: npm run bench -- [--only CASE,...] [--reps N] [--scales 1,5,10] [--concurrency N] [--mirror DIR]';

interface Settings {
  cases: Set<BenchCase>;
  /** Runs of each case; the mirror row's default is the issue's 5. */
  reps: number;
  mirrorReps: number;
  scales: number[];
  cap: number;
  /** The real pages, read up front, or none without --mirror. */
  mirror: { dir: string; site: BenchSite } | undefined;
}

function settings(): Settings {
  const { values } = parseArgs({
    options: {
      reps: { type: 'string' },
      scales: { type: 'string', default: '1,5,10' },
      concurrency: { type: 'string', default: '6' },
      only: { type: 'string' },
      mirror: { type: 'string' },
    },
  });
  const cases = parseCases(values.only);
  const reps = values.reps === undefined ? undefined : parseCount('--reps', values.reps);
  let mirror: Settings['mirror'];
  if (values.mirror !== undefined && cases.has('mirror')) {
    try {
      mirror = { dir: values.mirror, site: readMirror(values.mirror) };
    } catch (error) {
      throw new BenchUsageError((error as Error).message);
    }
  }
  return {
    cases,
    reps: reps ?? 3,
    mirrorReps: reps ?? 5,
    scales: values.scales!.split(',').map((s) => parseCount('--scales', s)),
    cap: parseCount('--concurrency', values.concurrency!),
    mirror,
  };
}

let options: Settings;
try {
  options = settings();
} catch (error) {
  if (!(error instanceof BenchUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) throw error;
  process.stderr.write(`bench: ${(error as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
const REPS = options.reps;
const CAP = options.cap;
const scratch = mkdtempSync(path.join(process.cwd(), '.bench-'));
// Every run's site stays in here until the end (about 1.5 GB): an interrupted benchmark removes it too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    running?.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
    process.exit(130);
  });
}

interface Run {
  wallMs: number;
  report?: Report;
  /** From spawn until the server got the first request (runs that watch for it). */
  firstRequest?: { ms: number; path: string };
  /** Every path the server was asked for. */
  requested: string[];
}

let running: ChildProcess | undefined;

function child(args: string[]): Promise<{ code: number | null; stdout: string; startedAt: number; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    running = p;
    let stdout = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, startedAt, wallMs: performance.now() - startedAt }));
  });
}

/** The sample faculty as a site to serve. */
function sampleSite(scale: number): BenchSite {
  const faculty = demoFaculty({ semester: SEMESTER, scale, seed: 2025 });
  return { ...faculty, scheduleRootPath: DEMO_SCHEDULE_PATH };
}

type Client = { kind: 'floor' } | { kind: 'orar-cal'; concurrency: number };

/**
 * One run of a client against a fresh server (same seed: the same
 * latencies). With watchFirst, the requests go through a front that notes
 * when the first one arrived.
 */
async function timedRun(site: BenchSite, profile: PageServerOptions, client: Client, watchFirst = false): Promise<Run> {
  const server = await startPageServer(site.page, profile);
  const front = watchFirst ? await startFirstRequestFront(Number(new URL(server.origin).port)) : undefined;
  const origin = front?.origin ?? server.origin;
  const [index, legend, calendar] = [site.indexPath, site.legendPath, site.calendarPath].map((p) => `${origin}${p}`);
  try {
    if (client.kind === 'floor') {
      const r = await child([FLOOR, String(CAP), index!, legend!, calendar!, ...site.pagePaths.map((p) => `${origin}${p}`)]);
      if (r.code !== 0) throw new Error('floor client failed');
      return { wallMs: r.wallMs, firstRequest: firstRequest(front?.first(), r.startedAt), requested: Object.keys(server.stats.byPath) };
    }
    const out = path.join(scratch, `site-${Math.random().toString(36).slice(2)}`);
    // A fresh site and an empty HTTP cache every run: no 304s, nothing carried over.
    const r = await child([MAIN, '--semester', MIRROR_SEMESTER, '--schedule-root', `${origin}${site.scheduleRootPath}`, '--calendar-url', calendar!, '--out', out, '--cache-dir', `${out}.cache`, '--concurrency', String(client.concurrency)]);
    if (r.code !== 0) throw new Error(`orar-cal exited ${r.code}`);
    const report = JSON.parse(readFileSync(path.join(out, 'data/build.json'), 'utf8')) as Report;
    // Sites are deleted with the scratch folder at the end: deleting ~400
    // files here would make the next run's file creation pay for it.
    return { wallMs: r.wallMs, report, firstRequest: firstRequest(front?.first(), r.startedAt), requested: Object.keys(server.stats.byPath) };
  } finally {
    await front?.close();
    await server.close();
  }
}

function firstRequest(first: { at: number; line: string } | undefined, startedAt: number): Run['firstRequest'] {
  return first && { ms: first.at - startedAt, path: requestPath(first.line) };
}

interface Figure {
  median: number;
  min: number;
  max: number;
}

function figure(xs: number[]): Figure {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { median: mid, min: s[0]!, max: s.at(-1)! };
}

const f = (x: Figure, digits = 2, unit = ''): string => `${x.median.toFixed(digits)}${unit} (${x.min.toFixed(digits)}-${x.max.toFixed(digits)})`;

/** Teacher and room calendars, occupancy and clashes: made after the last spec, so their time adds to the wall time. */
function peopleFigures(runs: Run[]): { text: string; data: { generateMs: Figure; events: number; files: number; clashes: number; madeAhead: Figure; made: Figure } } {
  const people = runs.map((r) => r.report!.people!);
  const ms = figure(people.map((p) => p.generateMs));
  const { events, files, clashes } = people[0]!;
  // Made ahead while the run waited on the network: kept, or made again at the end; and how many were made in all.
  const ahead = figure(people.map((p) => p.madeAhead));
  const made = figure(people.map((p) => p.made));
  return {
    text: `${f(ms, 0)} ms, ${events} events in ${files} files, ${clashes} clashes; ${f(ahead, 0)} made ahead and kept, ${f(made, 0)} made in all`,
    data: { generateMs: ms, events, files, clashes, madeAhead: ahead, made },
  };
}

const sec = (runs: Run[]): Figure => figure(runs.map((r) => r.wallMs / 1000));

/** The distinct paths the runs asked for first, by file name. */
const firstPaths = (runs: Run[]): string => [...new Set(runs.map((r) => path.posix.basename(r.firstRequest!.path)))].join(', ');

async function main(): Promise<void> {
  const sample = sampleSite(1);
  console.log(`orar-cal benchmark: sample faculty (${sample.pagePaths.length} pages), server ${REALISTIC.latencyMs} ms ± ${REALISTIC.jitterMs} ms, ${REALISTIC.slots} worker slots, cap ${CAP}, ${REPS} runs each, ${os.cpus().length} cores, Node ${process.version}`);
  const rows: [string, string][] = [];
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    cores: os.cpus().length,
    profile: REALISTIC,
    concurrency: CAP,
    reps: REPS,
    cases: [...options.cases],
  };

  // 1-3: alternated, so drift in the machine hits every row alike.
  const capped: Run[] = [];
  if (options.cases.has('realistic')) {
    const floor: Run[] = [];
    const sequential: Run[] = [];
    for (let i = 0; i < REPS; i++) {
      floor.push(await timedRun(sample, REALISTIC, { kind: 'floor' }));
      capped.push(await timedRun(sample, REALISTIC, { kind: 'orar-cal', concurrency: CAP }));
      sequential.push(await timedRun(sample, REALISTIC, { kind: 'orar-cal', concurrency: 1 }));
      process.stderr.write(`  realistic round ${i + 1}/${REPS} done\n`);
    }
    const ratio = figure(capped.map((r, i) => r.wallMs / floor[i]!.wallMs));
    const speedup = figure(sequential.map((r, i) => r.wallMs / capped[i]!.wallMs));
    rows.push(
      ['1. network floor (plain client, same URLs, cap ' + CAP + ')', `${f(sec(floor))} s`],
      ['2. orar-cal, cap ' + CAP, `${f(sec(capped))} s, ratio to floor ${f(ratio, 3)}`],
      ['3. orar-cal, concurrency 1', `${f(sec(sequential))} s, speed-up of (2) ${f(speedup, 1)}x`],
    );
    Object.assign(results, { floorSec: sec(floor), orarSec: sec(capped), ratioToFloor: ratio, sequentialSec: sec(sequential), speedup });
  }

  // 4: no network cost: what is left is our own work.
  if (options.cases.has('zero-latency')) {
    const fast: Run[] = [];
    // Short runs, so more of them: JIT warm-up and the disk make single ones noisy.
    for (let i = 0; i < Math.max(REPS, 5); i++) fast.push(await timedRun(sample, FAST, { kind: 'orar-cal', concurrency: CAP }));
    const renderRate = figure(fast.map((r) => r.report!.totals.events / (r.report!.timings.renderMs / 1000)));
    const genRate = figure(fast.map((r) => r.report!.totals.events / (r.report!.timings.generateMs / 1000)));
    const parseRate = figure(fast.map((r) => r.report!.specs.length / (r.report!.timings.parseMs / 1000)));
    const parseMBs = figure(fast.map((r) => r.report!.specs.reduce((a, s) => a + s.bytes, 0) / 1e6 / (r.report!.timings.parseMs / 1000)));
    rows.push(
      ['4. zero latency, no slot limit', `${f(sec(fast))} s wall`],
      ['   generation (events built, compared, rendered)', `${f(renderRate, 0)} events/s`],
      ['   same, plus writing every file of a fresh site', `${f(genRate, 0)} events/s`],
      ['   parsing', `${parseRate.median.toFixed(0)} pages/s, ${parseMBs.median.toFixed(1)} MB/s (${parseMBs.min.toFixed(1)}-${parseMBs.max.toFixed(1)})`],
    );
    const people = peopleFigures(fast);
    rows.push(['   teachers and rooms, after the last spec (extra)', people.text]);
    results.zeroLatency = { wallSec: sec(fast), generationEventsPerSec: renderRate, generationWithWritesEventsPerSec: genRate, parsePagesPerSec: parseRate, parseMBPerSec: parseMBs, people: people.data };
  }

  // 5: scaling at the realistic profile.
  if (options.cases.has('scales')) {
    const scaling: { scale: number; pages: number; wall: Figure; rss: Figure; events: number; people: ReturnType<typeof peopleFigures> }[] = [];
    for (const scale of options.scales) {
      const runs: Run[] = scale === 1 ? [...capped] : [];
      const site = sampleSite(scale);
      for (let i = runs.length; i < REPS; i++) runs.push(await timedRun(site, REALISTIC, { kind: 'orar-cal', concurrency: CAP }));
      scaling.push({
        scale,
        pages: runs[0]!.report!.specs.length,
        wall: sec(runs),
        rss: figure(runs.map((r) => r.report!.peakRssMb)),
        events: runs[0]!.report!.totals.events,
        people: peopleFigures(runs),
      });
      process.stderr.write(`  scale ${scale}x done\n`);
    }
    // Least squares of wall time against rounds of requests (pages / cap).
    const xs = scaling.map((s) => s.pages / CAP);
    const ys = scaling.map((s) => s.wall.median);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
    const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const slope = sxx > 0 ? sxy / sxx : 0;
    const intercept = my - slope * mx;
    const ssRes = ys.reduce((a, y, i) => a + (y - (intercept + slope * xs[i]!)) ** 2, 0);
    const ssTot = ys.reduce((a, y) => a + (y - my) ** 2, 0);
    const r2 = ssTot > 0 ? 1 - ssRes / ssTot : 1;
    rows.push(
      ...scaling.flatMap((s): [string, string][] => [
        [`5. scale ${s.scale}x (${s.pages} pages, ${s.events} events)`, `${f(s.wall)} s, peak RSS ${f(s.rss, 0)} MB`],
        ['   of which teachers and rooms', s.people.text],
      ]),
      ['   wall time vs pages/cap', `${slope.toFixed(3)} s per round of ${CAP} pages + ${intercept.toFixed(2)} s, R² ${r2.toFixed(4)}`],
    );
    Object.assign(results, { scaling: scaling.map(({ people, ...x }) => ({ ...x, people: people.data })), slope: { secondsPerRound: slope, intercept, r2 } });
  }

  // 6: start-up. Process starts are short, so more of them (as in 4); all
  // four alternated, so drift in the machine hits them alike. A spawn and
  // the request that follows it are timed on the same clock.
  if (options.cases.has('startup')) {
    const nodeOnly: number[] = [];
    const version: number[] = [];
    const floorFirst: Run[] = [];
    const orarFirst: Run[] = [];
    for (let i = 0; i < Math.max(REPS, 5); i++) {
      nodeOnly.push((await child(['-e', '1'])).wallMs);
      const r = await child([MAIN, '--version']);
      if (r.code !== 0) throw new Error(`orar-cal --version exited ${r.code}`);
      version.push(r.wallMs);
      if (i >= REPS) continue;
      floorFirst.push(await timedRun(sample, REALISTIC, { kind: 'floor' }, true));
      orarFirst.push(await timedRun(sample, REALISTIC, { kind: 'orar-cal', concurrency: CAP }, true));
      process.stderr.write(`  start-up round ${i + 1}/${REPS} done\n`);
    }
    const firstMs = (runs: Run[]): Figure => figure(runs.map((r) => r.firstRequest!.ms));
    rows.push(
      ['6. start-up: orar-cal --version', `${f(figure(version), 0)} ms`],
      ['   node -e 1', `${f(figure(nodeOnly), 0)} ms`],
      ['   spawn to first request: orar-cal, cap ' + CAP, `${f(firstMs(orarFirst), 0)} ms, first asked for ${firstPaths(orarFirst)}`],
      ['   spawn to first request: network floor client', `${f(firstMs(floorFirst), 0)} ms, first asked for ${firstPaths(floorFirst)}`],
    );
    results.startup = {
      versionMs: figure(version),
      nodeMs: figure(nodeOnly),
      firstRequestMs: { orar: firstMs(orarFirst), floor: firstMs(floorFirst) },
      firstRequestPaths: { orar: orarFirst.map((r) => r.firstRequest!.path), floor: floorFirst.map((r) => r.firstRequest!.path) },
    };
  }

  // 7: the real pages at the issue's profile, floor and orar-cal alternated.
  if (options.cases.has('mirror')) {
    if (!options.mirror) {
      rows.push(['7. real pages', 'not run: pass --mirror DIR, the folder holding serve.mjs and data/ (e.g. ../shared/ubb-mirror)']);
      results.mirror = { notRun: 'no --mirror DIR' };
    } else {
      const site = options.mirror.site;
      const expected = [site.indexPath, site.legendPath, site.calendarPath, ...site.pagePaths].sort();
      const floor: Run[] = [];
      const orar: Run[] = [];
      for (let i = 0; i < options.mirrorReps; i++) {
        floor.push(await timedRun(site, REALISTIC, { kind: 'floor' }));
        const run = await timedRun(site, REALISTIC, { kind: 'orar-cal', concurrency: CAP });
        // The floor is only a floor if it fetches what orar-cal fetches.
        if (run.requested.sort().join('\n') !== expected.join('\n')) {
          throw new Error(`on the mirror orar-cal asked for ${run.requested.join(', ')}; the floor client fetches ${expected.join(', ')}`);
        }
        orar.push(run);
        process.stderr.write(`  real pages round ${i + 1}/${options.mirrorReps} done\n`);
      }
      const ratio = figure(orar.map((r, i) => r.wallMs / floor[i]!.wallMs));
      const label = `7. real pages (mirror ${MIRROR_SEMESTER}, ${site.pagePaths.length} pages, ${options.mirrorReps} run${options.mirrorReps === 1 ? '' : 's'})`;
      rows.push(
        [`${label}: network floor`, `${f(sec(floor))} s`],
        [`   orar-cal, cap ${CAP}`, `${f(sec(orar))} s, ratio to floor ${f(ratio, 3)}`],
        ['   of which teachers and rooms, after the last spec', peopleFigures(orar).text],
      );
      results.mirror = {
        dir: path.resolve(options.mirror.dir), semester: MIRROR_SEMESTER, pages: site.pagePaths.length, reps: options.mirrorReps,
        floorSec: sec(floor), orarSec: sec(orar), ratioToFloor: ratio, people: peopleFigures(orar).data,
      };
    }
  }

  // 8: custom feeds under load, against `orar-cal serve` on the sample faculty.
  if (options.cases.has('custom-feed')) {
    const out = path.join(scratch, 'custom-feed-site');
    const generated = await child([MAIN, '--demo', '--semester', MIRROR_SEMESTER, '--out', out]);
    if (generated.code !== 0) throw new Error(`orar-cal --demo exited ${generated.code}`);
    const load = await customFeedLoad(MAIN, out);
    const s = load.selection;
    rows.push(
      [`8. custom feed (${s.sources.map((x) => `${x.code}:${x.group}:${x.subgroup}`).join(' + ')}, ${s.skipTypes.length} type, ${s.skipSubjects.length} subjects skipped, 1 lab override; ${load.feedBytes} bytes)`, `${load.connections} keep-alive connections, ${load.seconds} s: ${load.requestsPerSec.toFixed(0)} requests/s (${load.requests}), p50 ${load.p50Ms.toFixed(2)} ms, p99 ${load.p99Ms.toFixed(2)} ms`],
      ['   conditional requests answered 304; errors', `${(load.notModifiedShare * 100).toFixed(1)}%; ${load.errors}`],
      ['   server RSS: after warm-up, peak, end', `${load.rssMb.warm.toFixed(0)} MB, ${load.rssMb.peak.toFixed(0)} MB, ${load.rssMb.end.toFixed(0)} MB`],
      ['   server RSS each second (MB)', load.rssMb.perSecond.join(' ')],
    );
    results.customFeed = load;
  }

  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${'figure'.padEnd(width)}  median (min-max)`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);

  const dir = path.join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${(results.date as string).replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten: ${path.relative(process.cwd(), file)}`);
}

try {
  await main();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
